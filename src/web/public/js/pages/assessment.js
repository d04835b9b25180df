// Risikovurdering: a council member's assessment of the seven risk dimensions.
import { api } from '../api.js'
import { h } from '../dom.js'
import { DIMENSIONS, SCORE } from '../labels.js'
import { loadProject } from '../project-context.js'
import { assessmentView, field, firstRadioId, onSubmit, profileChoice, projectLead, radioGroup, recommendationsEditor } from '../ui.js'

/** @param {import('../main.js').PageContext} ctx */
export async function assessmentPage (ctx) {
  const loaded = await loadProject(ctx.params[0] ?? '', ctx.session)
  const { project } = loaded
  if (!loaded.actions.includes('assess')) {
    return {
      title: 'Risikovurdering',
      content: [
        projectLead(project),
        loaded.ownAssessment
          ? [h('p', { text: 'Du har allerede afgivet din risikovurdering af projektet.' }),
              assessmentView(loaded.ownAssessment, { heading: 'Din risikovurdering', id: 'own-assessment-heading' })]
          : h('p', { text: 'Du kan ikke registrere en risikovurdering af projektet: det kræver, at du er tilknyttet vurderingen, og at projektet er under vurdering.' }),
        h('p', {}, h('a', { href: `#/projects/${project.id}`, text: 'Tilbage til projektet' }))
      ]
    }
  }
  const message = h('div', { class: 'message-slot' })

  const scoreOptions = [1, 2, 3, 4].map((n) => ({ value: String(n), label: `${n} – ${SCORE[n]}` }))
  const dimensions = DIMENSIONS.map((d) => radioGroup({ name: `score-${d.key}`, legend: d.label, help: d.help, options: scoreOptions }))
  const profile = profileChoice({
    name: 'proposedProfile',
    legend: 'Foreslået risikoprofil',
    help: 'Din samlede vurdering af projektets risiko. Sekretariatet fastsætter rådets profil i anbefalingsbrevet.'
  })
  const summary = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'assessment-summary', name: 'summary', rows: '6', maxlength: '10000' }))
  const recommendations = recommendationsEditor({ legend: 'Anbefalinger' })

  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true, class: 'assessment-form' },
    h('fieldset', { class: 'group' },
      h('legend', { text: 'Risiko pr. dimension' }),
      h('p', { class: 'help', text: 'Vurdér hver dimension fra 1 (lav risiko) til 4 (meget høj risiko).' }),
      dimensions),
    profile,
    field('Sammenfatning', summary, { required: true, help: 'Din samlede begrundelse for vurderingen.' }),
    recommendations.element,
    h('p', { class: 'button-row' },
      h('button', { type: 'submit', text: 'Indsend risikovurdering' }),
      h('a', { href: `#/projects/${project.id}`, class: 'button-secondary button', text: 'Annullér' }))))

  onSubmit(form, message, () => {
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    /** @type {Record<string, number>} */
    const scores = {}
    for (const [i, d] of DIMENSIONS.entries()) {
      const checked = /** @type {HTMLInputElement | null} */ (form.querySelector(`input[name="score-${d.key}"]:checked`))
      if (checked) scores[d.key] = Number(checked.value)
      else problems.push({ id: firstRadioId(dimensions[i]), message: `Vælg en risiko for ${d.label}.` })
    }
    const chosenProfile = /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="proposedProfile"]:checked'))
    if (!chosenProfile) problems.push({ id: firstRadioId(profile), message: 'Vælg en foreslået risikoprofil.' })
    if (!summary.value.trim()) problems.push({ id: summary.id, message: 'Skriv en sammenfatning.' })
    return {
      problems,
      send: async () => {
        await api(`/v1/projects/${project.id}/assessments`, {
          method: 'POST',
          body: { scores, proposedProfile: chosenProfile?.value, summary: summary.value.trim(), recommendations: recommendations.values() }
        })
        ctx.navigate(`#/projects/${project.id}`, 'Din risikovurdering er registreret.')
      }
    }
  })

  return {
    title: 'Risikovurdering',
    content: [
      projectLead(project),
      message,
      form
    ]
  }
}
