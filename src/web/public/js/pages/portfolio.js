// Porteføljeoverblik: every project the caller may see, with the traffic lights of its latest
// status report, filtered by region and status.
import { listAll, optional, organisations } from '../api.js'
import { h } from '../dom.js'
import { formatPeriod } from '../format.js'
import { countLights, countOf, orgName, profileText, STATUS } from '../labels.js'
import { scrollableTable, statusBadge, trafficLight } from '../ui.js'

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
 */
function filterForm (ctx, regionNames, region, status) {
  const regionSelect = /** @type {HTMLSelectElement} */ (h('select', { id: 'filter-region', name: 'region' },
    h('option', { value: '', text: 'Alle regioner' }),
    Object.entries(regionNames).map(([code, name]) => h('option', { value: code, text: name, selected: code === region }))))
  const statusSelect = /** @type {HTMLSelectElement} */ (h('select', { id: 'filter-status', name: 'status' },
    h('option', { value: '', text: 'Alle statusser' }),
    Object.entries(STATUS).map(([code, name]) => h('option', { value: code, text: name, selected: code === status }))))
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filtrér porteføljen' },
    h('div', { class: 'field' }, h('label', { for: 'filter-region', text: 'Region' }), regionSelect),
    h('div', { class: 'field' }, h('label', { for: 'filter-status', text: 'Status' }), statusSelect),
    h('button', { type: 'submit', text: 'Vis' }))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const params = new URLSearchParams()
    if (regionSelect.value) params.set('region', regionSelect.value)
    if (statusSelect.value) params.set('status', statusSelect.value)
    const query = params.toString()
    ctx.navigate(`#/portfolio${query ? '?' + query : ''}`)
  })
  return form
}
