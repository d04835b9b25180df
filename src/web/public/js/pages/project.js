// Projekt: the project as the API shows it — gate result, budget, letter and response, status
// reports and the timeline of audit events — with the actions actions.js allows the signed-in
// caller (and only those).
import { api, ApiError, councils, members, optional, organisations } from '../api.js'
import { h } from '../dom.js'
import { formatDate, formatDateTime, formatDkk, formatPeriod, oneYearAfter } from '../format.js'
import { BUDGET_CATEGORY, CONFLICT_DECISION, councilName, EVENT, eventDetails, FOLLOW_UP_TRACK, gateReason, LIGHT, NOT_GATED, orgName, PHASE, PROJECT_KIND } from '../labels.js'
import { latestJudgement } from '../actions.js'
import { documentsSection } from './documents.js'
import { loadProject } from '../project-context.js'
import { hasRole } from '../session.js'
import { assessmentView, deviationList, dueDate, errorBox, facts, field, firstRadioId, letterView, onSubmit, radioGroup, responseView, scrollableTable, showMessage, statusBadge, trafficLight } from '../ui.js'

/** @param {import('../main.js').PageContext} ctx */
export async function projectPage (ctx) {
  const loaded = await loadProject(ctx.params[0] ?? '', ctx.session)
  const { project } = loaded
  const base = `/v1/projects/${project.id}`
  // The council's directory, for those who may read it: the members the secretariat may assign,
  // and the names of members where an assignment or the timeline would otherwise show a code.
  const wantsDirectory = hasRole(ctx.session, 'secretariat', 'admin', 'council_member')
  const [history, letter, orgs, councilList, directory] = await Promise.all([
    api(`${base}/history`),
    project.letter ? optional(`${base}/letter`) : null,
    organisations(),
    councils(),
    wantsDirectory ? directoryOf(project.council) : null
  ])
  const names = Object.fromEntries(orgs.map((o) => [o.code, o.name]))
  /** @param {string} code */
  const name = (code) => orgName(code, names)
  const council = councilName(project.council, councilList)

  const content = [
    h('p', { class: 'lead' },
      h('span', { class: 'reference', text: project.reference }), ' ', statusBadge(project.status), ' ',
      h('span', { class: 'council', text: `${PROJECT_KIND[project.kind] ?? project.kind} under ${council}` })),
    letterView(project, letter),
    loaded.response ? responseView(loaded.response) : null,
    actions(ctx, loaded, names, council, directory),
    loaded.ownAssessment ? assessmentView(loaded.ownAssessment, { heading: 'Din risikovurdering', id: 'own-assessment-heading' }) : null,
    h('section', { 'aria-labelledby': 'facts-heading' },
      h('h2', { id: 'facts-heading', text: 'Oplysninger om projektet' }),
      facts([
        ['Reference', project.reference],
        ['Råd', council],
        ['Type', PROJECT_KIND[project.kind] ?? project.kind],
        ['Ejer', name(project.ownerOrg)],
        ['Deltagende regioner', project.participatingRegions.length === 0 ? 'Ingen' : project.participatingRegions.map(name).join(', ')],
        ['Regelsæt', policyText(project.gating)],
        ['Fase', PHASE[project.phase] ?? project.phase],
        ['Planlagt periode', `${formatDate(project.plannedStart)} – ${formatDate(project.plannedEnd)}`],
        ['Kontaktperson', `${project.contact.name} (${project.contact.email})`],
        ['Forfaldsdato for rådets vurdering', project.assessmentDueOn ? dueDate(project) : 'Ingen (kræver ikke vurdering)'],
        ['Version', String(project.version)],
        ['Forventede gevinster', benefitsText(project.expectedBenefits)],
        ...(project.letter ? /** @type {Array<[string, import('../dom.js').Child]>} */ ([['Godkendt baseline', baselineText(project.approvedBaseline)]]) : []),
        ...(project.followUpTrack ? /** @type {Array<[string, import('../dom.js').Child]>} */ ([['Opfølgningsspor', FOLLOW_UP_TRACK[project.followUpTrack] ?? project.followUpTrack]]) : []),
        ...(project.closure ? /** @type {Array<[string, import('../dom.js').Child]>} */ ([['Afsluttet', closureText(project.closure)]]) : [])
      ]),
      h('h3', { text: 'Beskrivelse' }),
      h('p', { class: 'prose', text: project.description })),
    gateSection(project, names),
    budgetSection(project),
    loaded.benefitReports ? benefitReportsSection(project, loaded.benefitReports) : null,
    loaded.reports ? reportsSection(ctx, loaded, loaded.reports) : null,
    await documentsSection(ctx, project),
    loaded.assignmentsVisible ? assignmentsSection(loaded.assignments, names, directory) : null,
    loaded.conflicts.length > 0 ? conflictsSection(ctx, loaded) : null,
    timeline(history.items, names, directory, ctx.session)
  ]
  return { title: project.title, content }
}

/**
 * The council's members (GET /v1/members), or null when the directory cannot be read (the caller
 * may not, or the service does not offer it): the page then shows the rest.
 * @param {string} council
 * @returns {Promise<import('../api.js').Member[] | null>}
 */
async function directoryOf (council) {
  try {
    return await members(council)
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404 || error.status === 405)) return null
    throw error
  }
}

/**
 * The actions actions.js allows, and a word to a council member on why there is none.
 * @param {import('../main.js').PageContext} ctx
 * @param {import('../project-context.js').LoadedProject} loaded
 * @param {Record<string, string>} names organisation names by code
 * @param {string} council the project's council by name
 * @param {import('../api.js').Member[] | null} directory
 */
function actions (ctx, loaded, names, council, directory) {
  const { project } = loaded
  const allowed = new Set(loaded.actions)
  const notes = []
  const ownDeclaration = hasRole(ctx.session, 'council_member') ? loaded.conflicts.find((c) => c.memberSub === ctx.session?.sub) : undefined
  if (ownDeclaration?.decision === 'pending') {
    notes.push(h('p', { text: 'Du har erklæret dig inhabil. Sekretariatet træffer afgørelse om erklæringen; indtil da kan du ikke afgive risikovurdering.' }))
  } else if (ownDeclaration?.decision === 'disqualified') {
    notes.push(h('p', { text: 'Sekretariatet har afgjort, at du er inhabil i sagen. Du kan ikke vurdere projektet.' }))
  } else if (hasRole(ctx.session, 'council_member') && project.status === 'under_assessment' && !allowed.has('assess')) {
    notes.push(h('p', {
      text: loaded.ownAssessment
        ? 'Du har afgivet din risikovurdering af projektet.'
        : 'Du er ikke tilknyttet vurderingen af dette projekt.'
    }))
  }
  if (allowed.has('decideConflict')) {
    notes.push(h('p', {}, 'En erklæring om inhabilitet afventer afgørelse, og anbefalingsbrevet kan først udsendes, når den er truffet. Se ',
      h('a', { href: '#conflicts-heading', text: 'Erklæringer om inhabilitet' }), '.'))
  }
  const path = `#/projects/${project.id}`
  /** @type {Array<[import('../actions.js').Action, string, string, boolean]>} action, text, target, primary */
  const linkActions = [
    ['assess', 'Registrér risikovurdering', `${path}/assessment`, true],
    ['declareConflict', 'Erklær inhabilitet', `${path}/conflict`, false],
    ['issueLetter', 'Udarbejd anbefalingsbrev', `${path}/letter`, true],
    ['reportStatus', 'Indsend statusrapport', `${path}/status-report`, true],
    ['reportBenefits', 'Indsend gevinstopgørelse', `${path}/benefit-report`, true],
    ['revise', 'Revidér projektet', `${path}/edit`, false],
    ['close', 'Afslut projektet', `${path}/closure`, false],
    ['withdraw', 'Træk projektet tilbage', `${path}/withdraw`, false]
  ]
  const links = linkActions.filter(([action]) => allowed.has(action))
    .map(([, text, href, primary]) => h('a', { class: primary ? 'button' : 'button button-secondary', href, text }))
  const forms = ['assign', 'respond', 'approveBaseline', 'decideFollowUp'].some((a) => allowed.has(/** @type {import('../actions.js').Action} */ (a)))
  if (links.length === 0 && notes.length === 0 && !forms) return null
  return h('section', { class: 'actions', 'aria-labelledby': 'actions-heading' },
    h('h2', { id: 'actions-heading', text: 'Handlinger' }),
    notes,
    links.length > 0 ? h('p', { class: 'button-row' }, links) : null,
    allowed.has('assign') ? assignForm(ctx, loaded, names, council, directory) : null,
    allowed.has('respond') ? responseForm(ctx, project) : null,
    allowed.has('approveBaseline') ? baselineForm(ctx, project) : null,
    allowed.has('decideFollowUp') ? followUpForm(ctx, project, latestJudgement(loaded.reports ?? [])?.period ?? '') : null)
}

/**
 * Secretariat: the council's decision after a red judgement — back to the plan, a new baseline or
 * closing the project — once per red judgement.
 * @param {import('../main.js').PageContext} ctx
 * @param {any} project
 * @param {string} period the period of the report judged red
 */
function followUpForm (ctx, project, period) {
  const message = h('div', { class: 'message-slot' })
  const track = radioGroup({
    name: 'follow-up-track',
    legend: 'Opfølgningsspor',
    help: 'Ved "Projektet lukkes" afslutter projektets ejer selv projektet bagefter.',
    options: Object.entries(FOLLOW_UP_TRACK).map(([value, label]) => ({ value, label }))
  })
  const note = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'follow-up-note', name: 'note', rows: '4', maxlength: '5000' }))
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true, class: 'inline-form', 'aria-labelledby': 'follow-up-heading' },
    h('h3', { id: 'follow-up-heading', text: 'Rådets beslutning efter rød vurdering' }),
    h('p', { text: `Rådet har vurderet statusrapporten for ${formatPeriod(period)} rød. Registrér rådets beslutning om det videre forløb; den registreres én gang for vurderingen.` }),
    message,
    track,
    field('Begrundelse', note, { required: true, help: 'Rådets begrundelse for beslutningen.' }),
    h('button', { type: 'submit', text: 'Gem rådets beslutning' })))
  onSubmit(form, message, () => {
    const chosen = /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="follow-up-track"]:checked'))
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    if (!chosen) problems.push({ id: firstRadioId(track), message: 'Vælg rådets opfølgningsspor.' })
    if (!note.value.trim()) problems.push({ id: note.id, message: 'Skriv en begrundelse for beslutningen.' })
    return {
      problems,
      send: async () => {
        const value = chosen?.value ?? ''
        await api(`/v1/projects/${project.id}/follow-up-decisions`, { method: 'POST', body: { track: value, note: note.value.trim() } })
        ctx.navigate(`#/projects/${project.id}`, `Rådets beslutning er registreret: ${FOLLOW_UP_TRACK[value] ?? value}.`)
      }
    }
  })
  return form
}

/** @param {{ completedOn: string, finalCostDkk: number, note: string, closedAt: string }} closure */
function closureText (closure) {
  return h('ul', { class: 'plain' },
    h('li', { text: `Afsluttet den ${formatDate(closure.completedOn)}` }),
    h('li', { text: `Endelige omkostninger: ${formatDkk(closure.finalCostDkk)}` }),
    closure.note ? h('li', { text: `Bemærkning: ${closure.note}` }) : null,
    h('li', { class: 'meta', text: `Registreret ${formatDateTime(closure.closedAt)}` }))
}

/**
 * A closed project's benefit reports (at most two, within 12 months of the completion).
 * @param {any} project
 * @param {any[]} reports
 */
function benefitReportsSection (project, reports) {
  const completedOn = project.closure?.completedOn
  return h('section', { 'aria-labelledby': 'benefit-reports-heading' },
    h('h2', { id: 'benefit-reports-heading', text: 'Gevinstopgørelser' }),
    completedOn
      ? h('p', { class: 'help', text: `Projektet kan indsende op til to gevinstopgørelser inden for 12 måneder efter afslutningen: ${formatDate(completedOn)} – ${formatDate(oneYearAfter(completedOn))}.` })
      : null,
    reports.length === 0
      ? h('p', { text: 'Projektet har endnu ikke indsendt en gevinstopgørelse.' })
      : reports.map((r) => h('article', { class: 'benefit-report', 'aria-labelledby': `benefit-report-${r.number}` },
        h('h3', { id: `benefit-report-${r.number}`, text: `Gevinstopgørelse ${r.number}` }),
        facts([
          ['Opgjort den', formatDate(r.reportedOn)],
          ['Realiserede økonomiske gevinster', formatDkk(r.realisedFinancialBenefitsDkk)],
          ['Bemærkning', r.note || 'Ingen'],
          ['Indsendt', formatDateTime(r.createdAt)]
        ]))))
}

/**
 * Secretariat: approve the project's current version as the baseline the status reports are
 * measured against (after the owner has revised the project since the letter).
 * @param {import('../main.js').PageContext} ctx
 * @param {any} project
 */
function baselineForm (ctx, project) {
  const message = h('div', { class: 'message-slot' })
  const current = project.approvedBaseline
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true, class: 'inline-form', 'aria-labelledby': 'baseline-heading' },
    h('h3', { id: 'baseline-heading', text: 'Godkendt baseline' }),
    h('p', {
      text: current
        ? `Statusrapporterne måles mod version ${current.version}. Projektet er revideret siden og er nu i version ${project.version}.`
        : `Projektet har ingen godkendt baseline. Den nuværende version er ${project.version}.`
    }),
    message,
    h('button', { type: 'submit', text: `Godkend version ${project.version} som baseline` })))
  onSubmit(form, message, () => ({
    problems: [],
    send: async () => {
      await api(`/v1/projects/${project.id}/baseline-approvals`, { method: 'POST', body: { version: project.version } })
      ctx.navigate(`#/projects/${project.id}`, `Version ${project.version} er godkendt som baseline. De næste statusrapporter måles mod den.`)
    }
  }))
  return form
}

/** @param {{ financialDkk: number, description: string } | null | undefined} benefits */
function benefitsText (benefits) {
  if (!benefits) return 'Ikke angivet'
  return h('span', {}, `Økonomiske gevinster: ${formatDkk(benefits.financialDkk)}`, h('br'), benefits.description)
}

/** @param {any} baseline the project's approvedBaseline */
function baselineText (baseline) {
  if (!baseline) return 'Ingen'
  return h('ul', { class: 'plain' },
    h('li', { text: `Version ${baseline.version}, godkendt ${formatDate(baseline.approvedOn)}` }),
    h('li', { text: `Medregnede omkostninger: ${formatDkk(baseline.eligibleCostDkk)}` }),
    h('li', { text: `Samlede omkostninger: ${formatDkk(baseline.totalCostDkk)}` }),
    h('li', { text: `Planlagt slut: ${formatDate(baseline.plannedEnd)}` }),
    h('li', { text: `Forventede økonomiske gevinster: ${baseline.expectedFinancialBenefitsDkk === null ? 'Ikke angivet' : formatDkk(baseline.expectedFinancialBenefitsDkk)}` }))
}

/**
 * "Regelsæt state-2021 (version 2)": the policy version that gated the project.
 * @param {{ policy: string, policyVersion: number }} gating
 */
function policyText (gating) {
  return `Regelsæt ${gating.policy} (version ${gating.policyVersion})`
}

/**
 * Secretariat: attach a council member to the review (at most two), chosen by name from the
 * council's directory. Only those the API would accept are offered: active members of the
 * project's council, not from the owning organisation (they are disqualified) and not already
 * assigned.
 * @param {import('../main.js').PageContext} ctx
 * @param {import('../project-context.js').LoadedProject} loaded
 * @param {Record<string, string>} names organisation names by code
 * @param {string} council the project's council by name
 * @param {import('../api.js').Member[] | null} directory
 */
function assignForm (ctx, loaded, names, council, directory) {
  const { project } = loaded
  const heading = h('h3', { id: 'assign-heading', text: 'Tilknyt rådsmedlem' })
  const directoryLink = h('a', { href: '#/members', text: 'Rådsmedlemmer' })
  if (directory === null) {
    return h('div', { class: 'inline-form' }, heading,
      h('p', {}, 'Rådsmedlemmerne kunne ikke hentes, så der kan ikke tilknyttes et rådsmedlem lige nu. Se listen under ', directoryLink, '.'))
  }
  const assigned = new Set(loaded.assignments.filter((a) => a.active).map((a) => a.memberSub))
  const eligible = directory.filter((m) => m.active && m.council === project.council && m.org !== project.ownerOrg && !assigned.has(m.sub))
  if (eligible.length === 0) {
    return h('div', { class: 'inline-form assign-none' }, heading,
      h('p', { text: `Der er ingen aktive rådsmedlemmer i ${council}, som kan tilknyttes sagen. Medlemmer fra ${orgName(project.ownerOrg, names)} kan ikke tilknyttes, fordi organisationen ejer projektet.` }),
      h('p', {}, 'Registrér eller genaktivér rådsmedlemmer under ', directoryLink, '.'))
  }
  const message = h('div', { class: 'message-slot' })
  const member = /** @type {HTMLSelectElement} */ (h('select', { id: 'assign-member', name: 'memberSub' },
    h('option', { value: '', text: 'Vælg rådsmedlem' }),
    eligible.map((m) => h('option', { value: m.sub, text: `${m.name} (${orgName(m.org, names)})` }))))
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true, class: 'inline-form', 'aria-labelledby': 'assign-heading' },
    heading,
    message,
    field('Rådsmedlem', member, {
      required: true,
      help: `De aktive rådsmedlemmer i ${council}. Medlemmer fra projektets ejer, ${orgName(project.ownerOrg, names)}, og allerede tilknyttede medlemmer kan ikke vælges.`
    }),
    h('p', {}, 'Mangler et rådsmedlem? Se ', directoryLink, '.'),
    h('button', { type: 'submit', text: 'Tilknyt' })))
  onSubmit(form, message, () => ({
    problems: member.value === '' ? [{ id: member.id, message: 'Vælg det rådsmedlem, der skal tilknyttes.' }] : [],
    send: async () => {
      await api(`/v1/projects/${project.id}/assignments`, { method: 'POST', body: { memberSub: member.value } })
      ctx.navigate(`#/projects/${project.id}`, 'Rådsmedlemmet er tilknyttet sagen.')
    }
  }))
  return form
}

/**
 * The owner's answer to the letter (here and on the letter's page).
 * @param {import('../main.js').PageContext} ctx
 * @param {any} project
 */
export function responseForm (ctx, project) {
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
 * @param {Record<string, string>} names
 */
function gateSection (project, names) {
  const gating = project.gating
  return h('section', { 'aria-labelledby': 'gate-heading' },
    h('h2', { id: 'gate-heading', text: 'Resultat af gaten' }),
    h('p', { class: gating.reviewRequired ? 'gate gate-required' : 'gate' },
      h('strong', { text: gating.reviewRequired ? 'Projektet skal vurderes af rådet.' : 'Projektet skal ikke vurderes af rådet.' })),
    h('p', {}, 'Begrundelse:'),
    h('ul', {}, gating.reasons.map((/** @type {string} */ r) => h('li', { text: gateReason(r, names) }))),
    h('p', { class: 'meta', text: `${policyText(gating)}, vurderet ${formatDateTime(gating.evaluatedAt)}.` }))
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

/**
 * The status reports, newest period first: the project's forecast and own lights, the deviation
 * from the approved baseline, and the council's judgement. The owner corrects an unjudged report;
 * the secretariat judges it here.
 * @param {import('../main.js').PageContext} ctx
 * @param {import('../project-context.js').LoadedProject} loaded
 * @param {any[]} reports newest period first
 */
function reportsSection (ctx, loaded, reports) {
  const { project } = loaded
  const correcting = loaded.actions.includes('correctReports')
  const judging = loaded.actions.includes('judgeReports')
  return h('section', { 'aria-labelledby': 'reports-heading' },
    h('h2', { id: 'reports-heading', text: 'Statusrapporter' }),
    reports.length === 0
      ? h('p', { text: 'Projektet har endnu ikke indsendt en statusrapport.' })
      : reports.map((r) => {
        const headingId = `report-${r.period}`
        const period = formatPeriod(r.period)
        return h('article', { class: 'status-report', 'aria-labelledby': headingId },
          h('h3', { id: headingId, text: period }),
          facts([
            ['Rådets vurdering', r.judgement
              ? h('span', {}, trafficLight(r.judgement.overall), h('br'), `Begrundelse: ${r.judgement.comment}`, h('br'),
                h('span', { class: 'meta', text: `Vurderet ${formatDateTime(r.judgement.judgedAt)} af ${r.judgement.judgedByName ?? r.judgement.judgedBy}` }))
              : h('span', { class: 'light light-none', text: 'Ikke vurderet endnu' })],
            ['Projektets egen samlede vurdering', trafficLight(r.ownOverall)],
            ['Projektets egne lys', h('ul', { class: 'plain' },
              h('li', {}, 'Økonomi: ', trafficLight(r.cost)),
              h('li', {}, 'Tidsplan: ', trafficLight(r.schedule)),
              h('li', {}, 'Økonomiske gevinster: ', trafficLight(r.financialBenefits)),
              h('li', {}, 'Ikke-økonomiske gevinster: ', trafficLight(r.nonFinancialBenefits)))],
            ['Prognose', r.forecastCostDkk === null
              ? 'Ikke angivet (rapporten er fra før prognosen blev krævet)'
              : h('ul', { class: 'plain' },
                h('li', { text: `Forventede omkostninger: ${formatDkk(r.forecastCostDkk)}` }),
                h('li', { text: `Forventet slutdato: ${formatDate(r.forecastEndDate)}` }),
                h('li', { text: `Forventede økonomiske gevinster: ${r.forecastFinancialBenefitsDkk === null ? 'Ikke angivet' : formatDkk(r.forecastFinancialBenefitsDkk)}` }))],
            [r.baselineVersion ? `Afvigelse fra baseline version ${r.baselineVersion}` : 'Afvigelse fra baseline', r.deviation
              ? deviationList(r.deviation, r.indicatedLights)
              : 'Ikke beregnet'],
            ['Kommentar', r.comment],
            ['Indsendt', r.version > 1 ? `${formatDateTime(r.createdAt)}, rettet ${formatDateTime(r.updatedAt)}` : formatDateTime(r.createdAt)]
          ]),
          correcting && !r.judgement
            ? h('p', {}, h('a', { class: 'button button-secondary', href: `#/projects/${project.id}/status-report/${r.period}`, 'aria-label': `Ret statusrapport for ${period}`, text: 'Ret statusrapport' }))
            : null,
          judging && !r.judgement ? judgementForm(ctx, project, r) : null)
      }))
}

/**
 * Secretariat: the council's judgement of a status report, once. A red judgement raises the alert.
 * @param {import('../main.js').PageContext} ctx
 * @param {any} project
 * @param {any} report an unjudged report
 */
function judgementForm (ctx, project, report) {
  const period = formatPeriod(report.period)
  const message = h('div', { class: 'message-slot' })
  const name = `judgement-${report.period}`
  const overall = radioGroup({
    name,
    legend: 'Rådets samlede vurdering',
    help: 'Rød vurdering udløser en alarm til sekretariatet og rådet.',
    options: ['green', 'yellow', 'red'].map((l) => ({ value: l, label: LIGHT[l] ?? l }))
  })
  const comment = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: `judgement-comment-${report.period}`, name: 'comment', rows: '4', maxlength: '5000' }))
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true, class: 'inline-form', 'aria-label': `Rådets vurdering af statusrapporten for ${period}` },
    h('h4', { text: 'Rådets vurdering' }),
    message,
    overall,
    field('Begrundelse', comment, { required: true, help: 'Rådets begrundelse for vurderingen. Projektet kan ikke rette rapporten bagefter.' }),
    h('button', { type: 'submit', text: 'Gem rådets vurdering' })))
  onSubmit(form, message, () => {
    const chosen = /** @type {HTMLInputElement | null} */ (form.querySelector(`input[name="${name}"]:checked`))
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    if (!chosen) problems.push({ id: firstRadioId(overall), message: 'Vælg rådets samlede vurdering.' })
    if (!comment.value.trim()) problems.push({ id: comment.id, message: 'Skriv en begrundelse for vurderingen.' })
    return {
      problems,
      send: async () => {
        const light = chosen?.value ?? ''
        await api(`/v1/projects/${project.id}/status-reports/${report.period}/judgement`, { method: 'POST', body: { overall: light, comment: comment.value.trim() } })
        ctx.navigate(`#/projects/${project.id}`, `Rådets vurdering af statusrapporten for ${period} er gemt: ${(LIGHT[light] ?? light).toLowerCase()}.`)
      }
    }
  })
  return form
}

/**
 * The review's members by name: the assignment's own names (memberName, memberOrgName), else the
 * directory's, else the codes.
 * @param {any[]} assignments
 * @param {Record<string, string>} names
 * @param {import('../api.js').Member[] | null} directory
 */
function assignmentsSection (assignments, names, directory) {
  const byDirectory = new Map((directory ?? []).map((m) => [m.sub, m]))
  return h('section', { 'aria-labelledby': 'assignments-heading' },
    h('h2', { id: 'assignments-heading', text: 'Tilknyttede rådsmedlemmer' }),
    assignments.length === 0
      ? h('p', { text: 'Der er endnu ikke tilknyttet rådsmedlemmer.' })
      : h('ul', {}, assignments.map((a) => {
        const known = byDirectory.get(a.memberSub)
        // An assignment made before the directory carries its codes where the names would be.
        const member = (a.memberName && a.memberName !== a.memberSub ? a.memberName : null) ?? known?.name ?? a.memberSub
        const org = (a.memberOrgName && a.memberOrgName !== a.memberOrg ? a.memberOrgName : null) ?? orgName(a.memberOrg ?? known?.org ?? '', names)
        return h('li', {},
          `${member} (${org}), tilknyttet ${formatDateTime(a.assignedAt)}`,
          a.active ? '' : ' – ophørt (inhabil)')
      })))
}

/**
 * The declarations of disqualification the caller may read (all for the secretariat, their own for
 * a member), each with its decision; the secretariat decides a pending one here (forvaltningsloven §6).
 * @param {import('../main.js').PageContext} ctx
 * @param {import('../project-context.js').LoadedProject} loaded
 */
function conflictsSection (ctx, loaded) {
  const deciding = loaded.actions.includes('decideConflict')
  return h('section', { 'aria-labelledby': 'conflicts-heading' },
    h('h2', { id: 'conflicts-heading', text: 'Erklæringer om inhabilitet' }),
    loaded.conflicts.map((c) => h('article', { class: 'conflict', 'aria-labelledby': `conflict-${c.id}` },
      h('h3', { id: `conflict-${c.id}`, text: `${c.memberName} (${c.memberOrgName})` }),
      facts([
        ['Erklæret', formatDateTime(c.declaredAt)],
        ['Grundlag', c.ground],
        ['Redegørelse', c.statement],
        ['Afgørelse', CONFLICT_DECISION[c.decision] ?? c.decision],
        ...(c.decision === 'pending'
          ? []
          : /** @type {Array<[string, string]>} */ ([['Begrundelse', c.reason ?? 'Ingen'], ['Afgjort', `${formatDateTime(c.decidedAt)} af ${c.decidedByName ?? c.decidedBy}`]]))
      ]),
      deciding && c.decision === 'pending' ? decisionForm(ctx, loaded.project, c) : null)))
}

/**
 * @param {import('../main.js').PageContext} ctx
 * @param {any} project
 * @param {any} conflict a pending declaration
 */
function decisionForm (ctx, project, conflict) {
  const message = h('div', { class: 'message-slot' })
  const decision = radioGroup({
    name: `decision-${conflict.id}`,
    legend: 'Afgørelse',
    options: [
      { value: 'disqualified', label: 'Inhabil: tilknytningen ophører, og en risikovurdering fra medlemmet tæller ikke' },
      { value: 'not_disqualified', label: 'Ikke inhabil: medlemmet kan vurdere projektet' }
    ]
  })
  const reason = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: `decision-reason-${conflict.id}`, name: 'reason', rows: '4', maxlength: '5000' }))
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true, class: 'inline-form', 'aria-label': `Afgørelse om ${conflict.memberName}` },
    message,
    decision,
    field('Begrundelse', reason, { required: true, help: 'Sekretariatets begrundelse for afgørelsen. Den står i sagsakterne, ikke i hændelserne.' }),
    h('button', { type: 'submit', text: 'Træf afgørelse' })))
  onSubmit(form, message, () => {
    const chosen = /** @type {HTMLInputElement | null} */ (form.querySelector(`input[name="decision-${conflict.id}"]:checked`))
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    if (!chosen) problems.push({ id: firstRadioId(decision), message: 'Vælg, om rådsmedlemmet er inhabilt.' })
    if (!reason.value.trim()) problems.push({ id: reason.id, message: 'Skriv en begrundelse for afgørelsen.' })
    return {
      problems,
      send: async () => {
        const disqualified = chosen?.value === 'disqualified'
        await api(`/v1/projects/${project.id}/conflicts/${conflict.id}/decision`, { method: 'POST', body: { disqualified, reason: reason.value.trim() } })
        ctx.navigate(`#/projects/${project.id}`, disqualified
          ? `${conflict.memberName} er erklæret inhabil, og tilknytningen er ophørt.`
          : `${conflict.memberName} er ikke inhabil og kan vurdere projektet.`)
      }
    }
  })
  return form
}

/**
 * Who did it: the signed-in person by the name in their token, a council member by their name in
 * the directory, everyone else by their organisation's name (a token's subject is a code, and the
 * pages show names).
 * @param {any} event
 * @param {Record<string, string>} names
 * @param {Map<string, string>} people names by token subject
 */
function actor (event, names, people) {
  if (event.authtype === 'system') return 'Udført af systemet'
  const org = orgName(event.actororg, names)
  const person = people.get(event.authid)
  return person ? `Udført af ${person} (${org})` : `Udført af ${org}`
}

/**
 * @param {any[]} events oldest first
 * @param {Record<string, string>} names
 * @param {import('../api.js').Member[] | null} directory
 * @param {import('../session.js').Session | null} session
 */
function timeline (events, names, directory, session) {
  const members = new Map((directory ?? []).map((m) => [m.sub, m.name]))
  if (session?.name) members.set(session.sub, session.name)
  return h('section', { 'aria-labelledby': 'timeline-heading' },
    h('h2', { id: 'timeline-heading', text: 'Forløb' }),
    events.length === 0
      ? h('p', { text: 'Der er ingen hændelser.' })
      : h('ol', { class: 'timeline' }, events.map((e) => h('li', {},
        h('time', { datetime: e.time, text: formatDateTime(e.time) }),
        h('span', { class: 'event-title', text: EVENT[e.type] ?? e.type }),
        eventDetails(e, names).map((line) => h('span', { class: 'event-description', text: line })),
        h('span', { class: 'event-actor', text: actor(e, names, members) })))))
}
