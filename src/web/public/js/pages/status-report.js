// Statusrapport (#/projects/<id>/status-report): the owner's half-yearly report after the letter,
// with the forecast (cost, end date, financial benefits) and the project's own traffic lights for
// cost, schedule and benefits. The periods offered are the half-years from the letter's to the
// current one (Danish time) that have no report yet. While the figures are filled in, the page
// shows how far they deviate from the approved baseline and the lights the council's tolerances
// indicate (POST …/status-reports/preview, nothing stored).
// Rettelse (#/projects/<id>/status-report/<period>): the same form, filled in with the report as
// it is (GET with its ETag), corrects an unjudged report (PUT with If-Match).
import { api, ApiError, listAll, request } from '../api.js'
import { h } from '../dom.js'
import { formatDate, formatDkk, formatNumber, formatPeriod, halfYearOf, halfYearsBetween, parseDkk, todayInDenmark } from '../format.js'
import { LIGHT } from '../labels.js'
import { loadProject } from '../project-context.js'
import { deviationList, errorBox, field, firstRadioId, noticeBox, onSubmit, projectLead, radioGroup } from '../ui.js'

const LIGHTS = ['green', 'yellow', 'red']
const LIGHT_HELP = 'Grøn = som planlagt, Gul = afvigelse under kontrol, Rød = alvorlig afvigelse.'
const PREVIEW_DELAY_MS = 400
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** @param {import('../main.js').PageContext} ctx */
export async function statusReportPage (ctx) {
  const loaded = await loadProject(ctx.params[0] ?? '', ctx.session)
  const { project } = loaded
  const correcting = ctx.params[1]?.toUpperCase() ?? null
  const title = correcting ? `Ret statusrapport for ${formatPeriod(correcting)}` : 'Indsend statusrapport'
  const back = h('p', {}, h('a', { href: `#/projects/${project.id}`, text: 'Tilbage til projektet' }))
  /** @param {string} text */
  const refuse = (text) => ({ title, content: [projectLead(project), h('p', { text }), back] })

  /** @type {any} */
  let report = null
  let etag = ''
  if (correcting) {
    if (!loaded.actions.includes('correctReports')) {
      return refuse('Statusrapporten kan ikke rettes: det kan kun projektets ejer, mens projektet følges op efter anbefalingsbrevet.')
    }
    const got = await request(`/v1/projects/${project.id}/status-reports/${encodeURIComponent(correcting)}`)
    report = got.body
    etag = got.headers.get('etag') ?? `"${report.version}"`
    if (report.judgement) {
      return refuse(`Rådet har vurderet statusrapporten for ${formatPeriod(report.period)}, så den kan ikke længere rettes.`)
    }
  } else if (!loaded.actions.includes('reportStatus')) {
    return refuse('Projektet kan ikke indsende en statusrapport: det kan kun projektets ejer, efter anbefalingsbrevet og mens projektet ikke er trukket tilbage.')
  }

  /** @type {string[]} */
  let periods = []
  if (!correcting) {
    const reported = new Set((await listAll(`/v1/projects/${project.id}/status-reports`)).map((r) => r.period))
    const first = halfYearOf(project.letter?.issuedAt ?? todayInDenmark())
    periods = halfYearsBetween(first, halfYearOf(todayInDenmark())).filter((p) => !reported.has(p))
    if (periods.length === 0) {
      return refuse(`Projektet har indsendt statusrapporter for alle halvår til og med ${formatPeriod(halfYearOf(todayInDenmark()))}. Den næste kan indsendes, når et nyt halvår begynder. En rapport, som rådet ikke har vurderet endnu, kan rettes fra projektets side.`)
    }
  }

  const baseline = project.approvedBaseline ?? null
  const message = h('div', { class: 'message-slot' })
  const period = correcting
    ? null
    : /** @type {HTMLSelectElement} */ (h('select', { id: 'report-period', name: 'period' },
        periods.map((p) => h('option', { value: p, text: formatPeriod(p) }))))

  const cost = /** @type {HTMLInputElement} */ (h('input', { id: 'report-forecast-cost', name: 'forecastCostDkk', inputmode: 'numeric', autocomplete: 'off', class: 'input-amount' }))
  const endDate = /** @type {HTMLInputElement} */ (h('input', { id: 'report-forecast-end', name: 'forecastEndDate', type: 'date' }))
  const benefits = /** @type {HTMLInputElement} */ (h('input', { id: 'report-forecast-benefits', name: 'forecastFinancialBenefitsDkk', inputmode: 'numeric', autocomplete: 'off', class: 'input-amount' }))

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

  if (report) {
    cost.value = report.forecastCostDkk === null ? '' : formatNumber(report.forecastCostDkk)
    endDate.value = report.forecastEndDate ?? ''
    benefits.value = report.forecastFinancialBenefitsDkk === null ? '' : formatNumber(report.forecastFinancialBenefitsDkk)
    for (const name of Object.keys(groups)) {
      const value = report[name] ?? ''
      const input = /** @type {HTMLInputElement | null} */ (groups[/** @type {keyof typeof groups} */ (name)].querySelector(`input[value="${value}"]`))
      if (input) input.checked = true
    }
    comment.value = report.comment
  }

  const preview = deviationPreview(project.id, baseline)
  /** The figures as the API takes them, or null while one is missing or wrong. */
  const figures = () => {
    const forecastCostDkk = parseDkk(cost.value)
    const benefitsText = benefits.value.trim()
    const forecastFinancialBenefitsDkk = benefitsText === '' ? null : parseDkk(benefitsText)
    if (forecastCostDkk === null || !DATE.test(endDate.value) || (benefitsText !== '' && forecastFinancialBenefitsDkk === null)) return null
    return { forecastCostDkk, forecastEndDate: endDate.value, forecastFinancialBenefitsDkk }
  }
  for (const input of [cost, endDate, benefits]) {
    input.addEventListener('input', () => preview.schedule(figures()))
    input.addEventListener('change', () => preview.schedule(figures()))
  }
  if (report) preview.schedule(figures())

  const baselineHelp = baseline
    ? {
        cost: `Prognosen for de medregnede omkostninger (uden drift og renter) i hele kroner, fx 10.600.000. Godkendt baseline: ${formatDkk(baseline.eligibleCostDkk)}`,
        end: `Godkendt baseline: ${formatDate(baseline.plannedEnd)}`,
        benefits: baseline.expectedFinancialBenefitsDkk === null
          ? 'Den godkendte baseline har ingen forventede økonomiske gevinster, så afvigelsen beregnes ikke. Lad feltet være tomt, hvis projektet ikke har en prognose.'
          : `Lad feltet være tomt, hvis projektet ikke har en prognose. Godkendt baseline: ${formatDkk(baseline.expectedFinancialBenefitsDkk)}`
      }
    : {
        cost: 'Prognosen for de medregnede omkostninger (uden drift og renter) i hele kroner, fx 10.600.000.',
        end: `Planlagt slut: ${formatDate(project.plannedEnd)}`,
        benefits: 'Lad feltet være tomt, hvis projektet ikke har en prognose.'
      }

  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true },
    period ? field('Periode', period, { required: true, help: 'Halvåret, rapporten gælder.' }) : null,
    h('fieldset', { class: 'group' },
      h('legend', { text: 'Prognose' }),
      h('p', { class: 'help', text: baseline ? `Rapporten måles mod den godkendte baseline (version ${baseline.version}, godkendt ${formatDate(baseline.approvedOn)}).` : 'Projektet har ingen godkendt baseline, så afvigelsen kan ikke beregnes.' }),
      field('Forventede omkostninger (medregnede) i kr.', cost, { required: true, help: baselineHelp.cost }),
      field('Forventet slutdato', endDate, { required: true, help: baselineHelp.end }),
      field('Forventede økonomiske gevinster i kr. (valgfri)', benefits, { help: baselineHelp.benefits })),
    preview.element,
    h('fieldset', { class: 'group' },
      h('legend', { text: 'Projektets egne lys' }),
      h('p', { class: 'help', text: LIGHT_HELP }),
      Object.values(groups)),
    field('Kommentar', comment, { required: true, help: 'Hvad lysene dækker over, og hvad projektet gør ved afvigelser.' }),
    message,
    h('p', { class: 'button-row' },
      h('button', { type: 'submit', text: correcting ? 'Gem rettelsen' : 'Indsend statusrapport' }),
      h('a', { href: `#/projects/${project.id}`, class: 'button button-secondary', text: 'Annullér' }))))

  onSubmit(form, message, () => {
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    const forecastCostDkk = parseDkk(cost.value)
    if (cost.value.trim() === '') problems.push({ id: cost.id, message: 'Skriv de forventede omkostninger i kr.' })
    else if (forecastCostDkk === null) problems.push({ id: cost.id, message: 'Skriv de forventede omkostninger som et helt antal kroner, fx 10.600.000.' })
    if (endDate.value === '') problems.push({ id: endDate.id, message: 'Skriv den forventede slutdato.' })
    else if (!DATE.test(endDate.value)) problems.push({ id: endDate.id, message: 'Skriv den forventede slutdato som en dato, fx 31-12-2029.' })
    else if (endDate.value < project.plannedStart) problems.push({ id: endDate.id, message: `Den forventede slutdato kan ikke ligge før projektets planlagte start, ${formatDate(project.plannedStart)}.` })
    const benefitsText = benefits.value.trim()
    const forecastFinancialBenefitsDkk = benefitsText === '' ? null : parseDkk(benefitsText)
    if (benefitsText !== '' && forecastFinancialBenefitsDkk === null) {
      problems.push({ id: benefits.id, message: 'Skriv de forventede økonomiske gevinster som et helt antal kroner, fx 2.000.000, eller lad feltet være tomt.' })
    }
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
    const body = {
      forecastCostDkk,
      forecastEndDate: endDate.value,
      forecastFinancialBenefitsDkk,
      cost: lights.cost,
      schedule: lights.schedule,
      financialBenefits: lights.financialBenefits,
      nonFinancialBenefits: lights.nonFinancialBenefits || null,
      comment: comment.value.trim()
    }
    return {
      problems,
      send: async () => {
        if (correcting) {
          await api(`/v1/projects/${project.id}/status-reports/${encodeURIComponent(correcting)}`, { method: 'PUT', body, headers: { 'if-match': etag } })
          ctx.navigate(`#/projects/${project.id}`, `Statusrapporten for ${formatPeriod(correcting)} er rettet.`)
        } else {
          const chosenPeriod = period?.value ?? ''
          await api(`/v1/projects/${project.id}/status-reports`, { method: 'POST', body: { period: chosenPeriod, ...body } })
          ctx.navigate(`#/projects/${project.id}`, `Statusrapporten for ${formatPeriod(chosenPeriod)} er indsendt.`)
        }
      }
    }
  }, async (error) => {
    if (correcting && error instanceof ApiError && error.status === 412) {
      // Changed since the form was filled in: show the report as it is now, and say why.
      ctx.navigate(`#/projects/${project.id}/status-report/${correcting}`,
        `Statusrapporten for ${formatPeriod(correcting)} er blevet ændret, siden du åbnede den, så din rettelse er ikke gemt. Formularen viser nu rapporten, som den er; ret den igen, hvis det stadig er nødvendigt.`,
        'notice')
      return noticeBox('Statusrapporten indlæses igen …')
    }
    if (correcting && error instanceof ApiError && error.status === 409) {
      return errorBox(error, { explanation: 'Rådet har vurderet statusrapporten, så den kan ikke længere rettes.' })
    }
    return errorBox(error)
  })

  return {
    title,
    content: [projectLead(project), form]
  }
}

/**
 * The deviation from the approved baseline and the indicated lights, asked of the API while the
 * figures are filled in (a live region: read out when it changes).
 * @param {string} projectId
 * @param {any} baseline the project's approvedBaseline, or null
 */
function deviationPreview (projectId, baseline) {
  const waiting = 'Udfyld de forventede omkostninger og den forventede slutdato, så vises afvigelsen fra den godkendte baseline her.'
  const output = h('div', { class: 'deviation-preview-result', 'aria-live': 'polite' }, h('p', { class: 'muted', text: waiting }))
  /** @type {number | undefined} */
  let timer
  let asked = 0
  let lastBody = ''

  /** @param {string} text */
  function say (text) {
    output.replaceChildren(h('p', { class: 'muted', text }))
  }

  /** @param {{ forecastCostDkk: number, forecastEndDate: string, forecastFinancialBenefitsDkk: number | null } | null} figures */
  function schedule (figures) {
    const json = figures === null ? '' : JSON.stringify(figures)
    if (json === lastBody) return
    lastBody = json
    window.clearTimeout(timer)
    const ask = ++asked
    if (figures === null) {
      say(waiting)
      return
    }
    timer = window.setTimeout(async () => {
      try {
        // The lights and the comment do not change the deviation; the preview takes a whole report.
        const result = await api(`/v1/projects/${projectId}/status-reports/preview`, {
          method: 'POST',
          body: { ...figures, cost: 'green', schedule: 'green', financialBenefits: 'green', nonFinancialBenefits: null, comment: 'Beregning af afvigelse' }
        })
        if (ask === asked) show(result)
      } catch (error) {
        if (ask !== asked) return
        if (error instanceof ApiError && error.status === 422 && error.problem?.detail) say(`Afvigelsen kan ikke beregnes: ${error.problem.detail}`)
        else if (error instanceof ApiError && error.status === 400) say(waiting)
        else say('Afvigelsen kan ikke vises lige nu. Du kan stadig sende rapporten.')
      }
    }, PREVIEW_DELAY_MS)
  }

  /** @param {any} result */
  function show (result) {
    if (!result.deviation) {
      say('Projektet har ingen godkendt baseline, så afvigelsen kan ikke beregnes.')
      return
    }
    output.replaceChildren(deviationList(result.deviation, result.indicatedLights),
      h('p', { class: 'meta', text: `Målt mod baseline version ${result.baselineVersion}. Beregningen gemmes ikke; rapporten måles igen, når den sendes.` }))
  }

  const element = h('section', { class: 'gate-preview deviation-preview', 'aria-labelledby': 'deviation-preview-heading' },
    h('h2', { id: 'deviation-preview-heading', text: 'Beregnet afvigelse fra den godkendte baseline' }),
    baseline ? null : h('p', { class: 'help', text: 'Projektet har ingen godkendt baseline.' }),
    output)
  return { element, schedule }
}
