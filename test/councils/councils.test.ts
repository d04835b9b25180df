// Councils, dated policies and organisations (API.md v1.1, "Councils, organisations and people"):
// the seed, adding a policy version and an organisation, a state authority submitting to Statens
// It-råd, the regions rule, unknown organisations refused, and each secretariat seeing its own
// council's projects only.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { queryRows } from '../../src/db/client.ts'
import { addWorkingDays, copenhagenDate } from '../../src/domain/calendar.ts'
import { SEEDED_POLICIES } from '../../src/domain/gate.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { authAs, failOnServerErrors, gatedProject, registerStateAuthority, submitProject } from '../helpers/fixtures.ts'

const STATE = '29190909' // a state authority registered by the tests (any 8 digits)
const admin = () => authAs('admin', 'ITR')
const today = () => copenhagenDate(new Date())

function policyBody (overrides: Record<string, unknown> = {}) {
  return {
    id: 'state-2099',
    effectiveFrom: '2099-01-01',
    rule: { minEligibleCostDkk: 20_000_000, requireAllRegions: false },
    reviewWorkingDays: { project: 12, programme: 20 },
    followUp: { costPct: { yellow: 5, red: 10 }, financialBenefitsPct: { yellow: 5, red: 10 }, scheduleDays: { yellow: 30, red: 60 } },
    ...overrides
  }
}

async function eventsOf (app: Parameters<typeof submitProject>[0], subject: string) {
  return queryRows<{ type: string, data: Record<string, unknown> }>(app.db, sql`select type, (body::jsonb)->'data' as data from audit_events where (body::jsonb)->>'subject' = ${subject} order by pos`)
}

t.test('the councils and their seeded policy versions, oldest first', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const member = await authAs('council_member', '1081')
  const councils = await app.inject({ method: 'GET', url: '/v1/councils', headers: member })
  t.equal(councils.statusCode, 200)
  t.same(councils.json().items, [
    { code: 'regions', name: 'Regionernes It-råd', secretariatOrg: 'ITR' },
    { code: 'state', name: 'Statens It-råd', secretariatOrg: 'SIR' }
  ])
  for (const council of ['regions', 'state']) {
    const res = await app.inject({ method: 'GET', url: `/v1/councils/${council}/policies`, headers: member })
    t.equal(res.statusCode, 200)
    t.same(res.json().items, SEEDED_POLICIES.filter((p) => p.council === council), `${council}: the seed is the domain's SEEDED_POLICIES`)
  }
  const unknown = await app.inject({ method: 'GET', url: '/v1/councils/kommuner/policies', headers: member })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().detail, 'council not found')
})

t.test('an admin adds a future policy version; bad versions are refused and change nothing', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const headers = await admin()
  const post = (council: string, body: Record<string, unknown>, h: Record<string, string> = headers) =>
    app.inject({ method: 'POST', url: `/v1/councils/${council}/policies`, headers: h, payload: body })

  const refused: Array<[string, string, Record<string, unknown>, number, string?]> = [
    ['today is retroactive', 'state', policyBody({ effectiveFrom: today() }), 422, 'RULE_VIOLATION'],
    ['the past', 'state', policyBody({ effectiveFrom: '2020-01-01' }), 422, 'RULE_VIOLATION'],
    ['an id taken', 'state', policyBody({ id: 'state-2021' }), 409, 'DUPLICATE'],
    ['another council\'s id', 'regions', policyBody({ id: 'state-2011', effectiveFrom: '2099-06-01' }), 409, 'DUPLICATE'],
    ['unknown council', 'kommuner', policyBody(), 404, 'NOT_FOUND'],
    ['yellow above red', 'state', policyBody({ followUp: { ...policyBody().followUp, costPct: { yellow: 20, red: 10 } } }), 400, 'VALIDATION_FAILED'],
    ['no working days', 'state', policyBody({ reviewWorkingDays: { project: 0, programme: 10 } }), 400, 'VALIDATION_FAILED'],
    ['an id with capitals', 'state', policyBody({ id: 'State 2099' }), 400, 'VALIDATION_FAILED'],
    ['a council in the body', 'state', policyBody({ council: 'regions' }), 400, 'VALIDATION_FAILED']
  ]
  for (const [name, council, body, status, code] of refused) {
    const res = await post(council, body)
    t.equal(res.statusCode, status, name)
    t.equal(res.json().code, code, `${name}: ${res.json().detail}`)
  }
  t.equal((await post('state', policyBody(), await authAs('secretariat', 'SIR'))).statusCode, 403, 'the secretariat may not')

  const added = await post('state', policyBody())
  t.equal(added.statusCode, 201)
  t.equal(added.headers.location, '/v1/councils/state/policies')
  t.same(added.json(), { ...policyBody(), council: 'state', version: 3 })
  const sameDate = await post('state', policyBody({ id: 'state-2099b' }))
  t.equal(sameDate.statusCode, 409, 'one version per date')
  t.match(sameDate.json().detail, /2099-01-01/)

  const list = (await app.inject({ method: 'GET', url: '/v1/councils/state/policies', headers })).json().items
  t.same(list.map((p: { id: string }) => p.id), ['state-2011', 'state-2021', 'state-2099'], 'only the valid one was written')
  const [event] = await eventsOf(app, 'councils/state/policies/state-2099')
  t.equal(event?.type, 'itraad.policy.added')
  t.match(event?.data, { id: 'state-2099', version: 3, description: /^Statens It-råd: regelsæt state-2099 \(version 3\) gælder fra 2099-01-01/ })

  // A future version does not gate today's submissions: state-2021 still does.
  await registerStateAuthority(app, STATE)
  const project = await submitProject(app, STATE, gatedProject({ participatingRegions: [] }))
  t.equal((project.gating as { policy: string }).policy, 'state-2021')

  // Versions are never changed, not even in the database.
  await t.rejects(app.db.execute(sql`update policies set effective_from = '2098-01-01' where id = 'state-2099'`), 'an update is refused')
  await t.rejects(app.db.execute(sql`delete from policies where id = 'state-2011'`), 'a delete is refused')
})

t.test('organisations: the seed, a state authority registered by its CVR number, changed with If-Match', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const headers = await admin()
  const seeded = (await app.inject({ method: 'GET', url: '/v1/organisations', headers: await authAs('submitter', '1084') })).json().items
  t.same(seeded.map((o: { code: string }) => o.code).sort(), ['1081', '1082', '1083', '1084', '1085', 'ITR', 'SIR'])
  t.match(seeded.find((o: { code: string }) => o.code === '1085'), { name: 'Region Sjælland', kind: 'region', council: 'regions', active: true })
  t.match(seeded.find((o: { code: string }) => o.code === 'SIR'), { name: 'Statens It-råds sekretariat', kind: 'secretariat', council: 'state' })

  const post = (body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/organisations', headers, payload: body })
  const refused: Array<[string, Record<string, unknown>, number]> = [
    ['a CVR number of 7 digits', { code: '2919090', name: 'X', kind: 'state_authority', council: 'state' }, 422],
    ['a CVR number with letters', { code: '2919090A', name: 'X', kind: 'state_authority', council: 'state' }, 422],
    ['a state authority of the regions', { code: STATE, name: 'X', kind: 'state_authority', council: 'regions' }, 422],
    ['a new region', { code: '1086', name: 'Region X', kind: 'region', council: 'regions' }, 422],
    ['a new secretariat', { code: 'KIR', name: 'X', kind: 'secretariat', council: 'state' }, 422],
    ['a region\'s code taken', { code: '1084', name: 'X', kind: 'other', council: 'regions' }, 409],
    ['an unknown kind', { code: STATE, name: 'X', kind: 'municipality', council: 'state' }, 400],
    ['an unknown council', { code: STATE, name: 'X', kind: 'state_authority', council: 'kommuner' }, 400],
    ['a blank name', { code: STATE, name: '  ', kind: 'state_authority', council: 'state' }, 400]
  ]
  for (const [name, body, status] of refused) {
    const res = await post(body)
    t.equal(res.statusCode, status, `${name}: ${res.json().detail}`)
  }
  t.equal((await app.inject({ method: 'GET', url: `/v1/organisations/${STATE}`, headers })).statusCode, 404, 'nothing was written')
  t.equal((await app.inject({ method: 'POST', url: '/v1/organisations', headers: await authAs('secretariat', 'SIR'), payload: { code: STATE, name: 'X', kind: 'state_authority', council: 'state' } })).statusCode, 403)

  const created = await app.inject({ method: 'POST', url: '/v1/organisations', headers, payload: { code: STATE, name: 'Styrelsen for Dataforsyning', kind: 'state_authority', council: 'state' } })
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, `/v1/organisations/${STATE}`)
  t.equal(created.headers.etag, '"1"')
  t.same(created.json(), { code: STATE, name: 'Styrelsen for Dataforsyning', kind: 'state_authority', council: 'state', active: true })
  t.equal((await post({ code: STATE, name: 'Igen', kind: 'state_authority', council: 'state' })).statusCode, 409, 'once')

  const url = `/v1/organisations/${STATE}`
  t.equal((await app.inject({ method: 'PATCH', url, headers, payload: { active: false } })).statusCode, 428)
  t.equal((await app.inject({ method: 'PATCH', url, headers: { ...headers, 'if-match': '"2"' }, payload: { active: false } })).statusCode, 412)
  t.equal((await app.inject({ method: 'PATCH', url, headers: { ...headers, 'if-match': '"1"' }, payload: {} })).statusCode, 400)
  const changed = await app.inject({ method: 'PATCH', url, headers: { ...headers, 'if-match': '"1"' }, payload: { name: 'Klimadatastyrelsen', active: false } })
  t.equal(changed.statusCode, 200)
  t.equal(changed.headers.etag, '"2"')
  t.match(changed.json(), { name: 'Klimadatastyrelsen', active: false })
  const read = await app.inject({ method: 'GET', url, headers: await authAs('council_member', '1081') })
  t.equal(read.headers.etag, '"2"')
  t.equal(read.json().name, 'Klimadatastyrelsen')

  const events = await eventsOf(app, `organisations/${STATE}`)
  t.same(events.map((e) => e.type), ['itraad.organisation.registered', 'itraad.organisation.changed'])
  t.match(events[1]?.data, { changedFields: ['name', 'active'], description: `Organisationen Klimadatastyrelsen (${STATE}) navn ændret fra Styrelsen for Dataforsyning til Klimadatastyrelsen og gjort inaktiv.` })
})

t.test('a state authority submits to Statens It-råd: SIR references, the state policy, programmes get 15 working days', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  await registerStateAuthority(app, STATE)
  const regional = await submitProject(app)
  // Dates and years as the service took them at each submission (a run may pass midnight).
  const submittedOn = (p: { [key: string]: unknown }) => copenhagenDate(new Date(p.createdAt as string))
  const year = submittedOn(regional).slice(0, 4)
  t.equal(regional.reference, `ITR-${year}-0001`)
  t.equal(regional.council, 'regions')

  // state-2021: 15,000,000 DKK; no regions needed.
  const below = await submitProject(app, STATE, gatedProject({ participatingRegions: [], budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 14_999_999 }] }))
  t.equal(below.reference, `SIR-${year}-0001`, 'the state council numbers its own series')
  t.match(below, { council: 'state', kind: 'project', status: 'not_required', assessmentDueOn: null })
  t.match(below.gating, { reasons: ['eligible cost 14999999 DKK is below 15000000 DKK'], policy: 'state-2021', policyVersion: 2 })

  const programme = await submitProject(app, STATE, gatedProject({ kind: 'programme', participatingRegions: ['1082'], budgetLines: [{ category: 'internal', year: 2027, amountDkk: 15_000_000 }] }))
  t.equal(programme.reference, `SIR-${year}-0002`)
  t.match(programme, { council: 'state', kind: 'programme', status: 'awaiting_assessment' })
  t.equal(programme.assessmentDueOn, addWorkingDays(submittedOn(programme), 15))
  const project = await submitProject(app, STATE, gatedProject({ participatingRegions: [], budgetLines: [{ category: 'internal', year: 2027, amountDkk: 15_000_000 }] }))
  t.equal(project.assessmentDueOn, addWorkingDays(submittedOn(project), 10))
  t.equal(regional.assessmentDueOn, addWorkingDays(submittedOn(regional), 10), 'regions-2019: 10 for a project')

  const [submitted] = await eventsOf(app, `projects/${programme.id}`)
  t.match(submitted?.data, { council: 'state', kind: 'programme', description: /indsendt af Styrelsen for Dataforsyning; rådsbehandling påkrævet\.$/ })

  // The preview judges by the submitter's council.
  const preview = await app.inject({ method: 'POST', url: '/v1/gate/preview', headers: await authAs('submitter', STATE), payload: { participatingRegions: [], budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 12_000_000 }] } })
  t.equal(preview.statusCode, 200)
  t.match(preview.json(), { policy: 'state-2021', reviewRequired: false })
  const adminPreview = await app.inject({ method: 'POST', url: '/v1/gate/preview', headers: await admin(), payload: { council: 'state', participatingRegions: [], budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 15_000_000 }] } })
  t.match(adminPreview.json(), { policy: 'state-2021', reviewRequired: true })
  const sirPreview = await app.inject({ method: 'POST', url: '/v1/gate/preview', headers: await authAs('secretariat', 'SIR'), payload: { participatingRegions: [], budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 12_000_000 }] } })
  t.match(sirPreview.json(), { policy: 'state-2021', reviewRequired: false })
})

t.test('only known, active regions and state authorities submit; a regional owner takes part in its project', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  await registerStateAuthority(app, STATE)
  const count = async () => (await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from projects`))[0]!.n

  for (const [name, org] of [['unknown', '9999'], ['a secretariat', 'ITR']] as const) {
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers: await authAs('submitter', org), payload: gatedProject() })
    t.equal(res.statusCode, 403, name)
    t.equal(res.json().type, '/problems/unknown-organisation')
    t.equal(res.json().code, 'UNKNOWN_ORGANISATION')
  }
  const inDanish = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...await authAs('submitter', '9999'), 'accept-language': 'da' }, payload: gatedProject() })
  t.match(inDanish.json().detail, /^organisationen 9999 er ikke en kendt, aktiv region eller statslig myndighed/)

  await app.inject({ method: 'PATCH', url: `/v1/organisations/${STATE}`, headers: { ...await admin(), 'if-match': '"1"' }, payload: { active: false } })
  const inactive = await app.inject({ method: 'POST', url: '/v1/projects', headers: await authAs('submitter', STATE), payload: gatedProject({ participatingRegions: [] }) })
  t.equal(inactive.statusCode, 403, 'an inactive organisation')

  const notTakingPart = await app.inject({ method: 'POST', url: '/v1/projects', headers: await authAs('submitter', '1084'), payload: gatedProject({ participatingRegions: ['1081', '1082'] }) })
  t.equal(notTakingPart.statusCode, 422)
  t.equal(notTakingPart.json().code, 'RULE_VIOLATION')
  t.match(notTakingPart.json().detail, /owner must be among participatingRegions \(1084 is not\)/)
  const none = await app.inject({ method: 'POST', url: '/v1/projects', headers: await authAs('submitter', '1084'), payload: gatedProject({ participatingRegions: [] }) })
  t.equal(none.statusCode, 422)
  t.equal(await count(), 0, 'nothing was written')

  const project = await submitProject(app, '1084', gatedProject({ participatingRegions: ['1084', '1085'] }))
  const dropOwner = await app.inject({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers: { ...await authAs('submitter', '1084'), 'if-match': '"1"' }, payload: { participatingRegions: ['1085'] } })
  t.equal(dropOwner.statusCode, 422, 'a revision keeps the owner among the regions')
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${project.id}`, headers: await admin() })).json().version, 1)
})

t.test('each secretariat works for its own council and never sees the other\'s projects', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  await registerStateAuthority(app, STATE)
  const regional = await submitProject(app)
  const state = await submitProject(app, STATE, gatedProject({ participatingRegions: [] }))
  const itr = await authAs('secretariat', 'ITR')
  const sir = await authAs('secretariat', 'SIR')

  const ids = async (headers: Record<string, string>) => (await app.inject({ method: 'GET', url: '/v1/projects', headers })).json().items.map((p: { id: string }) => p.id)
  t.same(await ids(itr), [regional.id])
  t.same(await ids(sir), [state.id])
  t.same((await ids(await admin())).sort(), [regional.id, state.id].sort(), 'an admin sees both')
  t.same((await ids(await authAs('integration', 'ESDH'))).sort(), [regional.id, state.id].sort(), 'so does an integration')

  for (const [headers, visible, hidden] of [[itr, regional, state], [sir, state, regional]] as const) {
    t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${visible.id}`, headers })).statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${hidden.id}`, headers })).statusCode, 404)
    t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${hidden.reference}/history`, headers })).statusCode, 404)
    t.equal((await app.inject({ method: 'POST', url: `/v1/projects/${hidden.id}/assignments`, headers, payload: { memberSub: 'anne', memberOrg: '1081' } })).statusCode, 404)
  }

  const stranger = await app.inject({ method: 'GET', url: '/v1/projects', headers: bearer(await token('secretariat', '1084')) })
  t.equal(stranger.statusCode, 403, 'a secretariat token of no council\'s org')
  t.match(stranger.json().detail, /1084 is the secretariat of no council/)
})

t.test('dev mode seeds the demo state authority and a demo member of each council', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'council-gate-dev-'))
  const { app } = await build(t, { devAuthDir: dir })
  const res = await app.inject({ method: 'POST', url: '/app/dev-token', payload: { role: 'submitter', org: '10000000' } })
  t.equal(res.statusCode, 200, res.body)
  const headers = bearer(res.json().token)
  const organisation = await app.inject({ method: 'GET', url: '/v1/organisations/10000000', headers })
  t.same(organisation.json(), { code: '10000000', name: 'Demostyrelsen', kind: 'state_authority', council: 'state', active: true })
  const project = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: gatedProject({ participatingRegions: [] }) })
  t.equal(project.statusCode, 201)
  t.match(project.json().reference, /^SIR-/)

  // The default subs of council member tokens are demo members: they see their council's projects.
  for (const [org, sees] of [['1081', false], ['SIR', true]] as const) {
    const member = await app.inject({ method: 'POST', url: '/app/dev-token', payload: { role: 'council_member', org } })
    const seen = await app.inject({ method: 'GET', url: `/v1/projects/${project.json().id as string}`, headers: bearer(member.json().token) })
    t.equal(seen.statusCode, sees ? 200 : 404, `the demo member of ${org} ${sees ? 'sees' : 'does not see'} the state project`)
  }
  const admin = await app.inject({ method: 'POST', url: '/app/dev-token', payload: { role: 'admin', org: 'ITR' } })
  const directory = await app.inject({ method: 'GET', url: '/v1/members', headers: bearer(admin.json().token) })
  t.match(directory.json().items, [{ sub: 'dev-council_member-1081', name: 'Anna Andersen (demo)' }, { sub: 'dev-council_member-1083' }, { sub: 'dev-council_member-SIR', council: 'state' }])
})
