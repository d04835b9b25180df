// The council members' directory (API.md v1.1, "People"): who registers and sees whom, changes
// with If-Match, and assignment by memberSub checked against the directory, with names.
import { sql } from 'drizzle-orm'
import t from 'tap'
import { queryRows } from '../../src/db/client.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { postgresOnly } from '../helpers/database.ts'
import { authAs, concurrently, failOnServerErrors, gatedProject, registerStateAuthority, submitProject } from '../helpers/fixtures.ts'
import { expectStatus, secretariat } from '../review/helpers.ts'

const ANNE = { sub: 'anne', name: 'Anne Andersen', email: 'anne@rn.dk', org: '1081', council: 'regions' }
const BENT = { sub: 'bent', name: 'Bent Berg', org: '1083', council: 'regions' }
const SOFIE = { sub: 'sofie', name: 'Sofie Skov', org: '29190909', council: 'state' }

const admin = () => authAs('admin', 'ITR')
const sir = () => authAs('secretariat', 'SIR')
type App = Parameters<typeof submitProject>[0]

async function register (app: App, member: Record<string, unknown>, headers?: Record<string, string>) {
  return app.inject({ method: 'POST', url: '/v1/members', headers: headers ?? await admin(), payload: member })
}

async function eventsOf (app: App, subject: string) {
  return queryRows<{ type: string, data: Record<string, unknown> }>(app.db, sql`select type, (body::jsonb)->'data' as data from audit_events where (body::jsonb)->>'subject' = ${subject} order by pos`)
}

t.test('the directory: registered by an admin or the council\'s own secretariat, seen by council', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  await registerStateAuthority(app)

  const created = await register(app, ANNE, await secretariat())
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, '/v1/members/anne')
  t.equal(created.headers.etag, '"1"')
  t.same(created.json(), { ...ANNE, active: true })
  expectStatus(await register(app, BENT), 201)
  expectStatus(await register(app, SOFIE, await sir()), 201)

  const refused: Array<[string, Record<string, unknown>, Record<string, string>, number]> = [
    ['the other council\'s secretariat', { ...BENT, sub: 'x1' }, await sir(), 403],
    ['a sub taken', { ...BENT, name: 'Igen' }, await admin(), 409],
    ['an unknown organisation', { ...BENT, sub: 'x2', org: '9999' }, await admin(), 422],
    ['an unknown council', { ...BENT, sub: 'x3', council: 'kommuner' }, await admin(), 400],
    ['no name', { sub: 'x4', org: '1081', council: 'regions' }, await admin(), 400],
    ['a bad e-mail', { ...BENT, sub: 'x5', email: 'ikke en adresse' }, await admin(), 400]
  ]
  for (const [name, body, headers, status] of refused) {
    const res = await register(app, body, headers)
    t.equal(res.statusCode, status, `${name}: ${res.json().detail}`)
  }
  t.equal((await register(app, { ...BENT, sub: 'x6' }, await authAs('council_member', '1081'))).statusCode, 403, 'a member may not')

  const subs = async (headers: Record<string, string>, query = '') => (await app.inject({ method: 'GET', url: `/v1/members${query}`, headers })).json().items.map((m: { sub: string }) => m.sub)
  t.same(await subs(await admin()), ['anne', 'bent', 'sofie'], 'an admin: all, by name')
  t.same(await subs(await admin(), '?council=state'), ['sofie'])
  t.same(await subs(await secretariat()), ['anne', 'bent'], 'ITR: its own council\'s')
  t.same(await subs(await sir()), ['sofie'], 'SIR: its own council\'s')
  t.same(await subs(bearer(await token('council_member', '1081', { sub: 'anne' }))), ['anne', 'bent'], 'a member: its council\'s')
  t.same(await subs(bearer(await token('council_member', '1081', { sub: 'nobody' }))), [], 'a member not in the directory: none')
  t.equal((await app.inject({ method: 'GET', url: '/v1/members', headers: await authAs('submitter', '1084') })).statusCode, 403)
  t.equal((await app.inject({ method: 'GET', url: '/v1/members/sofie', headers: await secretariat() })).statusCode, 404, 'another council\'s member')

  const [event] = await eventsOf(app, 'members/anne')
  t.match(event, { type: 'itraad.member.registered', data: { sub: 'anne', description: 'Rådsmedlem Anne Andersen (Region Nordjylland) registreret i Regionernes It-råd.' } })
})

t.test('a member is changed with If-Match by its council\'s secretariat or an admin', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  expectStatus(await register(app, ANNE), 201)
  const url = '/v1/members/anne'
  const itr = await secretariat()
  t.equal((await app.inject({ method: 'PATCH', url, headers: itr, payload: { active: false } })).statusCode, 428)
  t.equal((await app.inject({ method: 'PATCH', url, headers: { ...itr, 'if-match': '"2"' }, payload: { active: false } })).statusCode, 412)
  t.equal((await app.inject({ method: 'PATCH', url, headers: { ...await sir(), 'if-match': '"1"' }, payload: { active: false } })).statusCode, 404, 'the other council\'s secretariat')
  const changed = await app.inject({ method: 'PATCH', url, headers: { ...itr, 'if-match': '"1"' }, payload: { email: null, active: false } })
  t.equal(changed.statusCode, 200)
  t.equal(changed.headers.etag, '"2"')
  t.match(changed.json(), { email: null, active: false })
  const [, event] = await eventsOf(app, 'members/anne')
  t.match(event, { type: 'itraad.member.changed', data: { changedFields: ['email', 'active'], description: 'Rådsmedlem Anne Andersen (Region Nordjylland) e-mailadresse ændret og gjort inaktiv.' } })
})

t.test('assignment by memberSub: the directory decides, the names follow', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  await registerStateAuthority(app)
  for (const member of [ANNE, BENT]) expectStatus(await register(app, member), 201)
  expectStatus(await register(app, SOFIE), 201)
  expectStatus(await register(app, { sub: 'dorte', name: 'Dorte Dahl', org: '1084', council: 'regions' }), 201)
  expectStatus(await register(app, { sub: 'erik', name: 'Erik Eng', org: '1085', council: 'regions' }), 201)
  await app.inject({ method: 'PATCH', url: '/v1/members/erik', headers: { ...await admin(), 'if-match': '"1"' }, payload: { active: false } })
  const project = await submitProject(app)
  const url = `/v1/projects/${project.id}/assignments`
  const post = async (payload: Record<string, unknown>) => app.inject({ method: 'POST', url, headers: { ...await secretariat(), 'accept-language': 'da' }, payload })

  const refused: Array<[string, Record<string, unknown>, number, RegExp]> = [
    ['not in the directory', { memberSub: 'nobody' }, 422, /findes ikke i medlemsoversigten/],
    ['inactive', { memberSub: 'erik' }, 422, /Erik Eng er ikke aktivt/],
    ['of the other council', { memberSub: 'sofie' }, 422, /Sofie Skov hører til Statens It-råd/],
    ['another organisation than the directory\'s', { memberSub: 'anne', memberOrg: '1082' }, 422, /Anne Andersen hører til Region Nordjylland/],
    ['of the owner', { memberSub: 'dorte' }, 409, /Dorte Dahl hører til Region Hovedstaden/]
  ]
  for (const [name, payload, status, detail] of refused) {
    const res = await post(payload)
    t.equal(res.statusCode, status, name)
    t.match(res.json().detail, detail, name)
  }
  t.equal((await app.inject({ method: 'GET', url, headers: await secretariat() })).json().items.length, 0, 'nothing was written')

  const assigned = await post({ memberSub: 'anne' })
  t.equal(assigned.statusCode, 201)
  t.match(assigned.json(), { memberSub: 'anne', memberOrg: '1081', memberName: 'Anne Andersen', memberOrgName: 'Region Nordjylland' })
  expectStatus(await post({ memberSub: 'bent', memberOrg: '1083' }), 201)
  const events = await eventsOf(app, `projects/${project.id}`)
  t.same(events.filter((e) => e.type === 'itraad.review.member_assigned').map((e) => e.data.description), [
    `Rådsmedlem Anne Andersen (Region Nordjylland) tilknyttet projekt ${project.reference}.`,
    `Rådsmedlem Bent Berg (Region Syddanmark) tilknyttet projekt ${project.reference}.`
  ])

  // The state council's secretariat assigns its own members to its own projects.
  const state = await submitProject(app, '29190909', gatedProject({ participatingRegions: [], budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 20_000_000 }] }))
  const sofie = await app.inject({ method: 'POST', url: `/v1/projects/${state.id}/assignments`, headers: await sir(), payload: { memberSub: 'sofie' } })
  t.equal(sofie.statusCode, 409, 'not a member of the owning organisation either')
  expectStatus(await register(app, { sub: 'signe', name: 'Signe Sand', org: '1082', council: 'state' }, await sir()), 201)
  t.match((await app.inject({ method: 'POST', url: `/v1/projects/${state.id}/assignments`, headers: await sir(), payload: { memberSub: 'signe' } })).json(), { memberName: 'Signe Sand', memberOrgName: 'Region Midtjylland' })
})

t.test('two secretariats assigning the last free place at once: one 201, one 409', postgresOnly, async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  for (const [sub, org] of [['anne', '1081'], ['bent', '1083'], ['carl', '1085']] as const) {
    expectStatus(await register(app, { sub, name: sub, org, council: 'regions' }), 201)
  }
  for (let round = 0; round < 5; round++) {
    const project = await submitProject(app)
    const url = `/v1/projects/${project.id}/assignments`
    expectStatus(await app.inject({ method: 'POST', url, headers: await secretariat(), payload: { memberSub: 'anne' } }), 201)
    const a = bearer(await token('secretariat', 'ITR', { sub: 'sekretariat-a' }))
    const b = bearer(await token('secretariat', 'ITR', { sub: 'sekretariat-b' }))
    const answers = await concurrently(2, (i) => app.inject({ method: 'POST', url, headers: i === 0 ? a : b, payload: { memberSub: i === 0 ? 'bent' : 'carl' } }))
    t.same(answers.map((r) => r.statusCode).sort(), [201, 409], `round ${round}`)
    t.equal((await app.inject({ method: 'GET', url, headers: a })).json().items.length, 2)
  }
})
