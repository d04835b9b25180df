import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import type { Caller } from '../../src/auth/caller.ts'
import { queryRows } from '../../src/db/client.ts'
import { UnitOfWork, withEvents } from '../../src/db/unit-of-work.ts'
import { createTestDatabase } from '../helpers/database.ts'

const caller: Caller = { sub: 'alice', name: 'Alice', org: '1084', roles: ['submitter'], kind: 'user' }

async function count (db: UnitOfWork['db'], table: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from ${table}`))
  return row!.n
}

/** A unit of work on a fresh database, counting how often it wakes the sealer. */
async function unitOfWork (t: Test) {
  const { database } = await createTestDatabase(t)
  const uow = new UnitOfWork(database.db)
  const commits = { notified: 0 }
  uow.onEventsCommitted(() => { commits.notified++ })
  return { database, uow, commits }
}

async function insertBaselineFor (tx: Parameters<Parameters<UnitOfWork['run']>[1]>[0], projectId: string) {
  // A foreign key to a project that does not exist: the constraint fails after the event was appended.
  await tx.execute(sql`insert into project_baselines (project_id, version, content, gating, created_by) values (${projectId}, 1, '{}', '{}', 'alice')`)
}

t.test('a transaction that fails after writing leaves neither change nor event', async (t) => {
  const { database, uow, commits } = await unitOfWork(t)

  await t.rejects(uow.run(caller, async (tx, audit) => {
    await tx.execute(sql`insert into idempotency_keys (org, key, request_hash) values ('1084', 'k1', 'h')`)
    audit.append({ type: 'itraad.project.submitted', subject: 'projects/x', projectId: null, data: { n: 1 } })
    await insertBaselineFor(tx, randomUUID())
  }))
  t.equal(await count(database.db, 'audit_events'), 0)
  t.equal(await count(database.db, 'audit_unsealed'), 0)
  t.equal(await count(database.db, 'idempotency_keys'), 0)
  t.equal(commits.notified, 0)

  // 2. a failure while flushing the events (a duplicate id) also rolls back the change
  await t.rejects(uow.run(caller, async (tx, audit) => {
    await tx.execute(sql`insert into idempotency_keys (org, key, request_hash) values ('1084', 'k2', 'h')`)
    audit.append({ type: 'itraad.project.submitted', subject: 'projects/x', projectId: null, data: {} })
    t.equal((await queryRows(tx, sql`select 1`)).length, 1)
    await tx.execute(sql`insert into audit_events (id, type, body) values ('00000000-0000-4000-8000-000000000000', 't', 'b')`)
    await tx.execute(sql`insert into audit_events (id, type, body) values ('00000000-0000-4000-8000-000000000000', 't', 'b')`)
  }))
  t.equal(await count(database.db, 'idempotency_keys'), 0)
  t.equal(await count(database.db, 'audit_events'), 0)
})

// A change of one statement (UnitOfWork.runStatement), as a submission is: an idempotency key, a
// value the statement computes (as a submission draws its reference) and the events.
const insertKeyWithEvents = withEvents<{ key: string }>('test_key_with_events', () => sql`
  stamp as (select 'K-' || upper(${sql.placeholder('key')}::text) as v),
  key as (insert into idempotency_keys (org, key, request_hash) values ('1084', ${sql.placeholder('key')}, 'h'))`,
sql`(select v from stamp)`)

t.test('a change of one statement writes its events with it, or neither', async (t) => {
  const { database, uow, commits } = await unitOfWork(t)

  // 1. the events fail (a project id that is no uuid): the change is not written either
  await t.rejects(uow.runStatement(caller, async (db, audit) => {
    audit.append({ type: 'itraad.project.alert', subject: 'projects/x', projectId: 'not-a-uuid', data: {} })
    await insertKeyWithEvents(db, { key: 'k1' }, audit)
  }))
  // 2. the change fails (the key exists): no event
  await database.db.execute(sql`insert into idempotency_keys (org, key, request_hash) values ('1084', 'taken', 'h')`)
  await t.rejects(uow.runStatement(caller, async (db, audit) => {
    audit.append({ type: 'itraad.project.alert', subject: 'projects/x', projectId: null, data: {} })
    await insertKeyWithEvents(db, { key: 'taken' }, audit)
  }))
  // 3. events appended but never written are a programming error, not a silent loss
  await t.rejects(uow.runStatement(caller, async (_db, audit) => {
    audit.append({ type: 'itraad.project.alert', subject: 'projects/x', projectId: null, data: {} })
  }), /left audit events unwritten/)
  // 4. so is a stand-in for a computed value that no statement computes (events written on their own)
  await t.rejects(uow.run(caller, async (_tx, audit) => {
    audit.append({ type: 'itraad.project.alert', subject: 'projects/x', projectId: null, data: { note: audit.computedValue } })
  }), /must be written by a withEvents statement/)
  t.equal(await count(database.db, 'audit_events'), 0)
  t.equal(await count(database.db, 'audit_unsealed'), 0)
  t.equal(await count(database.db, 'idempotency_keys'), 1)
  t.equal(commits.notified, 0)

  const projectId = randomUUID()
  const computed = await uow.runStatement(caller, async (db, audit) => {
    audit.append({ type: 'itraad.project.alert', subject: `projects/${projectId}`, projectId, data: { n: 1, note: `computed: ${audit.computedValue}` } })
    // Text that looks like the stand-in (a client's) is stored as it is.
    audit.append({ type: 'itraad.project.alert', subject: `projects/${projectId}`, projectId, data: { n: 2, note: '\uE000K\uE000' } })
    return insertKeyWithEvents(db, { key: 'k2' }, audit)
  })
  t.equal(computed, 'K-K2', 'the statement returns the value it computed')
  t.equal(commits.notified, 1)
  t.equal(await count(database.db, 'idempotency_keys'), 2)
  const events = await queryRows<{ body: string }>(database.db, sql`select e.body from audit_events e join audit_unsealed using (pos) order by e.pos`)
  t.same(events.map((e) => JSON.parse(e.body).data), [{ n: 1, note: 'computed: K-K2' }, { n: 2, note: '\uE000K\uE000' }],
    'both events, queued for sealing, in order, the computed value written in place of its stand-in')
})

t.test('a committed change stores its events as canonical JSON, queued for sealing', async (t) => {
  const { database, uow, commits } = await unitOfWork(t)
  const projectId = randomUUID()

  await uow.run(caller, async (tx, audit) => {
    await tx.execute(sql`insert into idempotency_keys (org, key, request_hash) values ('1084', 'k1', 'h')`)
    audit.append({ type: 'itraad.project.submitted', subject: `projects/${projectId}`, projectId, data: { zeta: 1, alpha: 'å' } })
    audit.append({ type: 'itraad.project.revised', subject: `projects/${projectId}`, projectId, data: {} })
  })
  t.equal(commits.notified, 1)
  const rows = await queryRows(database.db, sql`select e.pos, e.type, e.body, e.project_id from audit_events e join audit_unsealed u using (pos) order by e.pos`)
  t.equal(rows.length, 2)
  const [first, second] = rows as Array<{ pos: number, type: string, body: string, project_id: string }>
  t.equal(first!.type, 'itraad.project.submitted')
  t.equal(second!.type, 'itraad.project.revised')
  t.ok(Number(first!.pos) < Number(second!.pos), 'events keep their order')
  t.equal(first!.project_id, projectId)
  const event = JSON.parse(first!.body)
  t.match(event, { specversion: '1.0', type: 'itraad.project.submitted', subject: `projects/${projectId}`, authtype: 'user', authid: 'alice', actororg: '1084', datacontenttype: 'application/json' })
  // RFC 8785: keys sorted, no whitespace
  t.equal(first!.body, JSON.stringify(Object.fromEntries(Object.entries(event).sort(([a], [b]) => a < b ? -1 : 1))).replace('{"zeta":1,"alpha":"å"}', '{"alpha":"å","zeta":1}'))
  t.match(first!.body, /"data":\{"alpha":"å","zeta":1\}/)

  // a transaction without events does not wake the sealer
  await uow.run(caller, async (tx) => { await tx.execute(sql`select 1`) })
  t.equal(commits.notified, 1)
})

t.test('audit rows cannot be updated, deleted or truncated', async (t) => {
  const { database } = await createTestDatabase(t)
  const uow = new UnitOfWork(database.db)
  await uow.run(caller, async (_tx, audit) => {
    audit.append({ type: 'itraad.project.submitted', subject: 'projects/x', projectId: null, data: {} })
  })
  const refused = { cause: { message: /append-only/ } }
  await t.rejects(database.db.execute(sql`update audit_events set body = '{}'`), refused)
  await t.rejects(database.db.execute(sql`delete from audit_events`), refused)
  await t.rejects(database.db.execute(sql`truncate audit_events cascade`), refused)
  t.equal(await count(database.db, 'audit_events'), 1)
})
