// Årsrapport. The secretariat (its own council) and the administrator (the council chosen) see the
// council's year (GET /v1/reports/annual): the key figures in words, three charts — letters per risk
// profile, recommendations per category, the council's judgements per half-year — each with a table
// of the same numbers, and the report as CSV (for Excel) or PDF, fetched with the session's token.
import { api, councils, download } from '../api.js'
import { h } from '../dom.js'
import { formatDkk, formatNumber, formatPeriod, todayInDenmark } from '../format.js'
import { COUNCIL, councilName, countOf, DIMENSION_LABEL, PROFILE } from '../labels.js'
import { hasRole } from '../session.js'
import { errorBox, facts, noticeBox, showMessage } from '../ui.js'
import { barChart, halfYearLines } from './portfolio-chart.js'

/** The first year the councils' rules (regions-2019) cover. */
const FIRST_YEAR = 2019

/** The parts of a half-year's bar, bottom up, as the CSV names them. */
const LIGHT_PARTS = [
  { key: 'green', label: 'Grøn' },
  { key: 'yellow', label: 'Gul' },
  { key: 'red', label: 'Rød' },
  { key: 'unjudged', label: 'Ikke vurderet' },
  { key: 'missing', label: 'Mangler statusrapport' }
]

/** @param {import('../main.js').PageContext} ctx */
export async function annualReportPage (ctx) {
  if (!hasRole(ctx.session, 'secretariat', 'admin')) {
    return { title: 'Årsrapport', content: noticeBox('Årsrapporten er for rådets sekretariat og administratorer.') }
  }
  const admin = !hasRole(ctx.session, 'secretariat')
  const currentYear = Number(todayInDenmark().slice(0, 4))
  const askedYear = Number(ctx.query.get('year'))
  const year = Number.isInteger(askedYear) && askedYear >= FIRST_YEAR && askedYear <= currentYear ? askedYear : currentYear
  const askedCouncil = ctx.query.get('council') ?? ''
  const council = admin ? (askedCouncil in COUNCIL ? askedCouncil : 'regions') : ''
  const params = new URLSearchParams({ year: String(year) })
  if (council) params.set('council', council)
  const path = `/v1/reports/annual?${params}`

  const [report, councilList] = await Promise.all([api(path), councils()])
  const councilWords = councilName(report.council, councilList)

  const yearSelect = /** @type {HTMLSelectElement} */ (h('select', { id: 'annual-year', name: 'year' },
    Array.from({ length: currentYear - FIRST_YEAR + 1 }, (_, i) => currentYear - i)
      .map((y) => h('option', { value: String(y), text: String(y), selected: y === year }))))
  const councilSelect = admin
    ? /** @type {HTMLSelectElement} */ (h('select', { id: 'annual-council', name: 'council' },
        Object.keys(COUNCIL).map((code) => h('option', { value: code, text: councilName(code, councilList), selected: code === council }))))
    : null
  const form = h('form', { class: 'filters', 'aria-label': 'Vælg årsrapport' },
    councilSelect ? h('div', { class: 'field' }, h('label', { for: 'annual-council', text: 'Råd' }), councilSelect) : null,
    h('div', { class: 'field' }, h('label', { for: 'annual-year', text: 'År' }), yearSelect),
    h('button', { type: 'submit', text: 'Vis' }))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const next = new URLSearchParams()
    if (councilSelect && councilSelect.value !== 'regions') next.set('council', councilSelect.value)
    if (Number(yearSelect.value) !== currentYear) next.set('year', yearSelect.value)
    const query = next.toString()
    ctx.navigate(`#/annual-report${query ? '?' + query : ''}`)
  })

  const { reviews, recommendations, portfolio, statusLights } = report
  const median = reviews.medianWorkingDaysToLetter
  const keyFigures = h('section', { 'aria-labelledby': 'annual-figures' },
    h('h2', { id: 'annual-figures', text: `${councilWords} i ${year}` }),
    facts([
      ['Anbefalingsbreve', countOf(reviews.letters, 'brev', 'breve')],
      ['Tid fra indsendelse til brev', median === null
        ? 'Ingen breve i året'
        : `${formatNumber(median)} ${median === 1 ? 'arbejdsdag' : 'arbejdsdage'} (median)`],
      ['Breve efter fristen', countOf(reviews.overdueLetters, 'brev', 'breve')],
      ['Anbefalinger', countOf(recommendations.total, 'anbefaling', 'anbefalinger')],
      ['Projekter i porteføljen', countOf(portfolio.projects, 'projekt', 'projekter')],
      ['Støtteberettigede omkostninger', formatDkk(portfolio.eligibleCostDkk)],
      ['Afsluttede projekter', countOf(report.closures, 'projekt', 'projekter')]
    ]))

  const profiles = barChart(['A', 'B', 'C', 'D'].map((profile) => ({
    label: `${profile} – ${PROFILE[profile]}`,
    lines: [profile],
    values: { letters: reviews.byRiskProfile[profile] ?? 0 }
  })), { caption: `Anbefalingsbreve pr. risikoprofil, ${year}`, parts: [{ key: 'letters', label: 'Breve' }], rowHeading: 'Risikoprofil' })

  const categories = Object.entries(/** @type {Record<string, number>} */ (recommendations.byCategory))
    .map(([category, count]) => ({ label: DIMENSION_LABEL[category] ?? category, values: { recommendations: count } }))
    .sort((a, b) => a.label.localeCompare(b.label, 'da'))
  const categoryChart = categories.length === 0
    ? h('p', { class: 'empty', text: `Ingen anbefalinger i ${year}.` })
    : barChart(categories, { caption: `Anbefalinger pr. kategori, ${year}`, parts: [{ key: 'recommendations', label: 'Anbefalinger' }], rowHeading: 'Kategori' })

  const lights = barChart([`${year}-H1`, `${year}-H2`].map((period) => ({
    label: formatPeriod(period),
    lines: halfYearLines(formatPeriod(period)),
    values: statusLights[period] ?? {}
  })), { caption: `Rådets vurderinger af statusrapporterne pr. halvår, ${year}`, parts: LIGHT_PARTS, rowHeading: 'Halvår' })

  const slot = h('div', { class: 'message-slot' })
  /**
   * @param {string} text
   * @param {string} accept
   * @param {string} extension
   */
  const downloadButton = (text, accept, extension) => {
    const button = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'button-secondary', text }))
    button.addEventListener('click', async () => {
      button.disabled = true
      try {
        await download(path, { accept, filename: `aarsrapport-${report.council}-${year}.${extension}` })
        slot.replaceChildren()
      } catch (error) {
        showMessage(slot, errorBox(error))
      } finally {
        button.disabled = false
      }
    })
    return button
  }
  const downloads = h('div', { class: 'annual-downloads' },
    h('p', { class: 'button-row' }, downloadButton('Hent CSV', 'text/csv', 'csv'), ' ', downloadButton('Hent PDF', 'application/pdf', 'pdf')),
    h('p', { class: 'help', text: 'CSV-filen har én række pr. projekt i årets portefølje og åbner direkte i Excel.' }),
    slot)

  const help = h('p', { class: 'help' },
    'Porteføljen er rådets projekter med et anbefalingsbrev senest 31. december, som ikke er trukket tilbage eller afsluttet før årets begyndelse. ',
    'Arbejdsdage er hverdage uden helligdage, grundlovsdag, juleaften og nytårsaften. ',
    'Et brev er efter fristen, når det er dateret efter projektets frist for vurdering.')

  return { title: 'Årsrapport', content: [form, keyFigures, downloads, profiles, categoryChart, lights, help] }
}
