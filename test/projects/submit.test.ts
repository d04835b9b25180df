import { sql } from 'drizzle-orm'
import t from 'tap'
import { queryRows } from '../../src/db/client.ts'
import { addWorkingDays, copenhagenDate, isWorkingDay } from '../../src/domain/calendar.ts'
import { build } from '../helpers/build.ts'
import { authAs, failOnServerErrors, gatedProject, submitProject, ungatedProject } from '../helpers/fixtures.ts'

// Each test builds its own app on a fresh database: minutes on a busy machine.
t.setTimeout(600_000)

const ALL = ['1081', '1082', '1083', '1084', '1085']
const lines = (...spec: Array<[string, number]>) => spec.map(([category, amountDkk]) => ({ category, year: 2027, amountDkk }))

t.test('the gate through the API: edges, excluded categories and reviewRequested', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const headers = await authAs('submitter', '1084')
  const cases = [
    {
      name: 'exactly 10,000,000 with all five regions is reviewed',
      body: gatedProject({ budgetLines: lines(['supplier', 10_000_000]) }),
      reviewRequired: true,
      status: 'awaiting_assessment',
      eligible: 10_000_000,
      total: 10_000_000,
      reasons: ['eligible cost 10000000 DKK is at or above 10000000 DKK', 'all five regions participate']
    },
    {
      name: '9,999,999 is not',
      body: gatedProject({ budgetLines: lines(['supplier', 9_999_999]) }),
      reviewRequired: false,
      status: 'not_required',
      eligible: 9_999_999,
      total: 9_999_999,
      reasons: ['eligible cost 9999999 DKK is below 10000000 DKK', 'all five regions participate']
    },
    {
      name: 'four regions are not',
      body: gatedProject({ participatingRegions: ['1081', '1082', '1083', '1084'], budgetLines: lines(['supplier', 50_000_000]) }),
      reviewRequired: false,
      status: 'not_required',
      eligible: 50_000_000,
      total: 50_000_000,
      reasons: ['eligible cost 50000000 DKK is at or above 10000000 DKK', 'only 4 of 5 required regions participate (missing 1085)']
    },
    {
      name: 'operations and interest never tip a project over',
      body: gatedProject({ budgetLines: lines(['consultant', 4_999_999], ['other', 5_000_000], ['operations', 20_000_000], ['interest', 3_000_000]) }),
      reviewRequired: false,
      status: 'not_required',
      eligible: 9_999_999,
      total: 32_999_999,
      reasons: ['eligible cost 9999999 DKK is below 10000000 DKK', 'all five regions participate']
    },
    {
      name: 'reviewRequested makes a small one-region project reviewable',
      body: gatedProject({ participatingRegions: ['1084'], budgetLines: lines(['internal', 250_000]), reviewRequested: true }),
      reviewRequired: true,
      status: 'awaiting_assessment',
      eligible: 250_000,
      total: 250_000,
      reasons: ['eligible cost 250000 DKK is below 10000000 DKK', 'only 1 of 5 required regions participate (missing 1081, 1082, 1083, 1085)', 'review requested']
    }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: c.body })
    t.equal(res.statusCode, 201, c.name)
    const project = res.json()
    t.match(project, {
      status: c.status,
      eligibleCostDkk: c.eligible,
      totalCostDkk: c.total,
      gating: { reviewRequired: c.reviewRequired, policy: 'regions-2019', policyVersion: 1 }
    }, c.name)
    t.same(project.gating.reasons, c.reasons, `${c.name}: reasons`)
    t.equal(project.assessmentDueOn === null, !c.reviewRequired, `${c.name}: assessmentDueOn only with review`)

    // The evaluation is stored with baseline 1.
    const [baseline] = await queryRows<{ gating: { reviewRequired: boolean, policy: string, policyVersion: number, reasons: string[] }, content: Record<string, unknown> }>(
      app.db, sql`select gating, content from project_baselines where project_id = ${project.id} and version = 1`)
    t.match(baseline, { gating: { reviewRequired: c.reviewRequired, policy: 'regions-2019', policyVersion: 1, reasons: c.reasons }, content: { title: c.body.title } }, `${c.name}: baseline`)
  }
})

t.test('201: Location, ETag, the project body, reference and deadline', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const headers = await authAs('submitter', '1084')
  const res = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: gatedProject() })
  t.equal(res.statusCode, 201)
  const project = res.json()
  t.equal(res.headers.location, `/v1/projects/${project.id}`)
  t.equal(res.headers.etag, '"1"')
  t.equal(res.headers['idempotent-replayed'], undefined)
  t.match(project, {
    id: /^[0-9a-f-]{36}$/,
    ownerOrg: '1084',
    council: 'regions',
    kind: 'project',
    status: 'awaiting_assessment',
    title: 'Fælles regional booking-platform',
    participatingRegions: ALL,
    phase: 'analysis',
    plannedStart: '2027-01-01',
    plannedEnd: '2029-06-30',
    contact: { name: 'Mette Hansen', email: 'mette.hansen@regionh.dk' },
    reviewRequested: false,
    eligibleCostDkk: 10_000_000,
    totalCostDkk: 10_900_000,
    letter: null,
    version: 1,
    expectedBenefits: null,
    approvedBaseline: null,
    followUpTrack: null,
    closure: null
  })
  t.same(Object.keys(project).sort(), ['approvedBaseline', 'assessmentDueOn', 'budgetLines', 'closure', 'contact', 'council', 'createdAt', 'description', 'eligibleCostDkk',
    'expectedBenefits', 'followUpTrack', 'gating', 'id', 'kind', 'letter', 'ownerOrg', 'participatingRegions', 'phase', 'plannedEnd', 'plannedStart', 'reference', 'reviewRequested', 'status', 'title', 'totalCostDkk', 'updatedAt', 'version'])
  for (const instant of [project.createdAt, project.updatedAt, project.gating.evaluatedAt]) {
    t.match(instant, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'RFC 3339 UTC')
  }

  // 1. the reference: ITR-<Copenhagen year of submission>-<running number, four digits at least>
  const submittedOn = copenhagenDate(new Date(project.createdAt))
  t.equal(project.reference, `ITR-${submittedOn.slice(0, 4)}-0001`)
  const second = await submitProject(app, '1081', ungatedProject())
  t.equal(second.reference, `ITR-${submittedOn.slice(0, 4)}-0002`)

  // 2. the deadline: 10 Danish working days after the Copenhagen date of submission
  t.equal(project.assessmentDueOn, addWorkingDays(submittedOn, 10))
  t.ok(isWorkingDay(project.assessmentDueOn))
  const [row] = await queryRows<{ submitted_on: string }>(app.db, sql`select submitted_on::text from projects where id = ${project.id}`)
  t.equal(row!.submitted_on, submittedOn)
  t.equal(second.assessmentDueOn, null)
})

t.test('references stay unique and zero-padded past 9999', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  await app.db.execute(sql`select setval('project_reference_seq', 9998)`)
  const a = await submitProject(app)
  // A title with private-use characters, as the statement's stand-in for the reference has.
  const b = await submitProject(app, '1084', { ...gatedProject(), title: 'Platform \uE000ITR\uE000' })
  t.equal(b.title, 'Platform \uE000ITR\uE000')
  t.match(a.reference, /^ITR-\d{4}-9999$/)
  t.match(b.reference, /^ITR-\d{4}-10000$/)
  // The statement draws the reference: the row, the answer and the event name the same one.
  for (const project of [a, b]) {
    const [row] = await queryRows<{ reference: string, body: string }>(app.db,
      sql`select p.reference, e.body from projects p join audit_events e on e.project_id = p.id where p.id = ${project.id}`)
    t.equal(row!.reference, project.reference)
    const event = JSON.parse(row!.body)
    t.equal(event.data.reference, project.reference)
    t.equal(event.data.description, `Projekt ${project.reference} "${project.title}" indsendt af Region Hovedstaden; rådsbehandling påkrævet.`)
  }
})

t.test('400 for every kind of bad field, with a JSON pointer to it', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const headers = await authAs('submitter', '1084')
  const valid = gatedProject()
  const line = (patch: Record<string, unknown>) => ({ budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 1, ...patch }] })
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['unknown property', { rogue: true }, '/'],
    ['id cannot be set', { id: '00000000-0000-4000-8000-000000000000' }, '/'],
    ['status cannot be set', { status: 'letter_issued' }, '/'],
    ['ownerOrg cannot be set', { ownerOrg: '1081' }, '/'],
    ['unknown property in a budget line', line({ vat: 25 }), '/budgetLines/0'],
    ['unknown property in contact', { contact: { name: 'A', email: 'a@b.dk', phone: '1' } }, '/contact'],
    ['missing title', { title: undefined }, '/title'],
    ['empty title', { title: '   ' }, '/title'],
    ['title over 200', { title: 'x'.repeat(201) }, '/title'],
    ['title with a line break', { title: 'two\nlines' }, '/title'],
    ['description over 10000', { description: 'x'.repeat(10_001) }, '/description'],
    ['description with NUL', { description: 'a\u0000b' }, '/description'],
    ['contact name over 200', { contact: { name: 'x'.repeat(201), email: 'a@b.dk' } }, '/contact/name'],
    ['not an email', { contact: { name: 'A', email: 'not-an-email' } }, '/contact/email'],
    ['email over 254', { contact: { name: 'A', email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.dk` } }, '/contact/email'],
    ['no budget lines', { budgetLines: [] }, '/budgetLines'],
    ['501 budget lines', { budgetLines: Array.from({ length: 501 }, () => ({ category: 'other', year: 2027, amountDkk: 1 })) }, '/budgetLines'],
    ['unknown category', line({ category: 'hardware' }), '/budgetLines/0/category'],
    ['year 1999', line({ year: 1999 }), '/budgetLines/0/year'],
    ['year 2101', line({ year: 2101 }), '/budgetLines/0/year'],
    ['negative amount', line({ amountDkk: -1 }), '/budgetLines/0/amountDkk'],
    ['fractional amount', line({ amountDkk: 1.5 }), '/budgetLines/0/amountDkk'],
    ['amount over 10^13', line({ amountDkk: 10_000_000_000_001 }), '/budgetLines/0/amountDkk'],
    ['amount as a string', line({ amountDkk: '100' }), '/budgetLines/0/amountDkk'],
    ['no such date', { plannedStart: '2027-02-30' }, '/plannedStart'],
    ['not a date', { plannedEnd: '30-06-2029' }, '/plannedEnd'],
    ['date out of range', { plannedStart: '1999-12-31' }, '/plannedStart'],
    ['plannedEnd before plannedStart', { plannedStart: '2028-01-02', plannedEnd: '2028-01-01' }, '/plannedEnd'],
    ['six regions', { participatingRegions: [...ALL, '1081'] }, '/participatingRegions'],
    ['duplicate regions', { participatingRegions: ['1084', '1084'] }, '/participatingRegions'],
    ['unknown region', { participatingRegions: ['1086'] }, '/participatingRegions/0'],
    ['unknown phase', { phase: 'done' }, '/phase'],
    ['reviewRequested not a boolean', { reviewRequested: 'yes' }, '/reviewRequested']
  ]
  for (const [name, patch, path] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: { ...valid, ...patch } })
    t.equal(res.statusCode, 400, name)
    const problem = res.json()
    t.equal(problem.code, 'VALIDATION_FAILED', name)
    t.ok(problem.errors.some((e: { path: string }) => e.path === path), `${name}: errors[] names ${path} (got ${JSON.stringify(problem.errors)})`)
  }

  // The unknown property is named in the problem.
  const res = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: { ...valid, ownerOrg: '1081' } })
  t.match(res.json().detail, /ownerOrg/)

  // Malformed JSON, a non-object body.
  const raw = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"title": ' })
  t.equal(raw.statusCode, 400)
  t.equal(raw.json().code, 'MALFORMED_JSON')
  const array = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: [valid] })
  t.equal(array.statusCode, 400)

  // The bounds themselves are accepted, and reviewRequested defaults to false.
  const edge = await app.inject({
    method: 'POST',
    url: '/v1/projects',
    headers,
    payload: {
      ...valid,
      reviewRequested: undefined,
      title: 'x'.repeat(200),
      plannedStart: '2028-01-01',
      plannedEnd: '2028-01-01',
      budgetLines: [{ category: 'supplier', year: 2100, amountDkk: 10_000_000_000_000 }, { category: 'other', year: 2000, amountDkk: 0 }]
    }
  })
  t.equal(edge.statusCode, 201, edge.body)
  t.equal(edge.json().reviewRequested, false)
  t.equal(edge.json().totalCostDkk, 10_000_000_000_000)

  // Nothing was written by the refused requests.
  const [count] = await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from projects`)
  t.equal(count!.n, 1)
})

t.test('401 without a token, 403 for roles that may not submit, 413, 415', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  let res = await app.inject({ method: 'POST', url: '/v1/projects', payload: gatedProject() })
  t.equal(res.statusCode, 401)
  t.match(res.headers['www-authenticate'], /^Bearer/)
  t.match(res.headers['content-type'], /^application\/problem\+json/)

  res = await app.inject({ method: 'POST', url: '/v1/projects', headers: await authAs('submitter', '1084', { expiresIn: -120 }), payload: gatedProject() })
  t.equal(res.statusCode, 401)

  for (const role of ['council_member', 'secretariat', 'integration', 'admin'] as const) {
    res = await app.inject({ method: 'POST', url: '/v1/projects', headers: await authAs(role, '1084'), payload: gatedProject() })
    t.equal(res.statusCode, 403, role)
    t.equal(res.json().code, 'FORBIDDEN')
  }

  const headers = await authAs('submitter', '1084')
  res = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(gatedProject({ description: 'x'.repeat(1024 * 1024) })) })
  t.equal(res.statusCode, 413)
  t.equal(res.json().code, 'PAYLOAD_TOO_LARGE')

  res = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'title=x' })
  t.equal(res.statusCode, 415)
  res = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'title=x' })
  t.equal(res.statusCode, 415)
})

t.test('the submitted event carries the reference, a Danish description and the facts', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const headers = await authAs('submitter', '1084')
  const gated = await submitProject(app)
  const voluntary = await submitProject(app, '1084', ungatedProject({ reviewRequested: true, title: 'Frivillig  gennemgang' }))
  const below = await submitProject(app, '1084', ungatedProject({ title: 'Lille projekt' }))

  const expectations: Array<[typeof gated, string]> = [
    [gated, `Projekt ${gated.reference} "Fælles regional booking-platform" indsendt af Region Hovedstaden; rådsbehandling påkrævet.`],
    [voluntary, `Projekt ${voluntary.reference} "Frivillig gennemgang" indsendt af Region Hovedstaden; frivillig rådsbehandling anmodet.`],
    [below, `Projekt ${below.reference} "Lille projekt" indsendt af Region Hovedstaden; rådsbehandling ikke påkrævet.`]
  ]
  for (const [project, description] of expectations) {
    const res = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/history`, headers })
    t.equal(res.statusCode, 200)
    const [event, ...rest] = res.json().items
    t.equal(rest.length, 0)
    t.match(event, {
      specversion: '1.0',
      type: 'itraad.project.submitted',
      subject: `projects/${project.id}`,
      authtype: 'user',
      authid: 'submitter-1084',
      actororg: '1084',
      data: {
        reference: project.reference,
        description,
        version: 1,
        status: project.status,
        eligibleCostDkk: project.eligibleCostDkk,
        totalCostDkk: project.totalCostDkk,
        gating: { reviewRequired: project.status === 'awaiting_assessment', policy: 'regions-2019', policyVersion: 1 }
      }
    })
  }
})

t.test('Idempotency-Key: replay, different body, other org, expiry, validation', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const headers = { ...await authAs('submitter', '1084'), 'idempotency-key': 'order-2026-11-22-001' }
  const count = async () => (await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from projects`))[0]!.n

  // 1. the first request creates the project
  const first = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: gatedProject() })
  t.equal(first.statusCode, 201)
  t.equal(first.headers['idempotent-replayed'], undefined)

  // 2. the same body again (keys in another order) replays the response: status, body, Location, ETag
  const reordered = Object.fromEntries(Object.entries(gatedProject()).reverse())
  const again = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: reordered })
  t.equal(again.statusCode, 201)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.headers.location, first.headers.location)
  t.equal(again.headers.etag, '"1"')
  t.same(again.json(), first.json())
  t.equal(await count(), 1)

  // 3. the replay is the original response, even after the project changed
  const id = first.json().id
  const patched = await app.inject({ method: 'PATCH', url: `/v1/projects/${id}`, headers: { ...headers, 'if-match': '"1"' }, payload: { title: 'Nyt navn' } })
  t.equal(patched.statusCode, 200)
  const later = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: gatedProject() })
  t.equal(later.json().title, 'Fælles regional booking-platform')
  t.equal(later.json().version, 1)

  // 4. the same key with a different body is 422 and creates nothing
  const different = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: gatedProject({ title: 'Noget andet' }) })
  t.equal(different.statusCode, 422)
  t.equal(different.json().code, 'IDEMPOTENCY_KEY_REUSED')
  t.equal(await count(), 1)

  // 5. keys belong to an org: another org's same key is a new request
  const other = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...await authAs('submitter', '1081'), 'idempotency-key': headers['idempotency-key'] }, payload: gatedProject() })
  t.equal(other.statusCode, 201)
  t.not(other.json().id, id)
  t.equal(other.headers['idempotent-replayed'], undefined)

  // 6. after 24 hours the key is free again, for any body
  await app.db.execute(sql`update idempotency_keys set created_at = now() - interval '24 hours 1 second' where org = '1084'`)
  const reused = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: gatedProject({ title: 'Et nyt projekt' }) })
  t.equal(reused.statusCode, 201)
  t.not(reused.json().id, id)
  t.equal(reused.headers['idempotent-replayed'], undefined)
  const replayOfNew = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: gatedProject({ title: 'Et nyt projekt' }) })
  t.equal(replayOfNew.json().id, reused.json().id)
  t.equal(await count(), 3)

  // 7. a key whose request never stored a response (cannot happen after a commit) is 409, not a second project
  await app.db.execute(sql`insert into idempotency_keys (org, key, request_hash) values ('1084', 'stuck', 'x')`)
  const stuck = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'idempotency-key': 'stuck' }, payload: gatedProject() })
  t.equal(stuck.statusCode, 422, 'a different hash is still 422')
  const hash = (await queryRows<{ request_hash: string }>(app.db, sql`select request_hash from idempotency_keys where key = ${headers['idempotency-key']} and org = '1084'`))[0]!.request_hash
  await app.db.execute(sql`update idempotency_keys set request_hash = ${hash} where key = 'stuck'`)
  const inProgress = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'idempotency-key': 'stuck' }, payload: gatedProject({ title: 'Et nyt projekt' }) })
  t.equal(inProgress.statusCode, 409)
  t.equal(inProgress.json().code, 'IDEMPOTENCY_IN_PROGRESS')
  t.equal(await count(), 3)

  // 8. a refused body does not use up the key
  const bad = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'idempotency-key': 'fresh' }, payload: gatedProject({ title: '' }) })
  t.equal(bad.statusCode, 400)
  const good = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'idempotency-key': 'fresh' }, payload: gatedProject() })
  t.equal(good.statusCode, 201)
  t.equal(good.headers['idempotent-replayed'], undefined)

  // 9. the key itself: at most 255 printable ASCII characters
  for (const key of ['k'.repeat(256), 'tab\there']) {
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'idempotency-key': key }, payload: gatedProject() })
    t.equal(res.statusCode, 400, JSON.stringify(key))
    t.match(res.json().errors, [{ path: '/idempotency-key' }])
  }
  const longest = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'idempotency-key': 'k'.repeat(255) }, payload: gatedProject() })
  t.equal(longest.statusCode, 201)
})
