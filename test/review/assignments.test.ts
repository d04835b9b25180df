import { randomUUID } from 'node:crypto'
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { submitProject, ungatedProject } from '../helpers/fixtures.ts'
import { ANNE, BENT, CARL, OWNER_ORG, assign, decide, declare, expectStatus, history, memberHeaders, register, secretariat, submitter } from './helpers.ts'

t.test('assignments: two members at most, no member twice, no conflict of interest', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)

  expectStatus(await assign(app, project.id, ANNE), 201)

  // The same member twice.
  const twice = await assign(app, project.id, ANNE)
  t.equal(twice.statusCode, 409)
  t.match(twice.json(), { code: 'DUPLICATE', detail: /ANNE is already assigned/ })

  // A member of the organisation that owns the project.
  const own = await assign(app, project.id, { sub: 'dorte', org: OWNER_ORG })
  t.equal(own.statusCode, 409)
  t.match(own.headers['content-type'], /^application\/problem\+json/)
  t.match(own.json(), { code: 'CONFLICT_OF_INTEREST', type: '/problems/conflict-of-interest', detail: /belongs to Region Hovedstaden, the organisation that owns/ })

  expectStatus(await assign(app, project.id, BENT), 201)

  // A third member.
  const third = await assign(app, project.id, CARL)
  t.equal(third.statusCode, 409)
  t.match(third.json(), { code: 'STATE_CONFLICT', detail: /already has 2 active council members \(ANNE, BENT\)/ })

  // Refused assignments leave no trace.
  const events = await history(app, project.id, await submitter())
  t.equal(events.filter((e) => e.type === 'itraad.review.member_assigned').length, 2)
  const list = expectStatus(await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/assignments`, headers: await secretariat() }), 200).json()
  t.equal(list.items.length, 2)
})

t.test('a member whose declaration awaits its decision, or who is disqualified, cannot be assigned', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  await register(app, CARL)
  const declared = expectStatus(await declare(app, project.id, CARL), 201).json()
  const pending = await assign(app, project.id, CARL)
  t.equal(pending.statusCode, 409)
  t.match(pending.json(), { code: 'CONFLICT_OF_INTEREST', detail: /has declared disqualification .* the secretariat decides the declaration/ })
  expectStatus(await decide(app, project.id, declared.id, true), 200)
  const disqualified = await assign(app, project.id, CARL)
  t.equal(disqualified.statusCode, 409)
  t.match(disqualified.json(), { code: 'CONFLICT_OF_INTEREST', detail: /CARL is disqualified/ })
})

t.test('assignment needs a project that awaits or is under assessment', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app, OWNER_ORG, ungatedProject())
  t.equal(project.status, 'not_required')
  const res = await assign(app, project.id, ANNE)
  t.equal(res.statusCode, 409)
  t.match(res.json(), { code: 'STATE_CONFLICT', detail: 'a project in state "not_required" cannot have a council member assigned' })
})

t.test('who may assign and see assignments', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  const url = `/v1/projects/${project.id}/assignments`
  const payload = { memberSub: 'anne', memberOrg: '1081' }

  // Only the secretariat assigns (403 for every other role).
  for (const role of ['submitter', 'council_member', 'integration', 'admin'] as const) {
    const res = await app.inject({ method: 'POST', url, headers: bearer(await token(role, OWNER_ORG)), payload })
    t.equal(res.statusCode, 403, role)
  }
  // An unknown project is 404; a bad body 400 (strict: unknown properties, bad org codes).
  t.equal((await app.inject({ method: 'POST', url: `/v1/projects/${randomUUID()}/assignments`, headers: await secretariat(), payload })).statusCode, 404)
  for (const bad of [{ ...payload, extra: 1 }, { memberOrg: '1081' }, { memberSub: 'anne', memberOrg: 'not a code!' }, { memberSub: '', memberOrg: '1081' }]) {
    const res = await app.inject({ method: 'POST', url, headers: await secretariat(), payload: bad })
    t.equal(res.statusCode, 400, JSON.stringify(bad))
    t.equal(res.json().code, 'VALIDATION_FAILED')
  }
  expectStatus(await assign(app, project.id, ANNE), 201)

  // Listing follows visibility: a participating region sees them, a foreign org gets 404.
  const participating = await app.inject({ method: 'GET', url, headers: await submitter('1081') })
  t.equal(participating.statusCode, 200)
  t.equal(participating.json().items.length, 1)
  await register(app, { sub: 'council_member-1083', org: '1083' })
  const member = await app.inject({ method: 'GET', url, headers: bearer(await token('council_member', '1083')) })
  t.equal(member.statusCode, 200, 'a member of the project\'s council')
  const stateMember = { sub: 'stat-medlem', org: '1083' }
  await register(app, stateMember, 'state')
  t.equal((await app.inject({ method: 'GET', url, headers: await memberHeaders(stateMember) })).statusCode, 404, 'a member of the other council')
  t.equal((await app.inject({ method: 'GET', url, headers: bearer(await token('council_member', '1085', { sub: 'ukendt' })) })).statusCode, 404, 'a member outside the directory')
  const foreign = await submitProject(app, '1082', { ...ungatedProject(), participatingRegions: ['1082'] })
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${foreign.id}/assignments`, headers: await submitter() })).statusCode, 404)
  t.equal((await assign(app, foreign.id, ANNE)).statusCode, 409, 'the secretariat sees every project')
})

t.test('assignments page with limit and cursor', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  expectStatus(await assign(app, project.id, ANNE), 201)
  const declared = expectStatus(await declare(app, project.id, ANNE), 201).json()
  expectStatus(await decide(app, project.id, declared.id, true), 200)
  expectStatus(await assign(app, project.id, BENT), 201)
  expectStatus(await assign(app, project.id, CARL), 201)
  const url = `/v1/projects/${project.id}/assignments`
  const headers = await secretariat()

  const first = expectStatus(await app.inject({ method: 'GET', url: `${url}?limit=2`, headers }), 200).json()
  t.same(first.items.map((a: { memberSub: string }) => a.memberSub), ['anne', 'bent'])
  t.match(first.items[0], { active: false, endedReason: 'disqualified' })
  t.type(first.nextCursor, 'string')
  const second = expectStatus(await app.inject({ method: 'GET', url: `${url}?limit=2&cursor=${first.nextCursor}`, headers }), 200).json()
  t.same(second.items.map((a: { memberSub: string }) => a.memberSub), ['carl'])
  t.equal(second.nextCursor, null)

  const forged = await app.inject({ method: 'GET', url: `${url}?cursor=bm90LWEtY3Vyc29y`, headers })
  t.equal(forged.statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: `${url}?limit=0`, headers })).statusCode, 400)
})
