import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import type { Caller } from '../../src/auth/caller.ts'
import { queryRows } from '../../src/db/client.ts'
import { UnitOfWork } from '../../src/db/unit-of-work.ts'
import { createTestDatabase } from '../helpers/database.ts'

// Each test builds its own app on a fresh database: minutes on a busy machine.
t.setTimeout(600_000)

const caller: Caller = { sub: 'alice', name: 'Alice', org: '1084', roles: ['submitter'], kind: 'user' }
/** The project the events below are about; no row of it is needed. */
const project = { id: randomUUID(), reference: 'ITR-2026-0001', title: 'Fælles booking', ownerOrg: '1084', participatingRegions: ['1084', '1081'] }

async function count (db: UnitOfWork['db'], table: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from ${table}`))
  return row!.n
}

/** A unit of work on a fresh database, counting how often it wakes the sealer. */
async function unitOfWork (t: Test) {
  const { database } = await createTestDatabase(t)
  const uow = new UnitOfWork(database)
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
    audit.append({ type: 'itraad.project.submitted', project, data: { n: 1 } })
    await insertBaselineFor(tx, randomUUID())
  }))
  t.equal(await count(database.db, 'audit_events'), 0)
  t.equal(await count(database.db, 'audit_unsealed'), 0)
  t.equal(await count(database.db, 'idempotency_keys'), 0)
  t.equal(commits.notified, 0)

  // 2. a failure while flushing the events (a duplicate id) also rolls back the change
  await t.rejects(uow.run(caller, async (tx, audit) => {
    await tx.execute(sql`insert into idempotency_keys (org, key, request_hash) values ('1084', 'k2', 'h')`)
    audit.append({ type: 'itraad.project.submitted', project, data: {} })
    t.equal((await queryRows(tx, sql`select 1`)).length, 1)
    await tx.execute(sql`insert into audit_events (id, type, body) values ('00000000-0000-4000-8000-000000000000', 't', 'b')`)
    await tx.execute(sql`insert into audit_events (id, type, body) values ('00000000-0000-4000-8000-000000000000', 't', 'b')`)
  }))
  t.equal(await count(database.db, 'idempotency_keys'), 0)
  t.equal(await count(database.db, 'audit_events'), 0)
})

t.test('a committed change stores its events as canonical JSON, queued for sealing', async (t) => {
  const { database, uow, commits } = await unitOfWork(t)
  const projectId = project.id

  await uow.run(caller, async (tx, audit) => {
    await tx.execute(sql`insert into idempotency_keys (org, key, request_hash) values ('1084', 'k1', 'h')`)
    audit.append({ type: 'itraad.project.submitted', project, time: '2026-12-03T23:30:00.000Z', data: { zeta: 1, alpha: 'å' } })
    audit.append({ type: 'itraad.project.revised', project, data: { version: 2 } })
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
  // The journal is part of the data, canonical like the rest; 23:30 UTC is already 4 December in Copenhagen.
  t.match(first!.body, '"data":{"alpha":"å","journal":{"caseReference":"ITR-2026-0001","caseTitle":"Fælles booking",' +
    '"direction":"incoming","documentDate":"2026-12-04","documentTitle":"Projektindsendelse","parties":["1081","1084"]},"zeta":1}')
  t.match(JSON.parse(second!.body).data.journal, { documentTitle: 'Revision af projektet, version 2', direction: 'incoming' })

  // a transaction without events does not wake the sealer
  await uow.run(caller, async (tx) => { await tx.execute(sql`select 1`) })
  t.equal(commits.notified, 1)
})

t.test('audit rows cannot be updated, deleted or truncated', async (t) => {
  const { database } = await createTestDatabase(t)
  const uow = new UnitOfWork(database)
  await uow.run(caller, async (_tx, audit) => {
    audit.append({ type: 'itraad.project.submitted', project, data: {} })
  })
  const refused = { cause: { message: /append-only/ } }
  await t.rejects(database.db.execute(sql`update audit_events set body = '{}'`), refused)
  await t.rejects(database.db.execute(sql`delete from audit_events`), refused)
  await t.rejects(database.db.execute(sql`truncate audit_events cascade`), refused)
  t.equal(await count(database.db, 'audit_events'), 1)
})
