import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { authAs, gatedProject } from '../helpers/fixtures.ts'
import { buildOnPrivatePostgres, needsPrivatePostgres, waitUntil, watchProcessErrors } from './helpers.ts'

// A PostgreSQL server of its own (initdb, start, stop): on a busy machine this file needs far more
// than the suite's per-file default (.taprc). Counted from here.
t.setTimeout(600_000)

const TOTAL = 200
const CLIENTS = 8
const OUTAGE_MS = 2_000

t.test('PostgreSQL stopped for 2 s during 200 idempotent submissions: 503 meanwhile, nothing lost, nothing twice', needsPrivatePostgres, async (t) => {
  const processErrors = watchProcessErrors(t)
  const { app, database, pg, admin } = await buildOnPrivatePostgres(t, { DB_POOL_SIZE: '8' })
  const headers = await authAs('submitter', '1084')

  const statuses = new Map<number, number>()
  const odd: string[] = []
  const idByKey = new Map<string, string>()
  let completed = 0

  // A client that retries with the same Idempotency-Key until it gets its 201, as the contract asks.
  async function submitUntilCreated (i: number) {
    const key = `outage-${i}`
    const payload = gatedProject({ title: `Udfaldstest ${i}` })
    // Retries until the 201 (a state); the limit only bounds a submission that never succeeds.
    const deadline = Date.now() + 120_000
    while (Date.now() < deadline) {
      const res = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'idempotency-key': key }, payload })
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      if (res.statusCode === 201) {
        idByKey.set(key, res.json().id)
        completed++
        return
      }
      if (res.statusCode !== 503 || !/^application\/problem\+json/.test(String(res.headers['content-type'])) || res.headers['retry-after'] === undefined) {
        odd.push(`${key}: ${res.statusCode} ${res.headers['content-type']} ${res.body.slice(0, 200)}`)
      }
      await sleep(100)
    }
    odd.push(`${key}: no 201 within 120 s`)
  }

  let next = 0
  const clients = Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < TOTAL) await submitUntilCreated(next++)
  }))

  // 1. Once a quarter is in, stop the server ("fast": every connection is terminated) for 2 s.
  t.ok(await waitUntil(async () => completed >= TOTAL / 4, 120_000) >= 0, 'a quarter of the submissions went through first')
  await pg.stop('fast')
  const downAt = Date.now()
  const readyWhileDown = new Set<string>()
  while (Date.now() - downAt < OUTAGE_MS) {
    const res = await app.inject({ method: 'GET', url: '/health/ready' })
    readyWhileDown.add(`${res.statusCode} ${res.headers['content-type']}`)
    await sleep(200)
  }
  t.same([...readyWhileDown], ['503 application/problem+json; charset=utf-8'], '/health/ready is 503 problem+json throughout the outage')

  // 2. Back: readiness recovers within 5 s.
  await pg.start()
  const readyAfter = await waitUntil(async () => (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200, 5_000)
  t.ok(readyAfter >= 0, `/health/ready is 200 again ${readyAfter} ms after the database returned`)

  await clients
  t.same(odd, [], 'every failed attempt was a 503 problem+json with Retry-After')
  t.notOk(statuses.has(500), 'no 500')
  t.ok((statuses.get(503) ?? 0) > 0, `the outage was felt: ${statuses.get(503) ?? 0} attempts answered 503`)
  t.equal(idByKey.size, TOTAL, 'every submission got its 201 in the end')

  // 3. A retry of every key replays its original answer and creates nothing.
  let replayedSame = 0
  for (const [key, id] of idByKey) {
    const i = Number(key.slice('outage-'.length))
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'idempotency-key': key }, payload: gatedProject({ title: `Udfaldstest ${i}` }) })
    if (res.statusCode === 201 && res.json().id === id && res.headers['idempotent-replayed'] === 'true') replayedSame++
  }
  t.equal(replayedSame, TOTAL, 'every retried key answers the same project again (idempotent-replayed)')

  // 4. Durable: after another restart, exactly the 200 projects that were answered 201 exist, once each.
  await pg.stop('fast')
  await pg.start()
  const client = await admin()
  const { rows } = await client.query<{ id: string }>('select id from projects')
  t.equal(rows.length, TOTAL, 'exactly 200 projects')
  t.same(new Set(rows.map((r) => r.id)), new Set(idByKey.values()), 'they are the projects the clients were given')
  const events = await client.query<{ n: string }>("select count(*)::text as n from audit_events where type = 'itraad.project.submitted'")
  t.equal(events.rows[0]!.n, String(TOTAL), 'one submitted event per project')
  const keys = await client.query<{ n: string }>('select count(*)::text as n from idempotency_keys where status_code = 201')
  t.equal(keys.rows[0]!.n, String(TOTAL), 'one stored response per key')

  // 5. No connection was lost from the pool on the way (the workers may hold one for a moment).
  const settled = await waitUntil(async () => { const pool = database.poolStats(); return pool.total === pool.idle }, 30_000)
  t.ok(settled >= 0, `no connection is left checked out: ${JSON.stringify(database.poolStats())}`)

  // 6. The process is still serving and never saw an unhandled error.
  t.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200, 'still ready')
  t.same(processErrors.map(String), [], 'no unhandled rejection or uncaught exception')
})
