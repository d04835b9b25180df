import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { queryRows } from '../../src/db/client.ts'
import { addWorkingDays, copenhagenDate } from '../../src/domain/calendar.ts'
import { build } from '../helpers/build.ts'
import { authAs, failOnServerErrors, gatedProject, submitProject, ungatedProject } from '../helpers/fixtures.ts'

// Six fresh databases: on a busy machine this file needs far more than the suite's per-file
// default (.taprc). Counted from here.
t.setTimeout(600_000)

const ALL = ['1081', '1082', '1083', '1084', '1085']

async function patch (app: FastifyInstance, id: string, body: unknown, headers: Record<string, string>) {
  return app.inject({ method: 'PATCH', url: `/v1/projects/${id}`, headers, payload: body as Record<string, unknown> })
}

/** Puts a project where the review process would have taken it (that work is not this module's). */
async function setStatus (app: FastifyInstance, id: string, status: string) {
  await app.db.execute(sql`update projects set status = ${status} where id = ${id}`)
}

t.test('PATCH: a new baseline, ETag + 1, arrays replaced whole, the revised event', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const owner = await authAs('submitter', '1084')
  const project = await submitProject(app)

  const res = await patch(app, project.id, {
    title: 'Booking-platform, fase 2',
    budgetLines: [{ category: 'supplier', year: 2028, amountDkk: 12_000_000 }],
    participatingRegions: ['1085', '1084', '1083', '1082', '1081']
  }, { ...owner, 'if-match': '"1"' })
  t.equal(res.statusCode, 200, res.body)
  t.equal(res.headers.etag, '"2"')
  const revised = res.json()
  t.match(revised, { id: project.id, reference: project.reference, version: 2, title: 'Booking-platform, fase 2', eligibleCostDkk: 12_000_000, totalCostDkk: 12_000_000, status: 'awaiting_assessment' })
  t.same(revised.budgetLines, [{ category: 'supplier', year: 2028, amountDkk: 12_000_000 }])
  t.same(revised.participatingRegions, ['1085', '1084', '1083', '1082', '1081'])
  t.equal(revised.createdAt, project.createdAt)
  t.ok(revised.updatedAt >= (project.updatedAt as string))
  t.ok(revised.gating.evaluatedAt >= (project.gating as { evaluatedAt: string }).evaluatedAt)
  t.equal(revised.assessmentDueOn, project.assessmentDueOn, 'still waiting: the deadline stays')

  // GET agrees, with the new ETag
  const got = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}`, headers: owner })
  t.equal(got.headers.etag, '"2"')
  t.same(got.json(), revised)

  // both baselines are kept, each with its own evaluation
  const baselines = await queryRows<{ version: number, content: { title: string }, gating: { eligibleCostDkk: number } }>(app.db,
    sql`select version, content, gating from project_baselines where project_id = ${project.id} order by version`)
  t.same(baselines.map((b) => [b.version, b.content.title, b.gating.eligibleCostDkk]), [[1, 'Fælles regional booking-platform', 10_000_000], [2, 'Booking-platform, fase 2', 12_000_000]])

  const history = (await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/history`, headers: owner })).json().items
  t.same(history.map((e: { type: string }) => e.type), ['itraad.project.submitted', 'itraad.project.revised'])
  t.match(history[1].data, {
    reference: project.reference,
    description: `Projekt ${project.reference} "Booking-platform, fase 2" revideret af Region Hovedstaden til version 2; rådsbehandling påkrævet.`,
    version: 2,
    previousVersion: 1,
    status: 'awaiting_assessment',
    eligibleCostDkk: 12_000_000,
    totalCostDkk: 12_000_000,
    gating: { reviewRequired: true, policy: 'regions-2019' }
  })
  t.same(history[1].data.changedFields.sort(), ['budgetLines', 'participatingRegions', 'title'])
})

t.test('PATCH re-gates: newly gated, no longer gated, already in review', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const owner = await authAs('submitter', '1084')

  // 1. four regions → all five: awaiting_assessment with a deadline counted from the revision date
  const small = await submitProject(app, '1084', ungatedProject())
  t.equal(small.status, 'not_required')
  let res = await patch(app, small.id, { participatingRegions: ALL }, { ...owner, 'if-match': '"1"' })
  t.equal(res.statusCode, 200)
  let body = res.json()
  t.match(body, { status: 'awaiting_assessment', gating: { reviewRequired: true } })
  t.equal(body.assessmentDueOn, addWorkingDays(copenhagenDate(new Date(body.gating.evaluatedAt)), 10))
  let history = (await app.inject({ method: 'GET', url: `/v1/projects/${small.id}/history`, headers: owner })).json().items
  t.match(history[1].data.description, /status ændret fra ikke omfattet af rådsbehandling til afventer vurdering\.$/)

  // 2. awaiting assessment, then below the gate: nothing to wait for any more
  res = await patch(app, small.id, { budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 9_999_999 }] }, { ...owner, 'if-match': '"2"' })
  body = res.json()
  t.match(body, { status: 'not_required', assessmentDueOn: null, eligibleCostDkk: 9_999_999, gating: { reviewRequired: false } })

  // 3. under assessment: stays, and keeps its deadline, even below the gate
  const reviewed = await submitProject(app)
  await setStatus(app, reviewed.id, 'under_assessment')
  res = await patch(app, reviewed.id, { participatingRegions: ['1084'] }, { ...owner, 'if-match': '"1"' })
  t.match(res.json(), { status: 'under_assessment', assessmentDueOn: reviewed.assessmentDueOn, gating: { reviewRequired: false } })

  // 4. letter issued: stays and keeps its letter
  const lettered = await submitProject(app)
  await setStatus(app, lettered.id, 'letter_issued')
  await app.db.execute(sql`insert into letters (id, project_id, baseline_version, statement, risk_profile, recommendations, external_review_recommended, issued_by, issued_at)
    values (${randomUUID()}, ${lettered.id}, 1, 'Udtalelse', 'B', '[]', false, 'secretariat', '2026-11-20 09:00:00.123456+00')`)
  res = await patch(app, lettered.id, { phase: 'purchasing' }, { ...owner, 'if-match': '"1"' })
  t.match(res.json(), { status: 'letter_issued', phase: 'purchasing', version: 2, letter: { riskProfile: 'B', issuedAt: '2026-11-20T09:00:00.123Z' } })
  history = (await app.inject({ method: 'GET', url: `/v1/projects/${lettered.id}/history`, headers: owner })).json().items
  t.match(history[1].data, { previousStatus: 'letter_issued', status: 'letter_issued', changedFields: ['phase'] })
})

t.test('If-Match: 428 without it or with *, 412 when stale or weak, 400 when malformed, lists accepted', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const owner = await authAs('submitter', '1084')
  const project = await submitProject(app)

  let res = await patch(app, project.id, { title: 'Ny' }, owner)
  t.equal(res.statusCode, 428)
  t.equal(res.json().code, 'PRECONDITION_REQUIRED')
  res = await patch(app, project.id, { title: 'Ny' }, { ...owner, 'if-match': '*' })
  t.equal(res.statusCode, 428)

  res = await patch(app, project.id, { title: 'Ny' }, { ...owner, 'if-match': '"1"' })
  t.equal(res.statusCode, 200)

  // the old ETag is stale now
  res = await patch(app, project.id, { title: 'Nyere' }, { ...owner, 'if-match': '"1"' })
  t.equal(res.statusCode, 412)
  t.match(res.json(), { code: 'PRECONDITION_FAILED', detail: /version 2/ })
  // a weak tag never matches under strong comparison
  res = await patch(app, project.id, { title: 'Nyere' }, { ...owner, 'if-match': 'W/"2"' })
  t.equal(res.statusCode, 412)
  res = await patch(app, project.id, { title: 'Nyere' }, { ...owner, 'if-match': '"abc"' })
  t.equal(res.statusCode, 412)
  // not an entity tag at all
  res = await patch(app, project.id, { title: 'Nyere' }, { ...owner, 'if-match': '2' })
  t.equal(res.statusCode, 400)
  t.match(res.json().errors, [{ path: '/if-match' }])
  // one of several tags may match
  res = await patch(app, project.id, { title: 'Nyere' }, { ...owner, 'if-match': '"7", W/"2", "2"' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers.etag, '"3"')

  // nothing changed on the refused requests
  const [row] = await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from project_baselines where project_id = ${project.id}`)
  t.equal(row!.n, 3)
})

t.test('PATCH body: strict, at least one field, plannedEnd checked against the merged project', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const owner = { ...await authAs('submitter', '1084'), 'if-match': '"1"' }
  const project = await submitProject(app) // plannedStart 2027-01-01, plannedEnd 2029-06-30

  const cases: Array<[string, unknown, string]> = [
    ['empty body', {}, '/'],
    ['reviewRequested is not revisable', { reviewRequested: true }, '/'],
    ['status cannot be set', { status: 'responded' }, '/'],
    ['version cannot be set', { version: 9 }, '/'],
    ['null is not a value', { title: null }, '/title'],
    ['title over 200', { title: 'x'.repeat(201) }, '/title'],
    ['empty budget', { budgetLines: [] }, '/budgetLines'],
    ['unknown region', { participatingRegions: ['9999'] }, '/participatingRegions/0'],
    ['both dates, reversed', { plannedStart: '2028-01-02', plannedEnd: '2028-01-01' }, '/plannedEnd'],
    ['end before the stored start', { plannedEnd: '2026-12-31' }, '/plannedEnd'],
    ['start after the stored end', { plannedStart: '2029-07-01' }, '/plannedEnd']
  ]
  for (const [name, body, path] of cases) {
    const res = await patch(app, project.id, body, owner)
    t.equal(res.statusCode, 400, name)
    t.equal(res.json().code, 'VALIDATION_FAILED', name)
    t.ok(res.json().errors.some((e: { path: string }) => e.path === path), `${name}: ${JSON.stringify(res.json().errors)}`)
  }

  // 413, 415
  let res = await app.inject({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers: { ...owner, 'content-type': 'application/json' }, payload: JSON.stringify({ description: 'x'.repeat(1024 * 1024) }) })
  t.equal(res.statusCode, 413)
  res = await app.inject({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers: { ...owner, 'content-type': 'text/plain' }, payload: 'title=x' })
  t.equal(res.statusCode, 415)

  res = await patch(app, project.id, { plannedStart: '2029-06-30' }, owner)
  t.equal(res.statusCode, 200, 'plannedEnd = plannedStart is fine')
})

t.test('who may change: owner only; 403 for a participating region and other roles, 404 for the invisible', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const project = await submitProject(app, '1084', gatedProject({ participatingRegions: ['1084', '1085'] }))
  const ifMatch = { 'if-match': '"1"' }

  // a participating region sees the project but may not change it
  let res = await patch(app, project.id, { title: 'Kapret' }, { ...await authAs('submitter', '1085'), ...ifMatch })
  t.equal(res.statusCode, 403)
  res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: await authAs('submitter', '1085') })
  t.equal(res.statusCode, 403)

  // a region that does not participate cannot see it: 404, never 403
  res = await patch(app, project.id, { title: 'Kapret' }, { ...await authAs('submitter', '1081'), ...ifMatch })
  t.equal(res.statusCode, 404)
  res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: await authAs('submitter', '1081') })
  t.equal(res.statusCode, 404)

  // no such project; not a uuid
  res = await patch(app, randomUUID(), { title: 'X' }, { ...await authAs('submitter', '1084'), ...ifMatch })
  t.equal(res.statusCode, 404)
  res = await patch(app, 'not-a-uuid', { title: 'X' }, { ...await authAs('submitter', '1084'), ...ifMatch })
  t.equal(res.statusCode, 400)

  // roles that may not change projects at all
  for (const role of ['council_member', 'secretariat', 'integration', 'admin'] as const) {
    res = await patch(app, project.id, { title: 'X' }, { ...await authAs(role, '1084'), ...ifMatch })
    t.equal(res.statusCode, 403, `PATCH as ${role}`)
    res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: await authAs(role, '1084') })
    t.equal(res.statusCode, 403, `withdraw as ${role}`)
  }
  res = await patch(app, project.id, { title: 'X' }, ifMatch)
  t.equal(res.statusCode, 401)
  res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw` })
  t.equal(res.statusCode, 401)

  const unchanged = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}`, headers: await authAs('admin', 'ITR') })
  t.match(unchanged.json(), { version: 1, status: 'not_required', title: project.title })
})

t.test('withdraw: 200 withdrawn, then 409 for withdraw and PATCH; optional If-Match; no body, {} or a reason', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const owner = await authAs('submitter', '1084')
  const project = await submitProject(app)

  let res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: { ...owner, 'if-match': '"2"' } })
  t.equal(res.statusCode, 412, 'a stale If-Match is refused')
  res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: owner, payload: { because: 'budget' } })
  t.equal(res.statusCode, 400, 'the body, if any, is strict too')
  t.match(res.json().detail, /because/)
  res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: { ...owner, 'content-type': 'text/plain' }, payload: 'now' })
  t.equal(res.statusCode, 415)

  res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: { ...owner, 'if-match': '"1"' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers.etag, '"1"', 'withdrawal does not make a new baseline')
  t.match(res.json(), { id: project.id, status: 'withdrawn', version: 1 })

  res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: owner })
  t.equal(res.statusCode, 409)
  t.match(res.json(), { code: 'STATE_CONFLICT', detail: 'a project in state "withdrawn" cannot be withdrawn' })

  res = await patch(app, project.id, { title: 'For sent' }, { ...owner, 'if-match': '"1"' })
  t.equal(res.statusCode, 409)
  t.match(res.json(), { code: 'STATE_CONFLICT', detail: 'a project in state "withdrawn" cannot be revised' })

  const history = (await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/history`, headers: owner })).json().items
  t.same(history.map((e: { type: string }) => e.type), ['itraad.project.submitted', 'itraad.project.withdrawn'])
  t.match(history[1].data, {
    reference: project.reference,
    description: `Projekt ${project.reference} "Fælles regional booking-platform" trukket tilbage af Region Hovedstaden (var afventer vurdering).`,
    previousStatus: 'awaiting_assessment',
    status: 'withdrawn'
  })

  // withdrawing from a later state is allowed too, and a body is not needed
  const other = await submitProject(app)
  await setStatus(app, other.id, 'responded')
  res = await app.inject({ method: 'POST', url: `/v1/projects/${other.id}/withdraw`, headers: { ...owner, 'if-match': '*' }, payload: {} })
  t.equal(res.statusCode, 200)
  t.equal(res.json().status, 'withdrawn')
})
