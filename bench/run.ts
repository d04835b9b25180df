/**
 * npm run bench                 the service against its floor and its limit (~8 min)
 * npm run bench -- --smoke      one short round at 8 connections (~40 s): does everything run?
 * npm run bench -- --scale      1,000,000 projects: lists and verification at scale (see scale.ts)
 * npm run bench -- --documents  uploads against the service's memory (see documents.ts)
 * npm run bench -- --profile    CPU profiles of the service under load (see profile.ts)
 *
 * BENCH_SECONDS (per case, default 5), BENCH_ROUNDS (default 3), BENCH_QUICK=1 (one round of
 * 5 s), BENCH_POOL_SIZE (both servers' pool; default: the service's own default).
 * See bench/README.md for how to read the output.
 */
import { writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { resolve } from 'node:path'
import pg from 'pg'
import { loadConfig } from '../src/config.ts'
import { benchAuth, databaseUrl, ensureResultsDir, median, recreateDatabase, settlePostgres, submission } from './lib/common.ts'
import { httpLoad, type Measurement } from './lib/load.ts'
import { pgbenchCases, runPgbench, type PgbenchCase } from './lib/pgbench.ts'
import { cpuMsOf, postgresCpu, postgresCpuMsSince, sampleRss, type ServerProcess } from './lib/processes.ts'
import { buildCompiled, migrate, nodeRuntimeLine, startFloor, startService } from './lib/service.ts'
import { seedProjects } from './seed.ts'

const args = new Set(process.argv.slice(2))
console.log(nodeRuntimeLine())

if (args.has('--scale')) {
  const { runScale } = await import('./scale.ts')
  process.exit(await runScale({ reuse: args.has('--reuse') }))
}
if (args.has('--documents')) {
  const { runDocuments } = await import('./documents.ts')
  process.exit(await runDocuments())
}
if (args.has('--profile')) {
  const { runProfile } = await import('./profile.ts')
  process.exit(await runProfile())
}

const smoke = args.has('--smoke')
// The service runs as the Docker image runs it (node dist/src/server.js, its ENV); --tsx runs
// src/server.ts through tsx instead, as `npm start` does (more memory: tsx's loader and esbuild).
const compiled = !args.has('--tsx')
const quick = process.env.BENCH_QUICK === '1'
const seconds = Number(process.env.BENCH_SECONDS ?? (smoke ? 2 : 5))
const rounds = smoke || quick ? 1 : Number(process.env.BENCH_ROUNDS ?? 3)
const connectionLevels = smoke ? [8] : [8, 32]
const SERVICE_DB = 'council_gate_bench'
// The floor and pgbench share a second database: on the service's, its sealer would seal their
// events during their runs (and bill the work to them).
const FLOOR_DB = 'council_gate_bench_floor'
const PREFILL = 1000

type Target = 'service' | 'floor' | 'pgbench'
type CaseKey = 'submitGated' | 'submitUngated' | 'list' | 'get'
const ALL_CASES: Array<{ key: CaseKey, label: string, write: boolean }> = [
  { key: 'submitGated', label: 'POST /v1/projects (gated)', write: true },
  { key: 'submitUngated', label: 'POST /v1/projects (not gated)', write: true },
  { key: 'list', label: 'GET /v1/projects?limit=50', write: false },
  { key: 'get', label: 'GET /v1/projects/{id}', write: false }
]
// For quick A/B comparisons while working on the service: BENCH_CASES=get,list BENCH_TARGETS=service,floor.
const CASES = ALL_CASES.filter((c) => !process.env.BENCH_CASES || process.env.BENCH_CASES.split(',').includes(c.key))
const TARGETS = (['service', 'floor', 'pgbench'] as const).filter((t) => !process.env.BENCH_TARGETS || process.env.BENCH_TARGETS.split(',').includes(t))

interface RunRecord extends Measurement {
  round: number
  target: Target
  case: CaseKey
  connections: number
  load1: number
  /** CPU time of the server process per answered request, in ms (not for pgbench). */
  cpuMsPerRequest: number
  /** CPU time of PostgreSQL's processes per answered request, in ms (service and floor). */
  pgCpuMsPerRequest: number
}

const log = (line: string) => console.log(line)
const resultsDir = ensureResultsDir()
const started = new Date()
const load1 = () => Math.round(loadavg()[0]! * 100) / 100

log(`council-gate bench: ${rounds} round(s), ${seconds} s per case, connections ${connectionLevels.join('/')}, service ${compiled ? 'compiled (node dist/src/server.js)' : 'via tsx (like npm start)'}; ` +
  `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)

// 1. Fresh databases, migrated and prefilled with the same 1,000 projects.
const serviceUrl = await recreateDatabase(SERVICE_DB)
const floorUrl = await recreateDatabase(FLOOR_DB)
for (const url of [serviceUrl, floorUrl]) {
  await migrate(url)
  await seedProjects(url, { count: PREFILL })
}
const poolSize = (() => {
  const config = loadConfig({ DATABASE_URL: serviceUrl, ...(process.env.BENCH_POOL_SIZE ? { DB_POOL_SIZE: process.env.BENCH_POOL_SIZE } : {}) })
  return config.database.kind === 'postgres' ? config.database.poolSize : 4
})()
log(`databases ${SERVICE_DB} and ${FLOOR_DB}: migrated, ${PREFILL} projects each; pool size ${poolSize} (${availableParallelism()} cores)`)

// 2. The two servers, each in its own process.
const auth = await benchAuth()
const token = await auth.token(['submitter'], '1084')
const serviceLog = resolve(resultsDir, 'service.log')
writeFileSync(serviceLog, '')
writeFileSync(resolve(resultsDir, 'floor.log'), '')
const compiledRoot = compiled ? await buildCompiled() : undefined
const service = await startService({ databaseUrl: serviceUrl, auth, logFile: serviceLog, ...(compiledRoot ? { compiledRoot } : {}) })
const floor = await startFloor({ databaseUrl: floorUrl, logFile: resolve(resultsDir, 'floor.log'), poolSize })
const startedRssMb = service.rssMb()
log(`service pid ${service.pid} at ${service.url} (log: ${serviceLog}, RSS ${startedRssMb.toFixed(0)} MB); floor pid ${floor.pid} at ${floor.url}`)

async function visibleIds (url: string, limit: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ id: string }>(
      `select id from projects where owner_org = '1084' or participating_regions @> '{1084}'
       order by created_at desc, id desc limit $1`, [limit])
    return rows.map((r) => r.id)
  } finally {
    await client.end()
  }
}
const serviceIds = await visibleIds(serviceUrl, 1000)
const floorIds = await visibleIds(floorUrl, 1000)
const pgCases = pgbenchCases({ page: floorIds.slice(0, 50), one: floorIds[0]! })
const pick = (ids: string[]) => () => `/v1/projects/${ids[Math.floor(Math.random() * ids.length)]!}`

const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
const bodies = { submitGated: JSON.stringify(submission(true)), submitUngated: JSON.stringify(submission(false)) }

async function measureHttp (server: ServerProcess, ids: string[], key: CaseKey, connections: number, secs: number): Promise<Measurement> {
  const common = { url: server.url, headers, connections, seconds: secs }
  switch (key) {
    case 'submitGated':
    case 'submitUngated':
      return httpLoad({ ...common, method: 'POST', path: '/v1/projects', body: bodies[key] })
    case 'list':
      return httpLoad({ ...common, method: 'GET', path: '/v1/projects?limit=50' })
    case 'get':
      return httpLoad({ ...common, method: 'GET', path: pick(ids) })
  }
}

// 3. Warm-up (JIT, pools, caches), unrecorded.
const warmSeconds = smoke ? 1 : Math.min(2, seconds)
log(`warming up (${warmSeconds} s per case and server) …`)
for (const c of CASES) {
  await measureHttp(service, serviceIds, c.key, 8, warmSeconds)
  await measureHttp(floor, floorIds, c.key, 8, warmSeconds)
}

// 4. The rounds: every case on service, floor and pgbench in turn, so drifting load hits all three
// alike. Who goes first turns with each round (service, floor, pgbench; then floor, pgbench,
// service; …), and before every run PostgreSQL settles (a checkpoint, no autovacuum at work), so
// that no target always inherits what another left behind.
const records: RunRecord[] = []
const rss = { startedMb: startedRssMb, warmMb: service.rssMb(), maxMb: service.rssMb() }
const settling = { runs: 0, totalMs: 0, maxMs: 0, checkpointed: true }
for (let round = 1; round <= rounds; round++) {
  const turn = (round - 1) % TARGETS.length
  const order = [...TARGETS.slice(turn), ...TARGETS.slice(0, turn)]
  for (const c of CASES) {
    for (const connections of connectionLevels) {
      for (const target of order) {
        const settled = await settlePostgres()
        settling.runs++
        settling.totalMs += settled.ms
        settling.maxMs = Math.max(settling.maxMs, settled.ms)
        settling.checkpointed &&= settled.checkpointed
        const before = load1()
        let m: Measurement
        let cpuMsPerRequest = Number.NaN
        let pgCpuMsPerRequest = Number.NaN
        try {
          if (target === 'service') {
            const sampler = sampleRss(service.pid)
            const cpu = cpuMsOf(service.pid)
            const pgCpu = postgresCpu()
            m = await measureHttp(service, serviceIds, c.key, connections, seconds)
            cpuMsPerRequest = (cpuMsOf(service.pid) - cpu) / m.requests
            pgCpuMsPerRequest = postgresCpuMsSince(pgCpu) / m.requests
            const sampled = sampler.stop()
            rss.maxMb = Math.max(rss.maxMb, sampled.maxMb)
          } else if (target === 'floor') {
            const cpu = cpuMsOf(floor.pid)
            const pgCpu = postgresCpu()
            m = await measureHttp(floor, floorIds, c.key, connections, seconds)
            cpuMsPerRequest = (cpuMsOf(floor.pid) - cpu) / m.requests
            pgCpuMsPerRequest = postgresCpuMsSince(pgCpu) / m.requests
          } else {
            m = await runPgbench({ databaseUrl: floorUrl, workDir: resultsDir, name: c.key, pgCase: pgCases[c.key] as PgbenchCase, clients: connections, seconds })
          }
        } catch (error) {
          // One failed run (e.g. PostgreSQL out of connections for pgbench) does not end the bench.
          log(`round ${round} ${c.label} c=${connections} ${target}: FAILED: ${(error as Error).message.split('\n')[0]}`)
          m = { rps: Number.NaN, p50: Number.NaN, p99: Number.NaN, requests: 0, failures: 1, statusCodes: {} }
        }
        records.push({ ...m, round, target, case: c.key, connections, load1: before, cpuMsPerRequest, pgCpuMsPerRequest })
        log(`round ${round} ${c.label.padEnd(30)} c=${String(connections).padStart(2)} ${target.padEnd(7)} ` +
          `${m.rps.toFixed(0).padStart(6)}/s p50 ${m.p50.toFixed(2).padStart(6)} ms p99 ${m.p99.toFixed(2).padStart(7)} ms` +
          `${Number.isFinite(cpuMsPerRequest) ? ` cpu ${cpuMsPerRequest.toFixed(3)} ms/req, PostgreSQL ${pgCpuMsPerRequest.toFixed(3)}` : ''}` +
          `${m.failures > 0 ? `  FAILURES ${m.failures} ${JSON.stringify(m.statusCodes)}` : ''}  (load ${before})`)
      }
    }
  }
}

await service.stop()
await floor.stop()

// 5. Medians, ratios, targets.
interface Row { case: CaseKey, label: string, write: boolean, connections: number, service: Stat, floor: Stat, pgbench: Stat, serviceVsFloor: number, serviceVsPgbench: number }
interface Stat { rps: number, p50: number, p99: number, cpuMsPerRequest: number, pgCpuMsPerRequest: number, runs: number, failures: number }
const stat = (target: Target, key: CaseKey, connections: number): Stat => {
  const rs = records.filter((r) => r.target === target && r.case === key && r.connections === connections)
  return {
    rps: median(rs.map((r) => r.rps)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    cpuMsPerRequest: median(rs.map((r) => r.cpuMsPerRequest)),
    pgCpuMsPerRequest: median(rs.map((r) => r.pgCpuMsPerRequest)),
    runs: rs.length,
    failures: rs.reduce((sum, r) => sum + r.failures, 0)
  }
}
const rows: Row[] = []
for (const c of CASES) {
  for (const connections of connectionLevels) {
    const s = stat('service', c.key, connections)
    const f = stat('floor', c.key, connections)
    const p = stat('pgbench', c.key, connections)
    rows.push({ case: c.key, label: c.label, write: c.write, connections, service: s, floor: f, pgbench: p, serviceVsFloor: s.rps / f.rps, serviceVsPgbench: s.rps / p.rps })
  }
}

const fmt = (n: number, digits = 0) => Number.isFinite(n) ? n.toFixed(digits) : '–'
const table = [
  '',
  `medians of ${rounds} run(s) of ${seconds} s; latency in ms (p50 / p99); pgbench = transactions/s of the same SQL`,
  '',
  `${'case'.padEnd(30)} conns | ${'service req/s'.padStart(13)} ${'p50'.padStart(6)} ${'p99'.padStart(7)} | ${'floor req/s'.padStart(11)} ${'p50'.padStart(6)} ${'p99'.padStart(7)} | ${'pgbench tps'.padStart(11)} ${'p50'.padStart(6)} ${'p99'.padStart(7)} | svc/floor svc/pgb`,
  '-'.repeat(150),
  ...rows.map((r) => `${r.label.padEnd(30)} ${String(r.connections).padStart(5)} | ` +
    `${fmt(r.service.rps).padStart(13)} ${fmt(r.service.p50, 2).padStart(6)} ${fmt(r.service.p99, 2).padStart(7)} | ` +
    `${fmt(r.floor.rps).padStart(11)} ${fmt(r.floor.p50, 2).padStart(6)} ${fmt(r.floor.p99, 2).padStart(7)} | ` +
    `${fmt(r.pgbench.rps).padStart(11)} ${fmt(r.pgbench.p50, 2).padStart(6)} ${fmt(r.pgbench.p99, 2).padStart(7)} | ` +
    `${fmt(r.serviceVsFloor, 2).padStart(9)} ${fmt(r.serviceVsPgbench, 2).padStart(7)}`)
]
for (const line of table) log(line)
log('')
log('CPU time per request (ms): of the server process (the part of the cost that is ours, whatever the machine\'s load), and of PostgreSQL:')
for (const r of rows) {
  log(`${r.label.padEnd(30)} ${String(r.connections).padStart(5)} | service ${fmt(r.service.cpuMsPerRequest, 3).padStart(6)} | floor ${fmt(r.floor.cpuMsPerRequest, 3).padStart(6)} | ${fmt(r.service.cpuMsPerRequest / r.floor.cpuMsPerRequest, 2)} ×` +
    ` | PostgreSQL: service ${fmt(r.service.pgCpuMsPerRequest, 3).padStart(6)} | floor ${fmt(r.floor.pgCpuMsPerRequest, 3).padStart(6)}`)
}
log(`PostgreSQL settled before each of ${settling.runs} runs: ${fmt(settling.totalMs / Math.max(1, settling.runs))} ms on average, at most ${fmt(settling.maxMs)} ms` +
  `${settling.checkpointed ? '' : ' (no CHECKPOINT: the maintenance connection may not; autovacuum waited for only)'}`)
log(`service RSS: ${fmt(rss.startedMb)} MB when started, ${fmt(rss.warmMb)} MB after the warm-up, max ${fmt(rss.maxMb)} MB during the load`)

// `pass` undefined: a figure to read, not a target (the machine decides it more than the code).
interface Target_ { name: string, pass?: boolean, detail: string }
const targets: Target_[] = []
const writes = rows.filter((r) => r.write)
const reads = rows.filter((r) => !r.write)
const worst = (list: Row[], f: (r: Row) => number) => list.reduce((a, r) => (f(r) < f(a) ? r : a))
const partial = CASES.length < ALL_CASES.length || TARGETS.length < 3
if (!partial && writes.length > 0 && reads.length > 0) {
  const wf = worst(writes, (r) => r.serviceVsFloor)
  targets.push({ name: 'submissions ≥ 0.8 × floor', pass: writes.every((r) => r.serviceVsFloor >= 0.8), detail: `lowest ${fmt(wf.serviceVsFloor, 2)} (${wf.label}, c=${wf.connections})` })
  const wp = worst(writes, (r) => r.serviceVsPgbench)
  targets.push({ name: 'submissions / pgbench', detail: `lowest ${fmt(wp.serviceVsPgbench, 2)} (${wp.label}, c=${wp.connections})` })
  const rf = worst(reads, (r) => r.serviceVsFloor)
  targets.push({ name: 'reads ≥ 0.8 × floor', pass: reads.every((r) => r.serviceVsFloor >= 0.8), detail: `lowest ${fmt(rf.serviceVsFloor, 2)} (${rf.label}, c=${rf.connections})` })
  const at32 = writes.filter((r) => r.connections === 32)
  if (at32.length > 0) {
    const highest = at32.reduce((a, r) => (r.service.p99 > a.service.p99 ? r : a))
    // At a fixed number of connections latency follows throughput (Little's law): the floor's and
    // pgbench's p99 in the same case say what this machine allowed in that run.
    targets.push({
      name: 'submission p99 at 32 connections',
      detail: `highest ${fmt(highest.service.p99, 1)} ms (${highest.label}; floor ${fmt(highest.floor.p99, 1)} ms, pgbench ${fmt(highest.pgbench.p99, 1)} ms)`
    })
  }
  targets.push({ name: 'service RSS < 200 MB under load', pass: rss.maxMb < 200, detail: `max ${fmt(rss.maxMb)} MB` })
}
const failures = records.reduce((sum, r) => sum + r.failures, 0)
log('')
if (smoke || partial) {
  log(`${smoke ? 'smoke' : 'partial'} run: ${records.length} runs, ${failures} failed requests (targets are checked only in full runs of every case)`)
} else {
  for (const t of targets) log(`${t.pass === undefined ? 'INFO' : t.pass ? 'PASS' : 'FAIL'}  ${t.name.padEnd(44)} ${t.detail}`)
  if (failures > 0) log(`WARNING: ${failures} requests failed; see the FAILURES lines above and ${serviceLog}`)
}
log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)

const output = {
  startedAt: started.toISOString(),
  finishedAt: new Date().toISOString(),
  mode: smoke ? 'smoke' : quick ? 'quick' : 'full',
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverageAfter: loadavg() },
  settings: { seconds, rounds, connections: connectionLevels, poolSize, service: compiled ? 'compiled' : 'tsx', prefill: PREFILL, databases: [databaseUrl(SERVICE_DB), databaseUrl(FLOOR_DB)] },
  rows,
  rss,
  settling,
  targets,
  runs: records
}
const file = resolve(resultsDir, smoke ? 'smoke.json' : 'latest.json')
writeFileSync(file, JSON.stringify(output, null, 2) + '\n')
log(`written to ${file}`)
process.exit(failures > 0 ? 1 : 0)
