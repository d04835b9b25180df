import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { gatedProject } from '../helpers/fixtures.ts'
import { assertProblem, needsPrivatePostgres, openConnection, outcome, rawRequest, spawnServer, startOwnPostgres, waitUntil, type RawAnswer } from './helpers.ts'

// Three real servers, two of them on a PostgreSQL of their own, and a grace period: more than the
// suite's per-file default on a busy machine.
t.setTimeout(300_000)

const IN_FLIGHT = 60
/** The drain test's grace period: long enough that nothing in it depends on the machine being quick. */
const GRACE_MS = 5_000
/**
 * The drain test's two sets of submissions, of this many each, hold a pool connection at once:
 * DB_POOL_SIZE is at most 100, and PostgreSQL allows 100 connections, the test's own two included.
 */
const DRAIN_SET = 45

t.test('draining (src/plugins/shutdown.ts): /health/ready answers 503 problem+json, everything else is served, with connection: close', async (t) => {
  const { app } = await build(t)
  t.equal(app.draining, false, 'not draining after start')
  t.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200, 'ready')
  t.not((await app.inject({ method: 'GET', url: '/health/live' })).headers.connection, 'close', 'connections are kept alive')
  app.beginDrain()
  app.beginDrain()
  t.equal(app.draining, true, 'draining')
  const ready = await app.inject({ method: 'GET', url: '/health/ready' })
  assertProblem(t, ready, 503, 'ready while draining')
  t.equal(ready.json().code, 'UNAVAILABLE')
  t.equal(ready.headers.connection, 'close')
  const live = await app.inject({ method: 'GET', url: '/health/live' })
  t.equal(live.statusCode, 200, 'live stays 200')
  const regions = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(await token('admin', 'ITR')) })
  t.equal(regions.statusCode, 200, 'requests are served as usual')
  t.equal(regions.headers.connection, 'close', 'with connection: close, so that clients reconnect (to another instance)')
})

t.test('SHUTDOWN_GRACE_MS=0: SIGTERM with 60 submissions in flight: all 60 answer 201, the process exits 0 within 10 s', needsPrivatePostgres, async (t) => {
  const database = await startOwnPostgres()
  const dataDir = mkdtempSync(join(tmpdir(), 'council-gate-shutdown-'))
  const admin = new pg.Client({ connectionString: database.url, application_name: 'fault-test-admin' })
  // pg_stat_activity is a snapshot per transaction: it is watched from a second connection.
  const watcher = new pg.Client({ connectionString: database.url, application_name: 'fault-test-watcher' })
  t.teardown(async () => {
    await admin.end().catch(() => {})
    await watcher.end().catch(() => {})
    await database.destroy()
    rmSync(dataDir, { recursive: true, force: true })
  })

  // 1. The real server, as `npm start` runs it, on its own port and database.
  const server = await spawnServer(t, {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    DB_POOL_SIZE: String(IN_FLIGHT + 4),
    RATE_LIMIT_PER_MINUTE: '0',
    SHUTDOWN_GRACE_MS: '0',
    LOG_LEVEL: 'warn'
  })
  const { base } = server

  const ready = await waitUntil(async () => (await fetch(`${base}/health/ready`)).status === 200, 40_000, 200)
  t.ok(ready >= 0, 'the server became ready')
  if (ready < 0) return t.comment(server.output())

  // 2. Hold the projects table so that all 60 submissions are inside the service, waiting on the database.
  await admin.connect()
  await watcher.connect()
  await admin.query('begin')
  await admin.query('lock table projects in share mode')
  const headers = { ...bearer(await token('submitter', '1084')), 'content-type': 'application/json' }
  const requests = Array.from({ length: IN_FLIGHT }, async (_, i) => {
    const res = await fetch(`${base}/v1/projects`, { method: 'POST', headers, body: JSON.stringify(gatedProject({ title: `Nedlukning ${i}` })) })
    return { status: res.status, body: await res.text() }
  })
  const waiting = async () => (await watcher.query<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where application_name = 'council-gate' and wait_event_type = 'Lock'")).rows[0]!.n
  t.ok(await waitUntil(async () => await waiting() >= IN_FLIGHT, 20_000) >= 0, `all ${IN_FLIGHT} requests are in flight`)

  // 3. SIGTERM now; the requests are still waiting. A new request is turned away meanwhile.
  const signalledAt = Date.now()
  server.process.kill('SIGTERM')
  await sleep(300)
  const late = await fetch(`${base}/health/live`).then((r) => r.status, () => 'refused')
  t.ok(late === 503 || late === 'refused', `a new request during shutdown is refused or 503 (got ${late})`)
  t.equal(server.process.exitCode, null, 'the process waits for the requests in flight')
  await admin.query('rollback')

  // 4. Every request in flight completes; then the process exits cleanly, in time.
  const results = await Promise.all(requests)
  t.same(results.map((r) => r.status), results.map(() => 201), 'all 60 requests in flight answered 201')
  const exit = await Promise.race([server.exited, sleep(15_000).then(() => null)])
  t.ok(exit, 'the process exited')
  if (!exit) return t.comment(server.output())
  t.equal(exit.code, 0, 'exit code 0')
  t.ok(exit.at - signalledAt < 10_000, `exited ${exit.at - signalledAt} ms after SIGTERM`)
  const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from projects')
  t.equal(rows[0]!.n, IN_FLIGHT, 'and the 60 projects are stored')
  t.notMatch(server.output(), /"level":(50|60)/, 'no error logged')
})

t.test(`SIGTERM drains: /health/ready turns 503 while the server keeps answering for ${GRACE_MS} ms; ${DRAIN_SET} submissions in flight and ${DRAIN_SET} on connections opened just before the signal all answer 201, none is reset; the process exits 0`, needsPrivatePostgres, async (t) => {
  const database = await startOwnPostgres()
  const dataDir = mkdtempSync(join(tmpdir(), 'council-gate-drain-'))
  const admin = new pg.Client({ connectionString: database.url, application_name: 'fault-test-admin' })
  const watcher = new pg.Client({ connectionString: database.url, application_name: 'fault-test-watcher' })
  t.teardown(async () => {
    await admin.end().catch(() => {})
    await watcher.end().catch(() => {})
    await database.destroy()
    rmSync(dataDir, { recursive: true, force: true })
  })

  // 1. The real server, with a grace period, and a hard limit that never decides.
  const server = await spawnServer(t, {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    DB_POOL_SIZE: String(2 * DRAIN_SET + 4),
    // The submissions wait on a lock through the grace period: no statement timeout may end them.
    DB_STATEMENT_TIMEOUT_MS: '60000',
    RATE_LIMIT_PER_MINUTE: '0',
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
    SHUTDOWN_TIMEOUT_MS: '60000',
    LOG_LEVEL: 'info'
  })
  const { base } = server
  // Waits for the state, or the process ending; the limits here only bound a run that never gets there.
  const ready = await Promise.race([
    waitUntil(async () => (await rawRequest(base, 'GET', '/health/ready')).status === 200, 120_000, 200),
    server.exited.then(() => -1)
  ])
  t.ok(ready >= 0, 'the server became ready')
  if (ready < 0) return t.comment(server.output())

  // 2. Hold the projects table, so that submissions stay in flight until the test lets them go.
  await admin.connect()
  await watcher.connect()
  await admin.query('begin')
  await admin.query('lock table projects in share mode')
  const headers = { ...bearer(await token('submitter', '1084')), 'content-type': 'application/json' }
  const body = (title: string) => JSON.stringify(gatedProject({ title }))
  const waiting = async () => (await watcher.query<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where application_name = 'council-gate' and wait_event_type = 'Lock'")).rows[0]!.n

  // Each request on a connection of its own: no client pool reuses a connection, retries or hides a reset.
  const inside = await Promise.all(Array.from({ length: DRAIN_SET }, () => openConnection(base)))
  const insideAnswers = inside.map((connection, i) => connection.request('POST', '/v1/projects', headers, body(`Nedlukning ${i}`)))
  t.ok(await waitUntil(async () => await waiting() >= DRAIN_SET, 60_000) >= 0, `${DRAIN_SET} submissions are in flight, waiting on the database`)

  // 3. Connections opened just before the signal: established (the kernel accepted them), nothing
  //    read yet. close() at the signal would cut exactly these.
  const early = await Promise.all(Array.from({ length: DRAIN_SET }, () => openConnection(base)))

  // 4. SIGTERM: readiness fails at once, while requests, also new ones, are still answered.
  const signalledAt = Date.now()
  server.process.kill('SIGTERM')
  let readiness: RawAnswer = {}
  await waitUntil(async () => {
    readiness = await rawRequest(base, 'GET', '/health/ready')
    return readiness.status !== 200
  }, 10_000)
  t.equal(outcome(readiness), '503', '/health/ready answers 503 during the grace period')
  if (readiness.status === 503) {
    assertProblem(t, { statusCode: 503, headers: readiness.headers!, body: readiness.body! }, 503, 'readiness while draining')
    t.match(JSON.parse(readiness.body!), { code: 'UNAVAILABLE' })
  }
  let earlySettled = 0
  const sentAfter = Date.now() - signalledAt
  const earlyAnswers = early.map((connection, i) => connection.request('POST', '/v1/projects', headers, body(`Nedlukning efter signalet ${i}`))
    .finally(() => { earlySettled++ }))
  t.equal(outcome(await rawRequest(base, 'GET', '/health/live')), '200', 'a new connection is still answered during the grace period')
  // They wait on the lock like the first ones: a reset would settle one early.
  const allInside = await waitUntil(async () => earlySettled > 0 || await waiting() >= 2 * DRAIN_SET, 60_000)
  t.ok(allInside >= 0 && earlySettled === 0, `the ${DRAIN_SET} sent ${sentAfter} ms after the signal are in flight too (${earlySettled} settled early)`)

  // 5. The grace period ends: the server stops listening, and waits for what is in flight.
  //    A probe whose connection sat in the accept queue as the listener closed is reset; that is
  //    the moment of closing, not its end state, so the probe goes on until it is refused or 503.
  let late: RawAnswer = {}
  const closing = await waitUntil(async () => {
    late = await rawRequest(base, 'GET', '/health/live')
    return late.status !== 200 && late.error !== 'ECONNRESET'
  }, GRACE_MS + 20_000, 100)
  const closedAt = Date.now()
  t.ok(closing >= 0, 'the server stops taking requests after the grace period')
  t.ok(late.status === 503 || late.error === 'ECONNREFUSED', `a new request then is refused or 503 (got ${outcome(late)})`)
  t.ok(closedAt - signalledAt >= GRACE_MS - 100, `requests were answered for the whole grace period (${closedAt - signalledAt} ms)`)
  t.equal(server.process.exitCode, null, 'the process waits for the requests in flight')
  await admin.query('rollback')

  // 6. Every request is answered 201, none reset; then the process exits cleanly, in time.
  const answers = await Promise.all([...insideAnswers, ...earlyAnswers])
  t.same(answers.map(outcome), answers.map(() => '201'), `all ${2 * DRAIN_SET} requests answered 201`)
  const exit = await Promise.race([server.exited, sleep(60_000).then(() => null)])
  t.ok(exit, 'the process exited')
  if (!exit) return t.comment(server.output())
  t.equal(exit.code, 0, 'exit code 0')
  t.ok(exit.at - signalledAt < GRACE_MS + 10_000, `exited ${exit.at - signalledAt} ms after SIGTERM`)
  const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from projects')
  t.equal(rows[0]!.n, 2 * DRAIN_SET, `and the ${2 * DRAIN_SET} projects are stored`)
  const output = server.output()
  t.notMatch(output, /"level":(50|60)/, 'no error logged')
  const draining = output.indexOf('"phase":"draining"')
  t.ok(draining >= 0 && draining === output.lastIndexOf('"phase":"draining"'), 'one log line when draining starts')
  const closingLine = output.indexOf('"phase":"closing"')
  t.ok(closingLine > draining && closingLine === output.lastIndexOf('"phase":"closing"'), 'and one when closing starts, after it')
})
