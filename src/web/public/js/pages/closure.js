// Afslut projektet (#/projects/<id>/closure): the owner closes the project after the letter, with
// the date it was completed (not in the future), the final cost and a note. Closing is final: no
// more status reports, corrections or revisions; up to two benefit reports may follow.
import { api } from '../api.js'
import { h } from '../dom.js'
import { formatDate, parseDkk, todayInDenmark } from '../format.js'
import { loadProject } from '../project-context.js'
import { field, onSubmit, projectLead } from '../ui.js'

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** @param {import('../main.js').PageContext} ctx */
export async function closurePage (ctx) {
  const loaded = await loadProject(ctx.params[0] ?? '', ctx.session)
  const { project } = loaded
  const title = 'Afslut projektet'
  if (!loaded.actions.includes('close')) {
    return {
      title,
      content: [
        projectLead(project),
        h('p', {
          text: project.status === 'closed'
            ? 'Projektet er allerede afsluttet.'
            : 'Projektet kan ikke afsluttes: det kan kun projektets ejer, efter anbefalingsbrevet og mens projektet ikke er trukket tilbage.'
        }),
        h('p', {}, h('a', { href: `#/projects/${project.id}`, text: 'Tilbage til projektet' }))
      ]
    }
  }
  const today = todayInDenmark()
  const message = h('div', { class: 'message-slot' })
  const completedOn = /** @type {HTMLInputElement} */ (h('input', { id: 'closure-completed-on', name: 'completedOn', type: 'date', max: today }))
  const finalCost = /** @type {HTMLInputElement} */ (h('input', { id: 'closure-final-cost', name: 'finalCostDkk', inputmode: 'numeric', autocomplete: 'off', class: 'input-amount' }))
  const note = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'closure-note', name: 'note', rows: '4', maxlength: '5000' }))
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true },
    field('Afsluttet den', completedOn, { required: true, help: `Den dag, projektet blev afsluttet. Datoen kan ikke ligge efter i dag, ${formatDate(today)}.` }),
    field('Endelige omkostninger i kr.', finalCost, { required: true, help: 'De endelige medregnede omkostninger i hele kroner, fx 10.400.000.' }),
    field('Bemærkning', note, { required: true, help: 'Hvad projektet har leveret, og hvordan det er gået.' }),
    message,
    h('p', { class: 'button-row' },
      h('button', { type: 'submit', class: 'button-danger', text: 'Ja, afslut projektet' }),
      h('a', { href: `#/projects/${project.id}`, class: 'button button-secondary', text: 'Annullér' }))))

  onSubmit(form, message, () => {
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    if (completedOn.value === '') problems.push({ id: completedOn.id, message: 'Skriv den dato, projektet blev afsluttet.' })
    else if (!DATE.test(completedOn.value)) problems.push({ id: completedOn.id, message: 'Skriv afslutningsdatoen som en dato, fx 30-11-2026.' })
    else if (completedOn.value > today) problems.push({ id: completedOn.id, message: `Afslutningsdatoen kan ikke ligge i fremtiden (efter ${formatDate(today)}).` })
    const cost = parseDkk(finalCost.value)
    if (finalCost.value.trim() === '') problems.push({ id: finalCost.id, message: 'Skriv de endelige omkostninger i kr.' })
    else if (cost === null) problems.push({ id: finalCost.id, message: 'Skriv de endelige omkostninger som et helt antal kroner, fx 10.400.000.' })
    if (!note.value.trim()) problems.push({ id: note.id, message: 'Skriv en bemærkning til afslutningen.' })
    return {
      problems,
      send: async () => {
        await api(`/v1/projects/${project.id}/closure`, { method: 'POST', body: { completedOn: completedOn.value, finalCostDkk: cost, note: note.value.trim() } })
        ctx.navigate(`#/projects/${project.id}`, 'Projektet er afsluttet.')
      }
    }
  })

  return {
    title,
    content: [
      projectLead(project),
      h('div', { class: 'notice' },
        h('p', {}, h('strong', { text: 'Afslutningen er endelig. ' }),
          'Når projektet er afsluttet, kan det hverken revideres, trækkes tilbage eller indsende flere statusrapporter. Inden for 12 måneder efter afslutningen kan projektet indsende op til to gevinstopgørelser.')),
      form
    ]
  }
}
