/**
 * npm run bench -- --scale [--reuse]: the service at 1,000,000 projects against itself at 1,000.
 *
 * Two databases, seeded by bench/seed.ts with projects, baselines and sealed audit events:
 * council_gate_bench_scale_1k (1,000 projects) and council_gate_bench_scale (BENCH_SCALE_PROJECTS,
 * default 1,000,000; `--reuse` keeps it when it already holds that many). One service process on
 * each; the same requests alternate between them, BENCH_ROUNDS (default 3) times, each for
 * BENCH_SECONDS (default 5) at one connection (latency, not throughput):
 *
 * - the first page, a deep page (cursor at 90 % of the list) and a region filter, as a submitter
 *   of region 1084 (the visibility condition applies), and the first page of GET /v1/portfolio as
 *   Regionernes It-råds sekretariat (a quarter of the projects needing review are followed, see
 *   seedFollowUp): at 1M each must be within 1.5 × of 1k (p50);
 * - GET /v1/reports/annual for the current year as the secretariat at 1M, against its SQL run
 *   directly (the statements the service sends, captured from one call, replayed on one
 *   connection): p50 within 1.3 × of the SQL's median;
 * - GET /v1/audit/verify (admin), twice: ≥ 100,000 events/s at 1M, with RSS sampled before,
 *   during and after (flat: RSS grows by at most a fifth of the event bytes it reads, and the
 *   second run peaks no higher than the first, +10 %).
 *
 * Results: bench/results/scale.json.
 */
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { benchAuth, databaseUrl, ensureResultsDir, median, recreateDatabase } from './lib/common.ts'
import { httpLoad } from './lib/load.ts'
import { sampleRss, type ServerProcess } from './lib/processes.ts'
import { buildCompiled, migrate, startService } from './lib/service.ts'
import { copenhagenDate } from '../src/domain/calendar.ts'
import { halfYearOf } from '../src/domain/follow-up.ts'
import { readAnnualReport } from '../src/modules/reports/annual-report.ts'
import { seedProjects } from './seed.ts'

const SMALL_DB = 'council_gate_bench_scale_1k'
const BIG_DB = 'council_gate_bench_scale'
// "Flat": memory does not grow with the chain. Verification streams ~1 GB of event bodies at 1M;
// the heap may lag behind that garbage, but RSS must not grow by more than a fifth of the bytes
// read, and a second run must not peak higher than the first (nothing accumulates).
const MAX_GROWTH_SHARE = 0.2
const MAX_SECOND_PEAK = 1.1

async function query<T extends pg.QueryResultRow> (url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(text, values)).rows
  } finally {
    await client.end()
  }
}

async function prepare (name: string, count: number, reuse: boolean): Promise<string> {
  const url = databaseUrl(name)
  if (reuse) {
    try {
      const [row] = await query<{ n: string }>(url, 'select count(*)::text as n from projects')
      if (Number(row?.n) >= count) {
        console.log(`${name}: reusing ${row!.n} projects`)
        return url
      }
    } catch {}
  }
  await recreateDatabase(name)
  await migrate(url)
  const started = Date.now()
  await seedProjects(url, { count, batchSize: 10_000, log: (line) => console.log(`${name}: ${line}`) })
  console.log(`${name}: ${count} projects seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  return url
}

/**
 * A quarter of the projects that need review get their letter (approved baseline, letter row)
 * and, for the current half-year, a status report in three of four cases — one in twenty of them
 * red — so that GET /v1/portfolio has a council's followed projects to page through. Rows only,
 * no audit events: the chain stays as seeded.
 */
async function seedFollowUp (url: string, period: string): Promise<number> {
  const [{ n } = { n: '0' }] = await query<{ n: string }>(url, 'select count(*)::text as n from projects where approved_baseline is not null')
  if (Number(n) > 0) return Number(n)
  await query(url, `
    with chosen as (
      update projects set status = 'letter_issued', approved_baseline = jsonb_build_object('version', 1, 'approvedOn', submitted_on::text,
          'eligibleCostDkk', eligible_cost_dkk, 'totalCostDkk', total_cost_dkk, 'plannedEnd', planned_end::text, 'expectedFinancialBenefitsDkk', null)
      where review_required and (hashint4(hashtext(reference)) & 3) = 0
      returning id, reference, council, created_at
    ), lettered as (
      insert into letters (id, project_id, baseline_version, statement, risk_profile, recommendations, external_review_recommended, issued_by, issued_at)
      select gen_random_uuid(), id, 1, 'Rådets udtalelse.', (array['A','B','C','D'])[1 + (hashint4(hashtext(reference) + 1) & 3)], '[]', false, 'seed', created_at
      from chosen returning project_id
    )
    insert into status_reports (id, project_id, council, project_reference, period, forecast_cost_dkk, forecast_end_date, forecast_financial_benefits_dkk, cost, schedule,
      financial_benefits, non_financial_benefits, own_overall, comment, reported_by)
    select gen_random_uuid(), c.id, c.council, c.reference, $1, 10000000, date '2029-06-30', null,
           l.light, 'green', 'green', null, l.light, 'Som planlagt.', 'seed'
    from chosen c
    cross join lateral (select case when (hashint4(hashtext(c.reference) + 2) & 1023) < 40 then 'red' else 'green' end as light) l
    where (hashint4(hashtext(c.reference) + 3) & 3) <> 0`, [period])
  const [{ m } = { m: '0' }] = await query<{ m: string }>(url, 'select count(*)::text as m from projects where approved_baseline is not null')
  await query(url, 'analyze projects; analyze status_reports')
  return Number(m)
}

const VISIBLE_1084 = "(owner_org = '1084' or participating_regions @> '{1084}')"

/** The cursor the service would hand out after the row at 90 % of the submitter's list. */
async function deepCursor (url: string): Promise<string> {
  const [{ n } = { n: '0' }] = await query<{ n: string }>(url, `select count(*)::text as n from projects where ${VISIBLE_1084}`)
  const offset = Math.floor(Number(n) * 0.9)
  const [row] = await query<{ at: string, id: string }>(url, `
    select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, id from projects
    where ${VISIBLE_1084} order by created_at desc nulls last, id desc nulls last offset $1 limit 1`, [offset])
  return Buffer.from(JSON.stringify({ createdAt: row!.at, id: row!.id }), 'utf8').toString('base64url')
}

/**
 * The annual report's SQL without the service: the statements readAnnualReport sends (captured by
 * drizzle's logger from one call), replayed on one connection; the median of `runs` passes, in ms.
 */
async function annualReportSqlMs (url: string, year: number, runs: number): Promise<number> {
  const captured: Array<{ text: string, values: unknown[] }> = []
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  try {
    const db = drizzle(pool, { logger: { logQuery: (text, values) => { captured.push({ text, values }) } } })
    await readAnnualReport(db, { sub: 'bench', name: null, org: 'ITR', roles: ['secretariat'], kind: 'user' }, { council: 'regions', year })
    const client = await pool.connect()
    try {
      const times: number[] = []
      for (let i = 0; i < runs; i++) {
        const started = performance.now()
        for (const q of captured) await client.query(q.text, q.values)
        times.push(performance.now() - started)
      }
      return median(times)
    } finally {
      client.release()
    }
  } finally {
    await pool.end()
  }
}

interface VerifyRun { events: number, seconds: number, eventsPerSecond: number, rssBeforeMb: number, rssMaxMb: number, rssAfterMb: number, ok: boolean }

async function verify (service: ServerProcess, headers: Record<string, string>): Promise<VerifyRun> {
  const rssBeforeMb = service.rssMb()
  const sampler = sampleRss(service.pid, 50)
  const started = performance.now()
  const response = await fetch(`${service.url}/v1/audit/verify`, { headers })
  const body = await response.json() as { ok: boolean, events?: number, reason?: string }
  const seconds = (performance.now() - started) / 1000
  const sampled = sampler.stop()
  if (!body.ok) console.log(`verify said: ${JSON.stringify(body)}`)
  const events = body.events ?? 0
  return { events, seconds, eventsPerSecond: events / seconds, rssBeforeMb, rssMaxMb: sampled.maxMb, rssAfterMb: sampled.lastMb, ok: body.ok }
}

export async function runScale (opts: { reuse: boolean }): Promise<number> {
  const count = Number(process.env.BENCH_SCALE_PROJECTS ?? 1_000_000)
  const seconds = Number(process.env.BENCH_SECONDS ?? 5)
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
  const resultsDir = ensureResultsDir()
  console.log(`scale bench: ${count} projects against 1000; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)

  const bigUrl = await prepare(BIG_DB, count, opts.reuse)
  const smallUrl = await prepare(SMALL_DB, 1000, false)
  const period = halfYearOf(copenhagenDate(new Date()))
  for (const [name, url] of [['1M', bigUrl], ['1k', smallUrl]] as const) console.log(`${name}: ${await seedFollowUp(url, period)} followed projects`)
  const auth = await benchAuth()
  const submitter = { authorization: `Bearer ${await auth.token(['submitter'], '1084')}` }
  const secretariat = { authorization: `Bearer ${await auth.token(['secretariat'], 'ITR')}` }
  const admin = { authorization: `Bearer ${await auth.token(['admin'], 'itraad')}` }

  const sizes = [
    { name: '1k', url: smallUrl, cursor: await deepCursor(smallUrl) },
    { name: '1M', url: bigUrl, cursor: await deepCursor(bigUrl) }
  ]
  const services = new Map<string, ServerProcess>()
  const compiledRoot = await buildCompiled()
  for (const s of sizes) {
    services.set(s.name, await startService({ databaseUrl: s.url, auth, compiledRoot, logFile: resolve(resultsDir, `scale-service-${s.name}.log`) }))
  }

  const requests: Array<{ key: string, label: string, path: (cursor: string) => string, headers?: Record<string, string> }> = [
    { key: 'first', label: 'first page', path: () => '/v1/projects?limit=50' },
    { key: 'deep', label: 'deep page (cursor at 90 %)', path: (cursor: string) => `/v1/projects?limit=50&cursor=${cursor}` },
    { key: 'region', label: 'region filter (region=1083)', path: () => '/v1/projects?limit=50&region=1083' },
    { key: 'portfolio', label: 'portfolio, first page', path: () => '/v1/portfolio?limit=50', headers: secretariat }
  ]
  const lat: Record<string, Record<string, { p50: number[], p99: number[], rps: number[] }>> = {}
  try {
    // Warm-up: caches and JIT on both.
    for (const s of sizes) {
      for (const r of requests) await httpLoad({ url: services.get(s.name)!.url, method: 'GET', path: r.path(s.cursor), headers: r.headers ?? submitter, connections: 1, seconds: 1 })
    }
    for (let round = 1; round <= rounds; round++) {
      for (const r of requests) {
        for (const s of sizes) {
          const m = await httpLoad({ url: services.get(s.name)!.url, method: 'GET', path: r.path(s.cursor), headers: r.headers ?? submitter, connections: 1, seconds })
          if (m.failures > 0) throw new Error(`${r.label} at ${s.name}: ${m.failures} failures ${JSON.stringify(m.statusCodes)}`)
          const slot = ((lat[r.key] ??= {})[s.name] ??= { p50: [], p99: [], rps: [] })
          slot.p50.push(m.p50)
          slot.p99.push(m.p99)
          slot.rps.push(m.rps)
          console.log(`round ${round} ${r.label.padEnd(28)} ${s.name.padEnd(3)} p50 ${m.p50.toFixed(2).padStart(6)} ms p99 ${m.p99.toFixed(2).padStart(6)} ms ${m.rps.toFixed(0).padStart(5)} req/s (load ${loadavg()[0]!.toFixed(2)})`)
        }
      }
    }

    // The annual report at 1M, alternated with its SQL run directly.
    const year = Number(copenhagenDate(new Date()).slice(0, 4))
    const annual = { http: [] as number[], sql: [] as number[] }
    for (let round = 1; round <= rounds; round++) {
      const m = await httpLoad({ url: services.get('1M')!.url, method: 'GET', path: `/v1/reports/annual?year=${year}`, headers: secretariat, connections: 1, seconds })
      if (m.failures > 0) throw new Error(`annual report at 1M: ${m.failures} failures ${JSON.stringify(m.statusCodes)}`)
      const sqlMs = await annualReportSqlMs(bigUrl, year, 20)
      annual.http.push(m.p50)
      annual.sql.push(sqlMs)
      console.log(`round ${round} annual report ${year} at 1M: service p50 ${m.p50.toFixed(2)} ms, its SQL directly ${sqlMs.toFixed(2)} ms (load ${loadavg()[0]!.toFixed(2)})`)
    }

    const verifyRuns: Record<string, VerifyRun[]> = {}
    for (const s of sizes) {
      for (let i = 0; i < 2; i++) {
        const v = await verify(services.get(s.name)!, admin)
        ;(verifyRuns[s.name] ??= []).push(v)
        console.log(`verify ${s.name} #${i + 1}: ${v.ok ? 'ok' : 'NOT OK'}, ${v.events} events in ${v.seconds.toFixed(2)} s = ${Math.round(v.eventsPerSecond)} events/s; ` +
          `RSS ${v.rssBeforeMb.toFixed(0)} MB before, max ${v.rssMaxMb.toFixed(0)} MB during, ${v.rssAfterMb.toFixed(0)} MB after`)
      }
    }

    console.log(`\nmedians of ${rounds} runs of ${seconds} s at 1 connection, as a submitter of 1084 (the portfolio as the secretariat)`)
    console.log(`${'request'.padEnd(30)} | ${'1k p50'.padStart(7)} ${'1k p99'.padStart(7)} | ${'1M p50'.padStart(7)} ${'1M p99'.padStart(7)} | 1M/1k`)
    const targets: Array<{ name: string, pass: boolean, detail: string }> = []
    const rows = requests.map((r) => {
      const small = lat[r.key]!['1k']!
      const big = lat[r.key]!['1M']!
      const ratio = median(big.p50) / median(small.p50)
      console.log(`${r.label.padEnd(30)} | ${median(small.p50).toFixed(2).padStart(7)} ${median(small.p99).toFixed(2).padStart(7)} | ` +
        `${median(big.p50).toFixed(2).padStart(7)} ${median(big.p99).toFixed(2).padStart(7)} | ${ratio.toFixed(2)}`)
      targets.push({ name: `${r.label} at 1M ≤ 1.5 × 1k (p50)`, pass: ratio <= 1.5, detail: `${ratio.toFixed(2)} ×` })
      return { request: r.key, label: r.label, small: { p50: median(small.p50), p99: median(small.p99), rps: median(small.rps) }, big: { p50: median(big.p50), p99: median(big.p99), rps: median(big.rps) }, ratio }
    })
    const annualRatio = median(annual.http) / median(annual.sql)
    targets.push({ name: 'annual report at 1M ≤ 1.3 × its SQL (p50)', pass: annualRatio <= 1.3, detail: `${annualRatio.toFixed(2)} × (${median(annual.http).toFixed(2)} against ${median(annual.sql).toFixed(2)} ms)` })
    const bigVerify = verifyRuns['1M']!
    const best = bigVerify.reduce((a, v) => (v.eventsPerSecond > a.eventsPerSecond ? v : a))
    targets.push({ name: 'audit verify ≥ 100,000 events/s at 1M', pass: best.ok && best.eventsPerSecond >= 100_000, detail: `${Math.round(best.eventsPerSecond)} events/s (best of ${bigVerify.length}; ${bigVerify.map((v) => Math.round(v.eventsPerSecond)).join(', ')})` })
    const [{ mb } = { mb: '0' }] = await query<{ mb: string }>(bigUrl, 'select (sum(octet_length(body)) / 1048576)::int::text as mb from audit_events')
    const growth = Math.max(...bigVerify.map((v) => v.rssMaxMb - v.rssBeforeMb))
    const [first, second] = bigVerify
    const flat = growth <= MAX_GROWTH_SHARE * Number(mb) && (second === undefined || second.rssMaxMb <= first!.rssMaxMb * MAX_SECOND_PEAK)
    targets.push({
      name: 'audit verify memory flat',
      pass: flat,
      detail: `RSS grew by at most ${growth.toFixed(0)} MB while reading ${mb} MB of events (limit ${Math.round(MAX_GROWTH_SHARE * 100)} %); ` +
        `peaks ${bigVerify.map((v) => v.rssMaxMb.toFixed(0)).join(' then ')} MB`
    })
    console.log('')
    for (const t of targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name.padEnd(48)} ${t.detail}`)
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)

    const file = resolve(resultsDir, 'scale.json')
    writeFileSync(file, JSON.stringify({ finishedAt: new Date().toISOString(), projects: count, seconds, rounds, rows, annual, verify: verifyRuns, targets, loadAverageAfter: loadavg() }, null, 2) + '\n')
    console.log(`written to ${file}`)
    return 0
  } finally {
    for (const service of services.values()) await service.stop()
  }
}
