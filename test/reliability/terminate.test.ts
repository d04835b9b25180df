import { randomUUID } from 'node:crypto'
import t from 'tap'
import { authAs, concurrently, gatedProject } from '../helpers/fixtures.ts'
import { assertProblem, buildOnPrivatePostgres, needsPrivatePostgres, waitUntil, watchProcessErrors } from './helpers.ts'

// Two PostgreSQL servers of their own (initdb, start, stop): on a busy machine this file needs far
// more than the suite's per-file default (.taprc). Counted from here.
t.setTimeout(600_000)

const POOL = 4
const BURST = 40

t.test('pool connections killed with pg_terminate_backend mid-burst: those requests 503, then recovery', needsPrivatePostgres, async (t) => {
  const processErrors = watchProcessErrors(t)
  const { app, admin } = await buildOnPrivatePostgres(t, { DB_POOL_SIZE: String(POOL) })
  const headers = await authAs('submitter', '1084')
  const lock = await admin()
  const killer = await admin()
  const waitingOnLock = async () => {
    const { rows } = await killer.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where application_name = 'council-gate' and wait_event_type = 'Lock'")
    return rows[0]!.n
  }

  // 1. Hold the projects table, so that every connection of the pool is busy inside a request.
  await lock.query('begin')
  await lock.query('lock table projects in share mode')
  const burst = concurrently(BURST, async (i) => {
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'idempotency-key': `burst-${i}` }, payload: gatedProject({ title: `Burst ${i}` }) })
    return { i, res }
  })
  t.ok(await waitUntil(async () => await waitingOnLock() >= 1, 60_000) >= 0, 'requests are in flight, waiting in the database')

  // 2. Kill every connection of the pool (and again, for the requests that got fresh ones), then let go.
  let killed = 0
  for (let round = 0; round < 2; round++) {
    const { rows } = await killer.query<{ killed: boolean }>(
      "select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = 'council-gate'")
    killed += rows.filter((r) => r.killed).length
    await waitUntil(async () => await waitingOnLock() >= 1, 2_000)
  }
  await lock.query('rollback')
  const results = await burst

  // 3. Every request either succeeded or was told to retry: 503 problem+json, never 500.
  t.ok(killed >= POOL, `${killed} pool connections were terminated`)
  const failed = results.filter(({ res }) => res.statusCode !== 201)
  t.ok(failed.length >= 1, `${failed.length} requests lost their connection`)
  for (const { i, res } of failed) assertProblem(t, res, 503, `burst request ${i}`)

  // 4. Recovery: the retries and new requests all succeed, and nothing was created twice.
  const retried = await Promise.all(failed.map(async ({ i }) => app.inject({
    method: 'POST', url: '/v1/projects', headers: { ...headers, 'idempotency-key': `burst-${i}` }, payload: gatedProject({ title: `Burst ${i}` })
  })))
  t.same(retried.map((r) => r.statusCode), failed.map(() => 201), 'the failed requests succeed when retried')
  const fresh = await concurrently(20, async (i) => app.inject({ method: 'POST', url: '/v1/projects', headers, payload: gatedProject({ title: `After ${i}` }) }))
  t.same(fresh.map((r) => r.statusCode), fresh.map(() => 201), 'new requests succeed')
  const { rows } = await killer.query<{ n: number }>('select count(*)::int as n from projects')
  t.equal(rows[0]!.n, BURST + 20, 'one project per request')
  t.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200, 'ready')
  t.same(processErrors.map(String), [], 'no unhandled rejection or uncaught exception')
})

t.test('connections that died while idle in the pool never leak a pool slot (BEGIN on a dead connection)', needsPrivatePostgres, async (t) => {
  // A pool of two: two leaked slots would leave every later request waiting for a connection (503 for ever).
  const { app, database, proxy } = await buildOnPrivatePostgres(t, { DB_POOL_SIZE: '2', WORKERS: 'off' }, { proxy: true })
  const headers = await authAs('submitter', '1084')
  const statuses = new Map<number, number>()
  const odd: string[] = []
  // With an Idempotency-Key a submission is a transaction (BEGIN first); without one it is a
  // single statement through pool.query, which releases its connection itself.
  const submit = async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'idempotency-key': randomUUID() }, payload: gatedProject() })
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
    if (res.statusCode !== 201 && (res.statusCode !== 503 || !/^application\/problem\+json/.test(String(res.headers['content-type'])))) {
      odd.push(`${res.statusCode} ${res.body.slice(0, 200)}`)
    }
    return res
  }

  // 1. Round after round: fill the pool with idle connections, let them die unnoticed (the proxy
  //    severs them; the pool learns of it only by using them), and use them at once. The pool
  //    hands out idle connections before it opens new ones, so each dead one is taken by exactly
  //    one of the next requests (one or two a round: two concurrent requests may still have run
  //    one after the other on one connection).
  const ROUNDS = 5
  let severed = 0
  for (let round = 0; round < ROUNDS; round++) {
    await concurrently(2, submit)
    const cut = proxy!.sever()
    t.ok(cut >= 1, `round ${round}: the pool's idle connections severed (${cut})`)
    severed += cut
    await concurrently(4, submit)
    // Every request has answered: a connection still checked out now is leaked (stop early, fail below).
    const pool = database.poolStats()
    if (pool.total !== pool.idle) break
  }
  t.same(odd, [], 'every request was a 201, or a 503 problem+json')
  t.equal(statuses.get(503), severed, `each dead connection failed the one request that took it (${severed} × 503)`)
  t.equal(statuses.get(201), 6 * ROUNDS - severed, 'every other request succeeded')

  // 2. Every slot came back: nothing is checked out, and the service answers normally.
  const pool = database.poolStats()
  t.equal(pool.total - pool.idle, 0, 'no connection is left checked out')
  const after = await concurrently(4, async () => app.inject({ method: 'POST', url: '/v1/projects', headers, payload: gatedProject() }))
  t.same(after.map((r) => r.statusCode), [201, 201, 201, 201], 'the service recovers')
})
