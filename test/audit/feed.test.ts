import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { CloudEvent } from 'cloudevents'
import pg from 'pg'
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { openPostgres, queryRows } from '../../src/db/client.ts'
import { verifyChain } from '../../src/modules/audit/verify.ts'
import { UNSEALED_PROBE } from '../../src/repositories/audit.ts'
import { Sealer, SEALER_LOCK_KEY } from '../../src/workers/sealer.ts'
import { bearer, build, testConfig, token } from '../helpers/build.ts'
import { postgresOnly } from '../helpers/database.ts'
import { appendEvents, count, feedPage, type Tx } from './helpers.ts'

// Nine fresh databases and concurrent writers: on a busy machine this file needs far more than the
// suite's per-file default (.taprc). Counted from here.
t.setTimeout(600_000)

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/** The stored canonical body: the served event without its chain attributes, keys sorted. */
function canonicalBody (event: Record<string, unknown>): string {
  const { sequence: _s, hash: _h, prevhash: _p, ...rest } = event
  const sort = (v: unknown): unknown => Array.isArray(v)
    ? v.map(sort)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : 1).map(([k, x]) => [k, sort(x)])) : v
  return JSON.stringify(sort(rest))
}

t.test('the feed serves sealed events as valid CloudEvents, chained, in sequence order', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const ids = [...await appendEvents(app, 3), ...await appendEvents(app, 2, { type: 'itraad.project.submitted' })]

  // 1. nothing is in the feed before the sealer has run
  t.same(await feedPage(app, ''), { items: [], nextCursor: null })
  t.equal(await app.sealer.sealPending(), 5)
  t.equal(await count(app, 'audit_unsealed'), 0)

  // 2. every event once, in order, with the chain attributes
  const page = await feedPage(app, 'limit=50')
  t.same(page.items.map((e) => e.id), ids)
  t.same(page.items.map((e) => e.sequence), ['1', '2', '3', '4', '5'])
  t.equal(page.nextCursor, null, 'a page that is not full has no next cursor')
  let prev = '0'.repeat(64)
  for (const event of page.items) {
    t.ok(new CloudEvent(event).validate(), `event ${event.sequence} passes the CloudEvents SDK`)
    t.match(event, { specversion: '1.0', source: '/council-gate', datacontenttype: 'application/json', authtype: 'user', authid: 'writer-test', actororg: '1084' })
    t.match(event.data, { reference: 'ITR-2026-9999', description: 'Testhændelse' })
    t.equal(event.prevhash, prev)
    t.equal(event.hash, sha256(`${prev}\n${event.sequence}\n${canonicalBody(event)}`), 'hash recomputable by a client')
    prev = event.hash
  }

  // 3. paging: a full page names its last sequence; `cursor` is a synonym of `after`
  const first = await feedPage(app, 'limit=2')
  t.same(first.items.map((e) => e.sequence), ['1', '2'])
  t.equal(first.nextCursor, '2')
  const second = await feedPage(app, `after=${first.nextCursor}&limit=2`)
  t.same(second.items.map((e) => e.sequence), ['3', '4'])
  const third = await feedPage(app, `cursor=${second.nextCursor}&limit=2`)
  t.same(third.items.map((e) => e.sequence), ['5'])
  t.equal(third.nextCursor, null)
  t.same((await feedPage(app, 'after=5')).items, [])
  t.same((await feedPage(app, 'after=4&cursor=4', 'secretariat')).items.map((e) => e.sequence), ['5'])
  t.same((await feedPage(app, 'after=3', 'admin')).items.map((e) => e.sequence), ['4', '5'])

  // 4. bad positions and limits are 400
  const integration = bearer(await token('integration', 'ITR'))
  for (const query of ['after=-1', 'after=abc', 'after=01', 'after=1e3', 'limit=0', 'limit=201', 'after=1&cursor=2', 'after=99999999999999999999']) {
    const res = await app.inject({ method: 'GET', url: `/v1/events?${query}`, headers: integration })
    t.equal(res.statusCode, 400, query)
    t.match(res.headers['content-type'], /application\/problem\+json/)
  }
})

t.test('the feed is for integrations, the secretariat and admins', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  t.equal((await app.inject({ method: 'GET', url: '/v1/events' })).statusCode, 401)
  for (const role of ['submitter', 'council_member'] as const) {
    const res = await app.inject({ method: 'GET', url: '/v1/events', headers: bearer(await token(role, '1084')) })
    t.equal(res.statusCode, 403, role)
    t.equal((await app.inject({ method: 'GET', url: '/v1/events/stream', headers: bearer(await token(role, '1084')) })).statusCode, 403, `${role} stream`)
  }
})

t.test('the running sealer seals committed events by itself', async (t) => {
  const { app } = await build(t)
  await appendEvents(app, 4)
  // Waits for the state; the limit only bounds a sealer that never seals.
  const deadline = Date.now() + 60_000
  let items: unknown[] = []
  while (Date.now() < deadline) {
    items = (await feedPage(app, '')).items
    if (items.length === 4) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  t.equal(items.length, 4)
})

t.test('a sealing run takes its batch by index lookups, however long the chain', postgresOnly, async (t) => {
  const { app, databaseUrl } = await build(t, { env: { WORKERS: 'off' } })
  // A long sealed chain (the hashes do not matter to a plan), then a batch of queued events.
  await app.db.execute(sql`insert into audit_events (id, type, body) select gen_random_uuid(), 'itraad.project.alert', '{}' from generate_series(1, 20000)`)
  await app.db.execute(sql`insert into audit_chain (sequence, event_pos, hash, prevhash) select row_number() over (order by pos), pos, md5(pos::text), md5(pos::text) from audit_events`)
  await appendEvents(app, 50)
  await app.db.execute(sql`analyze audit_events, audit_chain, audit_unsealed`)

  // The plans of the statements inside audit_seal(), sent to this client by auto_explain.
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  t.teardown(() => client.end())
  const plans: string[] = []
  client.on('notice', (notice) => plans.push(notice.message ?? ''))
  await client.query("load 'auto_explain'")
  await client.query('set auto_explain.log_min_duration = 0; set auto_explain.log_nested_statements = on; set auto_explain.log_level = notice')
  const { rows } = await client.query('select locked, events, deliveries from audit_seal($1, 1000)', [SEALER_LOCK_KEY])
  t.same(rows, [{ locked: false, events: 50, deliveries: 0 }])
  const take = plans.find((plan) => plan.includes('DELETE FROM audit_unsealed')) ?? 'no plan of the take'
  t.match(take, /Index Scan using audit_events_pkey on audit_events e .*\n\s+Index Cond: \(pos = ANY/, take)
  t.notMatch(take, /Merge|Hash Join|Seq Scan on audit_(events|chain)/, 'nothing read from the start of a table')
  const head = plans.find((plan) => plan.includes('ORDER BY c.sequence DESC')) ?? 'no plan of the head'
  t.match(head, /Index Scan Backward using audit_chain_pkey/, `the chain's head by its index: ${head}`)

  const queued = (await queryRows<{ 'QUERY PLAN': string }>(app.db, sql`explain (costs off) ${UNSEALED_PROBE}`)).map((r) => r['QUERY PLAN']).join('\n')
  t.match(queued, /Index (Only )?Scan using audit_unsealed_pkey/, `the idle check reads the queue's index, not its dead rows: ${queued}`)
})

t.test('a failed transaction leaves nothing for the sealer', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  await appendEvents(app, 1)
  await t.rejects(appendEvents(app, 1, { inside: async (tx) => { await tx.execute(sql`select 1/0`) } }))
  t.equal(await app.sealer.sealPending(), 1)
  t.same((await feedPage(app, '')).items.map((e) => e.sequence), ['1'])
})

t.test('200 concurrent writers, commits out of order: a polling reader sees every event once, in order', postgresOnly, async (t) => {
  const WRITERS = 200
  const PER_WRITER = 3
  const { app } = await build(t, { poolSize: 24 })

  // A reader that polls the feed the way an integration would, while the writers run.
  const seen: string[] = []
  let last = 0
  let writing = true
  const violations: string[] = []
  const read = async () => {
    for (;;) {
      const page = await feedPage(app, `after=${last}&limit=200`)
      for (const event of page.items) {
        if (Number(event.sequence) !== last + 1) violations.push(`expected ${last + 1}, got ${event.sequence}`)
        last = Number(event.sequence)
        seen.push(event.id)
      }
      if (page.nextCursor === null) {
        if (!writing && seen.length === WRITERS * PER_WRITER) return
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }
  }
  const reader = read()

  // Writers hold their transactions open for a random time; half of them after inserting their
  // events, so events commit (and become sealable) out of insert order while others keep committing.
  // Starts are spread over 300 ms so that the pool is not saturated and the sealer (which shares
  // the pool) gets to run while writers are in flight. Four stragglers insert first and commit
  // only once the reader has seen 60 later events: the late commit the feed must not skip.
  const STRAGGLERS = 4
  let release: () => void = () => {}
  const released = new Promise<void>((resolve) => { release = resolve })
  const watch = setInterval(() => { if (seen.length >= 60) release() }, 5)
  const started = Date.now()
  const sleep = async (tx: Tx) => { await tx.execute(sql`select pg_sleep(random() * 0.05)`) }
  const others = Array.from({ length: WRITERS - STRAGGLERS }, async (_, i) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 300))
    return appendEvents(app, PER_WRITER, i % 2 === 0 ? { inside: sleep } : { afterInsert: sleep })
  })
  const stragglers = Array.from({ length: STRAGGLERS }, () => appendEvents(app, PER_WRITER, { afterInsert: () => released }))
  // Should the sealer not get going, release anyway once everyone else is done (the test then fails below).
  void Promise.all(others).then(release, release)
  const written = (await Promise.all([...stragglers, ...others])).flat()
  clearInterval(watch)
  const writeMs = Date.now() - started
  writing = false
  await Promise.race([reader, new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`reader saw ${seen.length} of ${written.length}`)), 120_000))])

  t.same(violations, [], 'sequences are contiguous and in order')
  t.equal(seen.length, written.length, 'as many events as were written')
  t.equal(new Set(seen).size, seen.length, 'no event twice')
  t.same(new Set(seen), new Set(written), 'every written event')
  // Out-of-order commits did happen: the feed order differs from the insert (pos) order.
  const [row] = await queryRows<{ inversions: number }>(app.db, sql`
    select count(*)::int as inversions from audit_chain a join audit_chain b on b.sequence > a.sequence and b.event_pos < a.event_pos`)
  const inversions = row!.inversions
  t.comment(`${written.length} events by ${WRITERS} writers in ${writeMs} ms; ${inversions} pairs sealed out of insert order`)
  t.ok(inversions >= STRAGGLERS * PER_WRITER * 50, 'the stragglers\' events were sealed after dozens of later ones')
  t.same(await verifyChain(app.database), { ok: true, events: written.length }, 'the chain verifies')
})

t.test('two processes on one database: both seal, the feed stays gap-free and exactly-once', postgresOnly, async (t) => {
  const { app: one, databaseUrl } = await build(t, { poolSize: 12 })
  const database = openPostgres(databaseUrl!, 12)
  const two = await buildApp({ config: testConfig(), database, logger: false })
  t.teardown(async () => {
    await two.close()
    await database.close()
  })
  await two.ready()
  const sleep = async (tx: Tx) => { await tx.execute(sql`select pg_sleep(random() * 0.03)`) }
  const written = (await Promise.all(Array.from({ length: 100 }, (_, i) =>
    appendEvents(i % 2 === 0 ? one : two, 2, i % 4 < 2 ? { afterInsert: sleep } : { inside: sleep })
  ))).flat()
  await Promise.all([one.sealer.sealPending(), two.sealer.sealPending()])
  const page = await feedPage(two, 'limit=200')
  t.same(page.items.map((e) => e.sequence), written.map((_, i) => String(i + 1)), 'contiguous from 1')
  t.same(new Set(page.items.map((e) => e.id)), new Set(written), 'every event exactly once')
  t.equal(one.sealer.sealed + two.sealer.sealed, written.length, 'each event sealed by exactly one process')
  t.same(await verifyChain(one.database), { ok: true, events: written.length })
})

t.test('competing sealers on two connections pools take turns, batch by batch', postgresOnly, async (t) => {
  const { app, databaseUrl } = await build(t, { poolSize: 12, env: { WORKERS: 'off' } })
  const database = openPostgres(databaseUrl!, 4)
  t.teardown(() => database.close())
  // Small batches, and both sealers looping while the writers run, so the lock changes hands often.
  const sealers = [new Sealer({ db: app.db, batchSize: 5 }), new Sealer({ db: database.db, batchSize: 5 })]
  const state = { writing: true }
  const loops = sealers.map(async (sealer) => {
    while (state.writing) {
      await sealer.sealPending()
      await new Promise((resolve) => setImmediate(resolve))
    }
  })
  const sleep = async (tx: Tx) => { await tx.execute(sql`select pg_sleep(random() * 0.02)`) }
  const written = (await Promise.all(Array.from({ length: 60 }, (_, i) =>
    appendEvents(app, 2, i % 2 === 0 ? { afterInsert: sleep } : { inside: sleep })
  ))).flat()
  state.writing = false
  await Promise.all(loops)
  await Promise.all(sealers.map((sealer) => sealer.sealPending()))
  t.comment(`sealed: ${sealers[0]!.sealed} + ${sealers[1]!.sealed}`)
  t.equal(sealers[0]!.sealed + sealers[1]!.sealed, written.length, 'no event sealed twice')
  const page = await feedPage(app, 'limit=200')
  t.same(page.items.map((e) => e.sequence), written.map((_, i) => String(i + 1)))
  t.same(new Set(page.items.map((e) => e.id)), new Set(written))
  t.same(await verifyChain(app.database), { ok: true, events: written.length })
})

t.test('a sealer waits while another process holds the sealing lock', postgresOnly, async (t) => {
  const { app, databaseUrl } = await build(t, { env: { WORKERS: 'off' } })
  await appendEvents(app, 3)
  // 1. "another process" is in the middle of sealing
  const other = new pg.Client({ connectionString: databaseUrl })
  await other.connect()
  t.teardown(() => other.end())
  await other.query('begin')
  await other.query('select pg_advisory_xact_lock($1)', [SEALER_LOCK_KEY])
  let done = false
  const sealing = app.sealer.sealPending().then((n) => { done = true; return n })
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.notOk(done, 'nothing is sealed while the lock is held')
  t.equal(await count(app, 'audit_chain'), 0)
  // 2. it lets go: the waiting sealer seals everything
  await other.query('commit')
  t.equal(await sealing, 3)
  t.same((await feedPage(app, '')).items.map((e) => e.sequence), ['1', '2', '3'])
})
