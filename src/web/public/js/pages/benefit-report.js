// Indsend gevinstopgørelse (#/projects/<id>/benefit-report): the owner of a closed project reports
// the financial benefits realised so far, at most twice, dated within 12 months of the completion
// and not in the future.
import { api } from '../api.js'
import { h } from '../dom.js'
import { formatDate, oneYearAfter, parseDkk, todayInDenmark } from '../format.js'
import { loadProject } from '../project-context.js'
import { field, onSubmit, projectLead } from '../ui.js'

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** @param {import('../main.js').PageContext} ctx */
export async function benefitReportPage (ctx) {
  const loaded = await loadProject(ctx.params[0] ?? '', ctx.session)
  const { project } = loaded
  const title = 'Indsend gevinstopgørelse'
  const back = h('p', {}, h('a', { href: `#/projects/${project.id}`, text: 'Tilbage til projektet' }))
  if (!loaded.actions.includes('reportBenefits') || !project.closure) {
    const reason = project.status === 'closed' && (loaded.benefitReports?.length ?? 0) >= 2
      ? 'Projektet har indsendt begge sine gevinstopgørelser.'
      : 'Projektet kan ikke indsende en gevinstopgørelse: det kan kun projektets ejer, når projektet er afsluttet.'
    return { title, content: [projectLead(project), h('p', { text: reason }), back] }
  }
  const today = todayInDenmark()
  const from = project.closure.completedOn
  const until = oneYearAfter(from)
  const last = until < today ? until : today
  const number = (loaded.benefitReports?.length ?? 0) + 1
  const message = h('div', { class: 'message-slot' })
  const reportedOn = /** @type {HTMLInputElement} */ (h('input', { id: 'benefit-reported-on', name: 'reportedOn', type: 'date', min: from, max: last }))
  const amount = /** @type {HTMLInputElement} */ (h('input', { id: 'benefit-amount', name: 'realisedFinancialBenefitsDkk', inputmode: 'numeric', autocomplete: 'off', class: 'input-amount' }))
  const note = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'benefit-note', name: 'note', rows: '4', maxlength: '5000' }))
  const span = `inden for 12 måneder efter afslutningen: ${formatDate(from)} – ${formatDate(until)}`
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true },
    field('Opgjort den', reportedOn, { required: true, help: `Den dag, gevinsterne er opgjort, ${span}. Datoen kan ikke ligge efter i dag.` }),
    field('Realiserede økonomiske gevinster i kr.', amount, { required: true, help: 'De økonomiske gevinster, projektet har realiseret indtil nu, i hele kroner, fx 1.500.000.' }),
    field('Bemærkning', note, { required: true, help: 'Hvilke gevinster der er realiseret, og hvad der mangler.' }),
    message,
    h('p', { class: 'button-row' },
      h('button', { type: 'submit', text: 'Indsend gevinstopgørelse' }),
      h('a', { href: `#/projects/${project.id}`, class: 'button button-secondary', text: 'Annullér' }))))

  onSubmit(form, message, () => {
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    if (reportedOn.value === '') problems.push({ id: reportedOn.id, message: 'Skriv den dato, gevinsterne er opgjort.' })
    else if (!DATE.test(reportedOn.value)) problems.push({ id: reportedOn.id, message: 'Skriv opgørelsesdatoen som en dato, fx 30-11-2026.' })
    else if (reportedOn.value > today) problems.push({ id: reportedOn.id, message: `Opgørelsesdatoen kan ikke ligge i fremtiden (efter ${formatDate(today)}).` })
    else if (reportedOn.value < from || reportedOn.value > until) problems.push({ id: reportedOn.id, message: `Opgørelsesdatoen skal ligge ${span}.` })
    const value = parseDkk(amount.value)
    if (amount.value.trim() === '') problems.push({ id: amount.id, message: 'Skriv de realiserede økonomiske gevinster i kr.' })
    else if (value === null) problems.push({ id: amount.id, message: 'Skriv de realiserede økonomiske gevinster som et helt antal kroner, fx 1.500.000.' })
    if (!note.value.trim()) problems.push({ id: note.id, message: 'Skriv en bemærkning til opgørelsen.' })
    return {
      problems,
      send: async () => {
        await api(`/v1/projects/${project.id}/benefit-reports`, { method: 'POST', body: { reportedOn: reportedOn.value, realisedFinancialBenefitsDkk: value, note: note.value.trim() } })
        ctx.navigate(`#/projects/${project.id}`, `Gevinstopgørelse ${number} er indsendt.`)
      }
    }
  })

  return {
    title,
    content: [
      projectLead(project),
      h('p', { text: `Gevinstopgørelse ${number} af højst 2, ${span}.` }),
      form
    ]
  }
}
