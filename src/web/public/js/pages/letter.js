// Anbefalingsbrev: the letter once it is issued (read-only, with the project's answer or the form
// for it); before that, for the secretariat, the form that issues the council's verdict once both
// members have assessed.
import { api, optional } from '../api.js'
import { append, h } from '../dom.js'
import { DIMENSION_LABEL, DIMENSIONS, profileText } from '../labels.js'
import { loadProject } from '../project-context.js'
import { field, firstRadioId, letterView, onSubmit, profileChoice, projectLead, recommendationsEditor, responseView, scrollableTable } from '../ui.js'
import { responseForm } from './project.js'

/** @param {import('../main.js').PageContext} ctx */
export async function letterPage (ctx) {
  const loaded = await loadProject(ctx.params[0] ?? '', ctx.session)
  const { project } = loaded
  const id = project.id
  if (project.letter) {
    const letter = await optional(`/v1/projects/${id}/letter`)
    return {
      title: 'Anbefalingsbrev',
      content: [
        projectLead(project),
        letterView(project, letter),
        loaded.response ? responseView(loaded.response) : null,
        loaded.actions.includes('respond') ? h('section', { class: 'actions', 'aria-label': 'Svar' }, responseForm(ctx, project)) : null,
        h('p', {}, h('a', { href: `#/projects/${id}`, text: 'Tilbage til projektet' }))
      ]
    }
  }
  if (!loaded.actions.includes('issueLetter')) {
    return {
      title: 'Anbefalingsbrev',
      content: [
        projectLead(project),
        h('p', { text: 'Rådet har endnu ikke udsendt et anbefalingsbrev for projektet.' }),
        h('p', {}, h('a', { href: `#/projects/${id}`, text: 'Tilbage til projektet' }))
      ]
    }
  }
  const assessments = await optional(`/v1/projects/${id}/assessments?limit=50`)
  const counted = (assessments?.items ?? []).filter((/** @type {any} */ a) => a.countsTowardLetter !== false)
  const message = h('div', { class: 'message-slot' })

  const statement = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'letter-statement', name: 'statement', rows: '8', maxlength: '20000' }))
  const profile = profileChoice({ name: 'riskProfile', legend: 'Risikoprofil', help: 'Rådets samlede risikoprofil for projektet.' })
  const recommendations = recommendationsEditor({
    legend: 'Anbefalinger',
    initial: counted.flatMap((/** @type {any} */ a) => a.recommendations)
  })
  const external = h('input', { type: 'checkbox', id: 'letter-external', name: 'externalReviewRecommended' })

  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true },
    field('Rådets udtalelse', statement, { required: true, help: 'Den generelle udtalelse om projektet.' }),
    profile,
    recommendations.element,
    h('div', { class: 'field field-checkbox' }, external, h('label', { for: 'letter-external', text: 'Rådet anbefaler et eksternt review' })),
    h('p', { class: 'button-row' },
      h('button', { type: 'submit', text: 'Udsend anbefalingsbrev' }),
      h('a', { href: `#/projects/${project.id}`, class: 'button button-secondary', text: 'Annullér' }))))

  onSubmit(form, message, () => {
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    if (!statement.value.trim()) problems.push({ id: statement.id, message: 'Skriv rådets udtalelse.' })
    const chosen = /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="riskProfile"]:checked'))
    if (!chosen) problems.push({ id: firstRadioId(profile), message: 'Vælg en risikoprofil.' })
    return {
      problems,
      send: async () => {
        await api(`/v1/projects/${project.id}/letter`, {
          method: 'POST',
          body: {
            statement: statement.value.trim(),
            riskProfile: chosen?.value,
            recommendations: recommendations.values(),
            externalReviewRecommended: /** @type {HTMLInputElement} */ (external).checked
          }
        })
        ctx.navigate(`#/projects/${project.id}`, 'Anbefalingsbrevet er udsendt.')
      }
    }
  })

  return {
    title: 'Anbefalingsbrev',
    content: [
      projectLead(project),
      assessmentsOverview(counted),
      h('section', { 'aria-labelledby': 'letter-form-heading' },
        h('h2', { id: 'letter-form-heading', text: 'Brevets indhold' }),
        message,
        form)
    ]
  }
}

/** @param {any[]} assessments */
function assessmentsOverview (assessments) {
  const section = h('section', { 'aria-labelledby': 'assessments-heading' },
    h('h2', { id: 'assessments-heading', text: 'Rådsmedlemmernes risikovurderinger' }))
  if (assessments.length === 0) {
    section.append(h('p', { text: 'Der er endnu ingen risikovurderinger. Brevet kan først udsendes, når begge tilknyttede rådsmedlemmer har vurderet projektet.' }))
    return section
  }
  const who = (/** @type {any} */ a) => a.memberName ?? a.memberSub
  append(section, [
    scrollableTable('Risiko pr. dimension', h('table', { class: 'data' },
      h('caption', { text: 'Risiko pr. dimension (1 = lav, 4 = meget høj)' }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Dimension' }), assessments.map((a) => h('th', { scope: 'col', class: 'number', text: who(a) })))),
      h('tbody', {},
        DIMENSIONS.map((d) => h('tr', {}, h('th', { scope: 'row', text: d.label }), assessments.map((a) => h('td', { class: 'number', text: String(a.scores[d.key]) })))),
        h('tr', {}, h('th', { scope: 'row', text: 'Foreslået risikoprofil' }), assessments.map((a) => h('td', { class: 'number', text: profileText(a.proposedProfile) })))))),
    assessments.map((a) => h('div', { class: 'assessment-summary' },
      h('h3', { text: `Sammenfatning fra ${who(a)}` }),
      h('p', { class: 'prose', text: a.summary }),
      a.recommendations.length > 0
        ? h('ul', {}, a.recommendations.map((/** @type {any} */ r) => h('li', {}, h('strong', { text: `${DIMENSION_LABEL[r.category] ?? r.category}: ` }), r.text)))
        : null))])
  return section
}
