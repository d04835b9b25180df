// Porteføljeoverblik. The secretariat and the administrator see their council's portfolio for a
// half-year (GET /v1/portfolio): red rows first as the API orders them, each project's report of
// that half-year or that it is missing, the council's follow-up track, paged with "Vis flere", and a
// chart of the lights over the last four half-years (inline SVG with a table of the same numbers).
// Everyone else (submitters, council members) sees every project they may see, with the traffic
// lights of its latest status report. Both filter by region and status.
import { api, councils, listAll, optional, organisations } from '../api.js'
import { h } from '../dom.js'
import { formatPeriod, halfYearOf, recentHalfYears, todayInDenmark } from '../format.js'
import { COUNCIL, countLights, countOf, FOLLOW_UP_TRACK, LIGHT, orgName, profileText, STATUS } from '../labels.js'
import { hasRole } from '../session.js'
import { scrollableTable, statusBadge, trafficLight } from '../ui.js'
import { lightsChart } from './portfolio-chart.js'

const REPORTING = new Set(['letter_issued', 'responded'])
/** States from which a project reports once its letter is out. */
const BEFORE_LETTER = new Set(['awaiting_assessment', 'under_assessment'])

/**
 * What the lights' columns say of a project without a status report.
 * @param {string} status
 */
function noReport (status) {
  if (REPORTING.has(status)) return 'Ingen statusrapport endnu'
  if (BEFORE_LETTER.has(status)) return 'Rapporterer først efter anbefalingsbrevet'
  return 'Følges ikke op' // not_required, withdrawn: they will never report
}

/** @param {import('../main.js').PageContext} ctx */
export async function portfolioPage (ctx) {
  return hasRole(ctx.session, 'secretariat', 'admin') ? councilPortfolio(ctx) : projectsPortfolio(ctx)
}

/** @param {import('../main.js').PageContext} ctx */
async function projectsPortfolio (ctx) {
  const region = ctx.query.get('region') ?? ''
  const status = ctx.query.get('status') ?? ''
  const [projects, orgs] = await Promise.all([
    listAll('/v1/projects', { region, status }),
    organisations()
  ])
  const names = Object.fromEntries(orgs.map((o) => [o.code, o.name]))
  const regionNames = Object.fromEntries(orgs.filter((o) => o.kind === 'region').map((o) => [o.code, o.name]))
  const latest = await latestReports(projects.filter((p) => REPORTING.has(p.status)))

  const filters = filterForm(ctx, regionNames, region, status)
  const counts = { green: 0, yellow: 0, red: 0 }
  let ownOnly = 0
  for (const report of latest.values()) {
    const light = /** @type {'green' | 'yellow' | 'red' | undefined} */ (report.overall ?? report.ownOverall)
    if (light && light in counts) counts[light] += 1
    if (!report.overall) ownOnly += 1
  }

  const described = [
    region ? `i ${orgName(region, names)}` : null,
    status ? `med status "${STATUS[status] ?? status}"` : null
  ].filter(Boolean).join(' ')
  const summary = h('p', { class: 'summary', role: 'status' },
    `${countOf(projects.length, 'projekt', 'projekter')}${described ? ' ' + described : ''}. `,
    `Seneste statusrapporter: ${countLights(counts.green, 'green')}, ${countLights(counts.yellow, 'yellow')} og ${countLights(counts.red, 'red')}`,
    '.',
    ownOnly === 0
      ? ''
      : ownOnly === 1
        ? ' 1 af dem er projektets egen vurdering, fordi rådet endnu ikke har vurderet rapporten.'
        : ` ${ownOnly} af dem er projekternes egne vurderinger, fordi rådet endnu ikke har vurderet rapporterne.`)

  const table = projects.length === 0
    ? h('p', { class: 'empty', text: 'Ingen projekter matcher filteret.' })
    : scrollableTable('Projekter med seneste statusrapport', h('table', { class: 'data portfolio' },
      h('caption', { text: 'Projekter med seneste statusrapport' }),
      h('thead', {}, h('tr', {},
        ['Projekt', 'Ejer', 'Status', 'Risikoprofil', 'Periode', 'Samlet', 'Økonomi', 'Tidsplan', 'Økonomiske gevinster', 'Ikke-økonomiske gevinster']
          .map((label) => h('th', { scope: 'col', text: label })))),
      h('tbody', {}, projects.map((p) => {
        const report = latest.get(p.id)
        return h('tr', {},
          h('th', { scope: 'row' }, h('a', { href: `#/projects/${p.id}`, text: p.title }), h('span', { class: 'reference', text: p.reference })),
          h('td', { text: orgName(p.ownerOrg, names) }),
          h('td', {}, statusBadge(p.status)),
          h('td', { text: p.letter ? profileText(p.letter.riskProfile) : '–' }),
          report
            ? [
                h('td', { text: formatPeriod(report.period) }),
                h('td', {}, overallCell(report)),
                h('td', {}, trafficLight(report.cost)),
                h('td', {}, trafficLight(report.schedule)),
                h('td', {}, trafficLight(report.financialBenefits)),
                h('td', {}, trafficLight(report.nonFinancialBenefits))
              ]
            : h('td', { colspan: '6', class: 'muted', text: noReport(p.status) }))
      }))))

  const legend = h('p', { class: 'help' },
    'Lysene: Grøn = som planlagt, Gul = afvigelse under kontrol, Rød = alvorlig afvigelse. ',
    'Samlet er rådets vurdering af rapporten; indtil rådet har vurderet den, vises projektets egen samlede vurdering (det dårligste af projektets lys), markeret "(projektets egen vurdering)".')

  return { title: 'Porteføljeoverblik', content: [filters, summary, table, legend] }
}

/**
 * The council's judgement of the report, else the project's own overall light, said so.
 * @param {any} report
 */
function overallCell (report) {
  if (report.overall) return trafficLight(report.overall)
  return h('span', {}, trafficLight(report.ownOverall), ' ', h('span', { class: 'muted', text: '(projektets egen vurdering)' }))
}

/**
 * The newest status report of each project (the API lists newest period first).
 * @param {any[]} projects
 * @returns {Promise<Map<string, any>>}
 */
async function latestReports (projects) {
  /** @type {Map<string, any>} */
  const latest = new Map()
  const queue = [...projects]
  // A few at a time: a large portfolio should not open hundreds of requests at once.
  const workers = Array.from({ length: Math.min(6, queue.length) }, async () => {
    for (let project = queue.shift(); project; project = queue.shift()) {
      const page = await optional(`/v1/projects/${project.id}/status-reports?limit=1`)
      if (page?.items[0]) latest.set(project.id, page.items[0])
    }
  })
  await Promise.all(workers)
  return latest
}

/**
 * @param {import('../main.js').PageContext} ctx
 * @param {Record<string, string>} regionNames the regions' names by code, for the filter
 * @param {string} region
 * @param {string} status
 * @param {{ fields: HTMLElement[], params: () => Record<string, string> } | null} [council] the council's
 *   portfolio: its own fields (council, half-year) and what they add to the address
 */
function filterForm (ctx, regionNames, region, status, council = null) {
  const regionSelect = /** @type {HTMLSelectElement} */ (h('select', { id: 'filter-region', name: 'region' },
    h('option', { value: '', text: 'Alle regioner' }),
    Object.entries(regionNames).map(([code, name]) => h('option', { value: code, text: name, selected: code === region }))))
  const statusSelect = /** @type {HTMLSelectElement} */ (h('select', { id: 'filter-status', name: 'status' },
    h('option', { value: '', text: 'Alle statusser' }),
    Object.entries(STATUS).map(([code, name]) => h('option', { value: code, text: name, selected: code === status }))))
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filtrér porteføljen' },
    council ? council.fields : null,
    h('div', { class: 'field' }, h('label', { for: 'filter-region', text: 'Region' }), regionSelect),
    h('div', { class: 'field' }, h('label', { for: 'filter-status', text: 'Status' }), statusSelect),
    h('button', { type: 'submit', text: 'Vis' }))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const params = new URLSearchParams(council ? council.params() : {})
    if (regionSelect.value) params.set('region', regionSelect.value)
    if (statusSelect.value) params.set('status', statusSelect.value)
    const query = params.toString()
    ctx.navigate(`#/portfolio${query ? '?' + query : ''}`)
  })
  return form
}

const PERIOD = /^\d{4}-H[12]$/
/** Half-years in the picker, and in the chart (the picker's newest). */
const PICKER_PERIODS = 6
const CHART_PERIODS = 4
const DEFAULT_PAGE_SIZE = 25

/**
 * The council's portfolio for a half-year (secretariat: its own council; admin: the one chosen).
 * @param {import('../main.js').PageContext} ctx
 */
async function councilPortfolio (ctx) {
  const admin = !hasRole(ctx.session, 'secretariat')
  const region = ctx.query.get('region') ?? ''
  const status = ctx.query.get('status') ?? ''
  const current = halfYearOf(todayInDenmark())
  const asked = ctx.query.get('period') ?? ''
  const period = PERIOD.test(asked) ? asked : current
  const periods = recentHalfYears(current, PICKER_PERIODS)
  if (!periods.includes(period)) periods.push(period)
  const askedCouncil = ctx.query.get('council') ?? ''
  const council = admin ? (askedCouncil in COUNCIL ? askedCouncil : 'regions') : ''
  const askedLimit = Number(ctx.query.get('limit'))
  const limit = Number.isInteger(askedLimit) && askedLimit >= 1 && askedLimit <= 200 ? askedLimit : DEFAULT_PAGE_SIZE
  /** @param {string} p @param {Record<string, string>} [extra] */
  const query = (p, extra = {}) => {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries({ council, period: p, region, status, ...extra })) if (value) params.set(key, value)
    return params
  }

  // The first page first: a refused login stops here, before the chart asks for more.
  const [first, orgs, councilList] = await Promise.all([
    api(`/v1/portfolio?${query(period, { limit: String(limit) })}`),
    organisations(),
    councils()
  ])
  const names = Object.fromEntries(orgs.map((o) => [o.code, o.name]))
  const regionNames = Object.fromEntries(orgs.filter((o) => o.kind === 'region').map((o) => [o.code, o.name]))
  const councilOf = first.council
  const councilWords = councilList.find((c) => c.code === councilOf)?.name ?? COUNCIL[councilOf] ?? councilOf

  // Every row of the chart's half-years and of the asked one, for the counts.
  const chartPeriods = recentHalfYears(current, CHART_PERIODS).reverse()
  const counted = [...new Set([...chartPeriods, period])]
  const all = await Promise.all(counted.map((p) =>
    p === period && !first.nextCursor ? Promise.resolve(first.items) : listAll('/v1/portfolio', Object.fromEntries(query(p)))))
  /** @type {Map<string, ReturnType<typeof countRows>>} */
  const counts = new Map(counted.map((p, i) => [p, countRows(all[i] ?? [])]))
  const selected = counts.get(period) ?? countRows([])

  const periodSelect = /** @type {HTMLSelectElement} */ (h('select', { id: 'filter-period', name: 'period' },
    periods.map((p) => h('option', { value: p, text: formatPeriod(p), selected: p === period }))))
  const councilSelect = admin
    ? /** @type {HTMLSelectElement} */ (h('select', { id: 'filter-council', name: 'council' },
        Object.keys(COUNCIL).map((code) => h('option', { value: code, text: councilList.find((c) => c.code === code)?.name ?? COUNCIL[code] ?? code, selected: code === council }))))
    : null
  const filters = filterForm(ctx, regionNames, region, status, {
    fields: [
      councilSelect ? h('div', { class: 'field' }, h('label', { for: 'filter-council', text: 'Råd' }), councilSelect) : null,
      h('div', { class: 'field' }, h('label', { for: 'filter-period', text: 'Halvår' }), periodSelect)
    ].filter((x) => x !== null),
    params: () => {
      /** @type {Record<string, string>} */
      const params = {}
      if (councilSelect && councilSelect.value !== 'regions') params.council = councilSelect.value
      if (periodSelect.value !== current) params.period = periodSelect.value
      if (ctx.query.get('limit')) params.limit = String(limit)
      return params
    }
  })

  const described = [
    region ? `i ${orgName(region, names)}` : null,
    status ? `med status "${STATUS[status] ?? status}"` : null
  ].filter(Boolean).join(' ')
  const summary = h('p', { class: 'summary', role: 'status' },
    `${formatPeriod(period)}: ${countOf(selected.total, 'projekt', 'projekter')} under ${councilWords}${described ? ' ' + described : ''}. `,
    `Samlet vurdering: ${countLights(selected.green, 'green')}, ${countLights(selected.yellow, 'yellow')} og ${countLights(selected.red, 'red')}; `,
    `${selected.missing} uden statusrapport${period === current ? ' endnu' : ''}.`,
    selected.ownOnly === 0
      ? ''
      : selected.ownOnly === 1
        ? ' 1 af dem er projektets egen vurdering, fordi rådet endnu ikke har vurderet rapporten.'
        : ` ${selected.ownOnly} af dem er projekternes egne vurderinger, fordi rådet endnu ikke har vurderet rapporterne.`)

  const caption = `Projekter i ${formatPeriod(period)}, røde først`
  const tbody = h('tbody', {}, first.items.map((/** @type {any} */ item) => portfolioRow(item, names, period === current)))
  const shown = h('p', { class: 'meta', role: 'status' })
  let total = first.items.length
  const sayShown = () => { shown.textContent = `Viser ${total} af ${countOf(selected.total, 'projekt', 'projekter')}.` }
  sayShown()
  /** @type {string | null} */
  let cursor = first.nextCursor
  const more = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'button-secondary', text: 'Vis flere' }))
  more.hidden = cursor === null
  more.addEventListener('click', async () => {
    if (!cursor) return
    more.disabled = true
    try {
      const next = await api(`/v1/portfolio?${query(period, { limit: String(limit), cursor })}`)
      const rows = next.items.map((/** @type {any} */ item) => portfolioRow(item, names, period === current))
      tbody.append(...rows)
      total += next.items.length
      cursor = next.nextCursor
      sayShown()
      more.hidden = cursor === null
      // Focus on the first new project, so keyboard users continue where the list grew.
      rows[0]?.querySelector('a')?.focus()
    } catch {
      shown.textContent = 'Flere projekter kunne ikke hentes. Prøv igen.'
    } finally {
      more.disabled = false
    }
  })

  const table = first.items.length === 0
    ? h('p', { class: 'empty', text: 'Ingen projekter matcher filteret.' })
    : [
        scrollableTable(caption, h('table', { class: 'data portfolio' },
          h('caption', { text: caption }),
          h('thead', {}, h('tr', {},
            ['Projekt', 'Ejer', 'Status', 'Risikoprofil', 'Samlet vurdering', 'Opfølgningsspor'].map((label) => h('th', { scope: 'col', text: label })))),
          tbody)),
        shown,
        h('p', {}, more)
      ]

  const legend = h('p', { class: 'help' },
    'Lysene: Grøn = som planlagt, Gul = afvigelse under kontrol, Rød = alvorlig afvigelse. ',
    'Samlet vurdering er rådets vurdering af halvårets statusrapport; indtil rådet har vurderet den, vises projektets egen samlede vurdering, markeret "(projektets egen vurdering)". ',
    'Projekter med rødt lys står først.')

  const chart = lightsChart(chartPeriods.map((p) => ({ label: formatPeriod(p), ...(counts.get(p) ?? countRows([])) })), {
    caption: `Lysene pr. halvår, ${councilWords}${described ? ' ' + described : ''}`
  })

  return { title: 'Porteføljeoverblik', content: [filters, summary, table, legend, chart] }
}

/**
 * Green, yellow, red and missing reports among a half-year's rows: the council's judgement, else
 * the project's own overall light.
 * @param {any[]} rows
 */
function countRows (rows) {
  const counts = { total: rows.length, green: 0, yellow: 0, red: 0, missing: 0, ownOnly: 0 }
  for (const row of rows) {
    if (row.missingReport || !row.report) {
      counts.missing += 1
      continue
    }
    const light = /** @type {'green' | 'yellow' | 'red' | undefined} */ (row.report.overall ?? row.report.ownOverall)
    if (light && light in LIGHT) counts[light] += 1
    if (!row.report.overall) counts.ownOnly += 1
  }
  return counts
}

/**
 * @param {any} item a row of GET /v1/portfolio
 * @param {Record<string, string>} names
 * @param {boolean} current whether the half-year is the current one (a report may still come)
 */
function portfolioRow (item, names, current) {
  const p = item.project
  return h('tr', {},
    h('th', { scope: 'row' }, h('a', { href: `#/projects/${p.id}`, text: p.title }), h('span', { class: 'reference', text: p.reference })),
    h('td', { text: p.ownerName || orgName(p.ownerOrg, names) }),
    h('td', {}, statusBadge(p.status)),
    h('td', { text: item.riskProfile ? profileText(item.riskProfile) : '–' }),
    h('td', {}, item.missingReport || !item.report
      ? h('span', { class: 'missing-report' },
        h('span', { class: 'badge badge-missing', text: current ? 'Ikke indsendt endnu' : 'Mangler statusrapport' }))
      : overallCell(item.report)),
    h('td', { text: item.followUpTrack ? FOLLOW_UP_TRACK[item.followUpTrack] ?? item.followUpTrack : '–' }))
}
