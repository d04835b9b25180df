import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import t from 'tap'
import type { Caller } from '../../src/auth/caller.ts'
import { queryRows } from '../../src/db/client.ts'
import { conflicts } from '../../src/db/schema/index.ts'
import { AppError } from '../../src/errors.ts'
import { msg } from '../../src/messages.ts'
import { duplicateAs409, uniqueViolation } from '../../src/modules/review/common.ts'
import { build } from '../helpers/build.ts'
import { submitProject } from '../helpers/fixtures.ts'

const member: Caller = { sub: 'anne', name: null, org: '1081', roles: ['council_member'], kind: 'user' }

// The row lock answers duplicates before the unique indexes do; this checks the backstop itself:
// a unique violation from the database is a 409, never a 500, and it leaves no event behind.
t.test('a unique violation inside a unit of work becomes 409 DUPLICATE and rolls back its events', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  const declaration = () => ({ id: randomUUID(), projectId: project.id, memberSub: 'anne', memberOrg: '1081', ground: 'g', statement: 's' })
  await app.db.insert(conflicts).values(declaration())

  const error = await duplicateAs409(() => app.uow.run(member, async (tx, audit) => {
    audit.append({ type: 'itraad.review.conflict_declared', project: { ...project, title: 'Fælles booking', ownerOrg: '1084', participatingRegions: ['1084'] }, data: { reference: project.reference, description: 'x', memberName: 'Anne' } })
    await tx.insert(conflicts).values(declaration())
  }), msg('alreadyDeclaredHere')).catch((e: unknown) => e)

  t.ok(error instanceof AppError)
  t.match(error, { code: 'DUPLICATE', status: 409, message: 'you have already declared disqualification on this project' })
  t.match(uniqueViolation((error as AppError).cause), { constraint: 'conflicts_project_member_idx' })
  t.equal((await app.db.select().from(conflicts).where(eq(conflicts.projectId, project.id))).length, 1)
  const events = await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from audit_events where type = 'itraad.review.conflict_declared'`)
  t.equal(events[0]!.n, 0, 'the event rolled back with the change')
})

t.test('other errors pass through unchanged', async (t) => {
  const boom = new Error('boom')
  t.equal(await duplicateAs409(() => Promise.reject(boom), msg('alreadyDeclaredHere')).catch((e: unknown) => e), boom)
  t.equal(await duplicateAs409(async () => 42, msg('alreadyDeclaredHere')), 42)
  t.equal(uniqueViolation(null), undefined)
  t.same(uniqueViolation({ cause: { code: '23505' } }), { constraint: undefined })
})
