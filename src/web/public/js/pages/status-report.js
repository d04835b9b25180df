// Statusrapport (#/projects/<id>/status-report): the owner's half-yearly report after the letter,
// with traffic lights for cost, schedule and benefits. The periods offered are the half-years from
// the letter's to the current one (Danish time) that have no report yet.
import { api, listAll } from '../api.js'
import { h } from '../dom.js'
import { formatPeriod, halfYearOf, halfYearsBetween, todayInDenmark } from '../format.js'
import { LIGHT } from '../labels.js'
import { loadProject } from '../project-context.js'
import { field, firstRadioId, onSubmit, projectLead, radioGroup } from '../ui.js'

const LIGHTS = ['green', 'yellow', 'red']
const LIGHT_HELP = 'Grøn = som planlagt, Gul = afvigelse under kontrol, Rød = alvorlig afvigelse.'

/** @param {import('../main.js').PageContext} ctx */
export async function statusReportPage (ctx) {
  const loaded = await loadProject(ctx.params[0] ?? '', ctx.session)
  const { project } = loaded
  const back = h('p', {}, h('a', { href: `#/projects/${project.id}`, text: 'Tilbage til projektet' }))
  if (!loaded.actions.includes('reportStatus')) {
    return {
      title: 'Indsend statusrapport',
      content: [
        projectLead(project),
        h('p', { text: 'Projektet kan ikke indsende en statusrapport: det kan kun projektets ejer, efter anbefalingsbrevet og mens projektet ikke er trukket tilbage.' }),
        back
      ]
    }
  }
  const reported = new Set((await listAll(`/v1/projects/${project.id}/status-reports`)).map((r) => r.period))
  const first = halfYearOf(project.letter?.issuedAt ?? todayInDenmark())
  const periods = halfYearsBetween(first, halfYearOf(todayInDenmark())).filter((p) => !reported.has(p))
  if (periods.length === 0) {
    return {
      title: 'Indsend statusrapport',
      content: [
        projectLead(project),
        h('p', { text: `Projektet har indsendt statusrapporter for alle halvår til og med ${formatPeriod(halfYearOf(todayInDenmark()))}. Den næste kan indsendes, når et nyt halvår begynder.` }),
        back
      ]
    }
  }

  const message = h('div', { class: 'message-slot' })
  const period = /** @type {HTMLSelectElement} */ (h('select', { id: 'report-period', name: 'period' },
    periods.map((p) => h('option', { value: p, text: formatPeriod(p) }))))
  const lightOptions = LIGHTS.map((l) => ({ value: l, label: LIGHT[l] ?? l }))
  const groups = {
    cost: radioGroup({ name: 'cost', legend: 'Økonomi', options: lightOptions }),
    schedule: radioGroup({ name: 'schedule', legend: 'Tidsplan', options: lightOptions }),
    financialBenefits: radioGroup({ name: 'financialBenefits', legend: 'Økonomiske gevinster', options: lightOptions }),
    nonFinancialBenefits: radioGroup({
      name: 'nonFinancialBenefits',
      legend: 'Ikke-økonomiske gevinster',
      help: 'Valgfri: vælg "Ikke angivet", hvis projektet ikke rapporterer ikke-økonomiske gevinster.',
      options: [...lightOptions, { value: '', label: 'Ikke angivet' }],
      required: false
    })
  }
  const comment = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'report-comment', name: 'comment', rows: '5', maxlength: '5000' }))

  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true },
    field('Periode', period, { required: true, help: 'Halvåret, rapporten gælder.' }),
    h('fieldset', { class: 'group' },
      h('legend', { text: 'Lys' }),
      h('p', { class: 'help', text: LIGHT_HELP }),
      Object.values(groups)),
    field('Kommentar', comment, { required: true, help: 'Hvad lysene dækker over, og hvad projektet gør ved afvigelser.' }),
    message,
    h('p', { class: 'button-row' },
      h('button', { type: 'submit', text: 'Indsend statusrapport' }),
      h('a', { href: `#/projects/${project.id}`, class: 'button button-secondary', text: 'Annullér' }))))

  onSubmit(form, message, () => {
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    /** @param {string} name */
    const chosen = (name) => /** @type {HTMLInputElement | null} */ (form.querySelector(`input[name="${name}"]:checked`))?.value ?? null
    /** @type {Record<string, string | null>} */
    const lights = {}
    for (const [name, group] of Object.entries(groups)) {
      lights[name] = chosen(name)
      const legend = group.querySelector('legend')?.firstChild?.textContent ?? name
      if (name !== 'nonFinancialBenefits' && lights[name] === null) problems.push({ id: firstRadioId(group), message: `Vælg et lys for ${legend}.` })
    }
    if (!comment.value.trim()) problems.push({ id: comment.id, message: 'Skriv en kommentar.' })
    return {
      problems,
      send: async () => {
        await api(`/v1/projects/${project.id}/status-reports`, {
          method: 'POST',
          body: {
            period: period.value,
            cost: lights.cost,
            schedule: lights.schedule,
            financialBenefits: lights.financialBenefits,
            nonFinancialBenefits: lights.nonFinancialBenefits || null,
            comment: comment.value.trim()
          }
        })
        ctx.navigate(`#/projects/${project.id}`, `Statusrapporten for ${formatPeriod(period.value)} er indsendt.`)
      }
    }
  })

  return {
    title: 'Indsend statusrapport',
    content: [projectLead(project), form]
  }
}
