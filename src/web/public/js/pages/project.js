// Projekt: the project as the API shows it — gate result, budget, letter, status reports and the
// timeline of audit events — with the actions the signed-in role may take.
import { api, optional, regions } from '../api.js'
import { h } from '../dom.js'
import { formatDate, formatDateTime, formatDkk } from '../format.js'
import { BUDGET_CATEGORY, DIMENSION_LABEL, EVENT, gateReason, NOT_GATED, PHASE, profileText } from '../labels.js'
import { hasRole } from '../session.js'
import { dueDate, errorBox, facts, field, scrollableTable, showMessage, statusBadge, trafficLight } from '../ui.js'

const OPEN_FOR_REVIEW = new Set(['awaiting_assessment', 'under_assessment'])

/** @param {import('../main.js').PageContext} ctx */
export async function projectPage (ctx) {
  const id = ctx.params[0] ?? ''
  const base = `/v1/projects/${id}`
  const project = await api(base)
  const [history, letter, reports, assignments, regionNames] = await Promise.all([
    api(`${base}/history`),
    project.letter ? optional(`${base}/letter`) : null,
    project.status === 'letter_issued' || project.status === 'responded' ? optional(`${base}/status-reports?limit=20`) : null,
    OPEN_FOR_REVIEW.has(project.status) ? optional(`${base}/assignments`) : null,
    regions()
  ])
  /** @param {string} code */
  const regionName = (code) => regionNames[code] ?? code

  const content = [
    h('p', { class: 'lead' }, h('span', { class: 'reference', text: project.reference }), ' ', statusBadge(project.status)),
    letterSection(project, letter),
    actions(ctx, project, assignments?.items ?? []),
    h('section', { 'aria-labelledby': 'facts-heading' },
      h('h2', { id: 'facts-heading', text: 'Oplysninger om projektet' }),
      facts([
        ['Reference', project.reference],
        ['Ejer', regionName(project.ownerOrg)],
        ['Deltagende regioner', project.participatingRegions.map(regionName).join(', ')],
        ['Fase', PHASE[project.phase] ?? project.phase],
        ['Planlagt periode', `${formatDate(project.plannedStart)} – ${formatDate(project.plannedEnd)}`],
        ['Kontaktperson', `${project.contact.name} (${project.contact.email})`],
        ['Forfaldsdato for rådets vurdering', project.assessmentDueOn ? dueDate(project) : 'Ingen (kræver ikke vurdering)'],
        ['Version', String(project.version)]
      ]),
      h('h3', { text: 'Beskrivelse' }),
      h('p', { class: 'prose', text: project.description })),
    gateSection(project),
    budgetSection(project),
    reports ? reportsSection(reports.items) : null,
    assignments ? assignmentsSection(assignments.items) : null,
    timeline(history.items)
  ]
  return { title: project.title, content }
}

/**
 * @param {import('../main.js').PageContext} ctx
 * @param {any} project
 * @param {any[]} assignments
 */
function actions (ctx, project, assignments) {
  const links = []
  const underAssessment = project.status === 'under_assessment'
  const active = assignments.filter((a) => a.active)
  const notes = []
  if (hasRole(ctx.session, 'council_member') && underAssessment) {
    // Only an assigned member may assess; the API would say 409 to anyone else.
    if (active.some((a) => a.memberSub === ctx.session?.sub)) {
      links.push(h('a', { class: 'button', href: `#/projects/${project.id}/assessment`, text: 'Registrér risikovurdering' }))
    } else {
      notes.push(h('p', { text: 'Du er ikke tilknyttet vurderingen af dette projekt.' }))
    }
  }
  if (hasRole(ctx.session, 'secretariat') && underAssessment) {
    links.push(h('a', { class: 'button', href: `#/projects/${project.id}/letter`, text: 'Udarbejd anbefalingsbrev' }))
  }
  const canAssign = hasRole(ctx.session, 'secretariat') && OPEN_FOR_REVIEW.has(project.status) && active.length < 2
  const isOwner = hasRole(ctx.session, 'submitter') && ctx.session?.org === project.ownerOrg
  const canRespond = isOwner && project.status === 'letter_issued'
  if (links.length === 0 && notes.length === 0 && !canAssign && !canRespond) return null
  return h('section', { class: 'actions', 'aria-labelledby': 'actions-heading' },
    h('h2', { id: 'actions-heading', text: 'Handlinger' }),
    notes,
    links.length > 0 ? h('p', { class: 'button-row' }, links) : null,
    canAssign ? assignForm(ctx, project) : null,
    canRespond ? responseForm(ctx, project) : null)
}

/**
 * Secretariat: attach a council member to the review (at most two).
 * @param {import('../main.js').PageContext} ctx
 * @param {any} project
 */
function assignForm (ctx, project) {
  const message = h('div', { class: 'message-slot' })
  const sub = /** @type {HTMLInputElement} */ (h('input', { id: 'assign-sub', name: 'memberSub', autocomplete: 'off', maxlength: '255' }))
  const org = /** @type {HTMLInputElement} */ (h('input', { id: 'assign-org', name: 'memberOrg', autocomplete: 'off', maxlength: '32' }))
  const form = h('form', { novalidate: true, class: 'inline-form' },
    h('h3', { text: 'Tilknyt rådsmedlem' }),
    message,
    field('Rådsmedlemmets bruger-id', sub, { required: true, help: 'Rådsmedlemmets id (sub) hos identitetsudbyderen.' }),
    field('Rådsmedlemmets organisation', org, { required: true, help: 'Organisationskode. Et medlem fra projektets ejerorganisation kan ikke tilknyttes (inhabilitet).' }),
    h('button', { type: 'submit', text: 'Tilknyt' }))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    if (!sub.value.trim() || !org.value.trim()) {
      showMessage(message, errorBox(new Error('Udfyld både bruger-id og organisation.')))
      return
    }
    try {
      await api(`/v1/projects/${project.id}/assignments`, { method: 'POST', body: { memberSub: sub.value.trim(), memberOrg: org.value.trim() } })
      ctx.navigate(`#/projects/${project.id}`, 'Rådsmedlemmet er tilknyttet sagen.')
    } catch (error) {
      showMessage(message, errorBox(error))
    }
  })
  return form
}

/**
 * The owner's answer to the letter.
 * @param {import('../main.js').PageContext} ctx
 * @param {any} project
 */
function responseForm (ctx, project) {
  const message = h('div', { class: 'message-slot' })
  const text = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'response-text', name: 'text', rows: '5', maxlength: '20000' }))
  const form = h('form', { novalidate: true },
    h('h3', { text: 'Svar på anbefalingsbrevet' }),
    message,
    field('Projektets svar', text, { required: true, help: 'Hvordan projektet vil følge rådets anbefalinger.' }),
    h('button', { type: 'submit', text: 'Send svar' }))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    if (!text.value.trim()) {
      showMessage(message, errorBox(new Error('Skriv projektets svar.')))
      return
    }
    try {
      await api(`/v1/projects/${project.id}/response`, { method: 'POST', body: { text: text.value.trim() } })
      ctx.navigate(`#/projects/${project.id}`, 'Svaret på anbefalingsbrevet er sendt.')
    } catch (error) {
      showMessage(message, errorBox(error))
    }
  })
  return form
}

/**
 * @param {any} project
 * @param {any} letter the full letter, or null when only the summary on the project is visible
 */
function letterSection (project, letter) {
  if (!project.letter) return null
  const profile = letter?.riskProfile ?? project.letter.riskProfile
  return h('section', { class: 'letter', 'aria-labelledby': 'letter-heading' },
    h('h2', { id: 'letter-heading', text: 'Anbefalingsbrev' }),
    h('p', { class: 'risk-profile' }, 'Risikoprofil: ', h('strong', { class: `profile profile-${profile}`, text: profileText(profile) })),
    h('p', { text: `Udsendt ${formatDateTime(letter?.issuedAt ?? project.letter.issuedAt)}` }),
    letter
      ? [
          h('h3', { text: 'Rådets udtalelse' }),
          h('p', { class: 'prose', text: letter.statement }),
          h('h3', { text: 'Anbefalinger' }),
          letter.recommendations.length === 0
            ? h('p', { text: 'Rådet har ingen konkrete anbefalinger.' })
            : h('ol', {}, letter.recommendations.map((/** @type {any} */ r) =>
              h('li', {}, h('strong', { text: `${DIMENSION_LABEL[r.category] ?? r.category}: ` }), r.text))),
          h('p', { text: letter.externalReviewRecommended ? 'Rådet anbefaler et eksternt review.' : 'Rådet anbefaler ikke et eksternt review.' })
        ]
      : null)
}

/** @param {any} project */
function gateSection (project) {
  const gating = project.gating
  return h('section', { 'aria-labelledby': 'gate-heading' },
    h('h2', { id: 'gate-heading', text: 'Resultat af gaten' }),
    h('p', { class: gating.reviewRequired ? 'gate gate-required' : 'gate' },
      h('strong', { text: gating.reviewRequired ? 'Projektet skal vurderes af rådet.' : 'Projektet skal ikke vurderes af rådet.' })),
    h('p', {}, 'Begrundelse:'),
    h('ul', {}, gating.reasons.map((/** @type {string} */ r) => h('li', { text: gateReason(r) }))),
    h('p', { class: 'meta', text: `Regelsæt ${gating.policy} (version ${gating.policyVersion}), vurderet ${formatDateTime(gating.evaluatedAt)}.` }))
}

/** @param {any} project */
function budgetSection (project) {
  const lines = [...project.budgetLines].sort((a, b) => a.year - b.year)
  return h('section', { 'aria-labelledby': 'budget-heading' },
    h('h2', { id: 'budget-heading', text: 'Budget' }),
    scrollableTable('Budgetlinjer', h('table', { class: 'data' },
      h('caption', { text: 'Budgetlinjer' }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: 'Kategori' }),
        h('th', { scope: 'col', text: 'År' }),
        h('th', { scope: 'col', text: 'Medregnes i gaten' }),
        h('th', { scope: 'col', class: 'number', text: 'Beløb' }))),
      h('tbody', {}, lines.map((line) => h('tr', {},
        h('td', { text: BUDGET_CATEGORY[line.category] ?? line.category }),
        h('td', { text: String(line.year) }),
        h('td', { text: NOT_GATED.has(line.category) ? 'Nej' : 'Ja' }),
        h('td', { class: 'number', text: formatDkk(line.amountDkk) })))),
      h('tfoot', {},
        h('tr', {}, h('th', { scope: 'row', colspan: '3', text: 'Medregnede omkostninger (uden drift og renter)' }), h('td', { class: 'number', text: formatDkk(project.eligibleCostDkk) })),
        h('tr', {}, h('th', { scope: 'row', colspan: '3', text: 'Samlede omkostninger' }), h('td', { class: 'number', text: formatDkk(project.totalCostDkk) }))))))
}

/** @param {any[]} reports newest period first */
function reportsSection (reports) {
  return h('section', { 'aria-labelledby': 'reports-heading' },
    h('h2', { id: 'reports-heading', text: 'Statusrapporter' }),
    reports.length === 0
      ? h('p', { text: 'Projektet har endnu ikke indsendt en statusrapport.' })
      : scrollableTable('Statusrapporter, nyeste først', h('table', { class: 'data' },
        h('caption', { text: 'Statusrapporter, nyeste først' }),
        h('thead', {}, h('tr', {},
          ['Periode', 'Samlet', 'Økonomi', 'Tidsplan', 'Økonomiske gevinster', 'Ikke-økonomiske gevinster', 'Kommentar']
            .map((label) => h('th', { scope: 'col', text: label })))),
        h('tbody', {}, reports.map((r) => h('tr', {},
          h('th', { scope: 'row', text: r.period }),
          h('td', {}, trafficLight(r.overall)),
          h('td', {}, trafficLight(r.cost)),
          h('td', {}, trafficLight(r.schedule)),
          h('td', {}, trafficLight(r.financialBenefits)),
          h('td', {}, trafficLight(r.nonFinancialBenefits)),
          h('td', { text: r.comment })))))))
}

/** @param {any[]} assignments */
function assignmentsSection (assignments) {
  return h('section', { 'aria-labelledby': 'assignments-heading' },
    h('h2', { id: 'assignments-heading', text: 'Tilknyttede rådsmedlemmer' }),
    assignments.length === 0
      ? h('p', { text: 'Der er endnu ikke tilknyttet rådsmedlemmer.' })
      : h('ul', {}, assignments.map((a) => h('li', {},
        `${a.memberSub} (${a.memberOrg}), tilknyttet ${formatDateTime(a.assignedAt)}`,
        a.active ? '' : ' – ophørt (inhabil)'))))
}

/** @param {any[]} events oldest first */
function timeline (events) {
  return h('section', { 'aria-labelledby': 'timeline-heading' },
    h('h2', { id: 'timeline-heading', text: 'Forløb' }),
    events.length === 0
      ? h('p', { text: 'Der er ingen hændelser.' })
      : h('ol', { class: 'timeline' }, events.map((e) => h('li', {},
        h('time', { datetime: e.time, text: formatDateTime(e.time) }),
        h('span', { class: 'event-title', text: EVENT[e.type] ?? e.type }),
        typeof e.data?.description === 'string' ? h('span', { class: 'event-description', text: e.data.description }) : null,
        h('span', { class: 'event-actor', text: `Udført af ${e.authid} (${e.actororg})` })))))
}
