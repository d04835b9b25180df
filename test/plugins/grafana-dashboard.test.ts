import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ROOT_DIR } from '../../src/paths.ts'
import { bearer, build, token } from '../helpers/build.ts'

interface Target { expr: string }
interface Panel { type: string, title: string, datasource?: { type: string, uid: string }, targets?: Target[], panels?: Panel[] }
interface Variable { name: string, type: string, query: unknown, definition?: string }
interface Dashboard { schemaVersion: number, panels: Panel[], templating: { list: Variable[] } }

const dashboard = JSON.parse(readFileSync(join(ROOT_DIR, 'examples/grafana/council-gate.json'), 'utf8')) as Dashboard

function allPanels (panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])])
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset'])

/** The metric names a PromQL expression selects: identifiers that are no function, keyword, label or string. */
function metricNames (expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
  return [...bare.matchAll(/(?<![\w.$])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)]
    .map((m) => m[1]!)
    .filter((name) => !KEYWORDS.has(name))
}

/** Every sample name the exposition can carry, from its `# TYPE` lines (a histogram's _bucket, _sum and _count). */
function exposedNames (text: string): { names: Set<string>, metrics: string[] } {
  const names = new Set<string>()
  const metrics: string[] = []
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    metrics.push(name!)
    names.add(name!)
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name! + suffix)
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name! + suffix)
  }
  return { names, metrics }
}

t.test('the PromQL reader finds metric names and nothing else', async (t) => {
  t.same(metricNames('histogram_quantile(0.95, sum by (le, route) (rate(a_bucket{job=~"$job", x="y{z}"}[$__rate_interval])))'), ['a_bucket'])
  t.same(metricNames('sum(rate(b_total[5m])) / ignoring (x) max(c) offset 5m'), ['b_total', 'c'])
})

t.test('every metric the Grafana dashboard queries is exposed by /metrics, and every service metric has a panel', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(await token('admin', 'ITR')) })
  t.equal(res.statusCode, 200)
  const { names, metrics } = exposedNames(res.body)

  const panels = allPanels(dashboard.panels).filter((panel) => panel.type !== 'row')
  const expressions = panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr))
  const variableMetrics = dashboard.templating.list
    .flatMap((variable) => [...(variable.definition ?? '').matchAll(/label_values\(\s*([a-zA-Z_:][\w:]*)\s*,/g)].map((m) => m[1]!))
  const used = new Set([...expressions.flatMap(metricNames), ...variableMetrics])
  t.ok(used.size >= 9, `the dashboard queries ${[...used].join(', ')}`)
  t.same([...used].filter((name) => !names.has(name)), [], 'no query names a metric the service does not expose')

  // The process defaults (process_*, nodejs_*) need no panel of their own; everything else does.
  const serviceMetrics = metrics.filter((name) => !/^(?:process|nodejs)_/.test(name))
  const usedBase = new Set([...used].map((name) => name.replace(/_(?:bucket|sum|count)$/, '')))
  t.same(serviceMetrics.filter((name) => !used.has(name) && !usedBase.has(name)), [], 'every service metric is on the dashboard')
})

t.test('the dashboard is a Grafana 10+ model on a Prometheus data source variable', async (t) => {
  t.ok(dashboard.schemaVersion >= 38, `schemaVersion ${dashboard.schemaVersion}`)
  const datasource = dashboard.templating.list.find((variable) => variable.name === 'datasource')
  t.match(datasource, { type: 'datasource', query: 'prometheus' })
  const panels = allPanels(dashboard.panels).filter((panel) => panel.type !== 'row')
  t.ok(panels.length >= 10)
  for (const panel of panels) {
    // eslint-disable-next-line no-template-curly-in-string -- Grafana's variable syntax, not a template
    t.same(panel.datasource, { type: 'prometheus', uid: '${datasource}' }, panel.title)
    t.ok((panel.targets ?? []).length > 0, `${panel.title} has a query`)
  }
})
