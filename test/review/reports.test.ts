import { randomUUID } from 'node:crypto'
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { submitProject, ungatedProject } from '../helpers/fixtures.ts'
import { OWNER_ORG, expectStatus, history, memberHeaders, ANNE, reportStatus, respond, secretariat, statusReportBody, submitter, withLetter } from './helpers.ts'

t.test('the response: the owner answers the letter once', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)

  // 1. Before the letter there is nothing to answer.
  const early = await respond(app, project.id)
  t.equal(early.statusCode, 409)
  t.match(early.json(), { code: 'STATE_CONFLICT', detail: 'a project in state "awaiting_assessment" cannot receive a response to its letter' })

  await withLetter(app, project.id)

  // 2. A participating region sees the project but does not own it: 403. A stranger: 404. Other roles: 403.
  const participating = await respond(app, project.id, '1081')
  t.equal(participating.statusCode, 403)
  t.equal(participating.json().code, 'FORBIDDEN')
  const foreign = await submitProject(app, '1082', { ...ungatedProject(), participatingRegions: ['1082'] })
  t.equal((await respond(app, foreign.id)).statusCode, 404)
  t.equal((await respond(app, randomUUID())).statusCode, 404)
  for (const role of ['council_member', 'secretariat', 'integration', 'admin'] as const) {
    const res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/response`, headers: bearer(await token(role, OWNER_ORG)), payload: { text: 'svar' } })
    t.equal(res.statusCode, 403, role)
  }
  t.equal((await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/response`, headers: await submitter(), payload: { text: 'svar', extra: true } })).statusCode, 400)

  // 3. The owner answers, once.
  expectStatus(await respond(app, project.id), 201)
  const twice = await respond(app, project.id)
  t.equal(twice.statusCode, 409)
  t.match(twice.json(), { code: 'STATE_CONFLICT', detail: /"responded"/ })

  const events = (await history(app, project.id, await submitter())).filter((e) => e.type === 'itraad.response.received')
  t.equal(events.length, 1)
  t.equal(events[0]!.data.description, `Svar på anbefalingsbrevet modtaget for ${project.reference}.`)
})

t.test('status reports: after the letter, one per period, by the owner', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)

  const early = await reportStatus(app, project.id)
  t.equal(early.statusCode, 409)
  t.match(early.json(), { code: 'STATE_CONFLICT', detail: 'a project in state "awaiting_assessment" cannot receive a status report' })

  await withLetter(app, project.id)
  const report = expectStatus(await reportStatus(app, project.id, statusReportBody({ nonFinancialBenefits: null })), 201).json()
  t.match(report, { period: '2027-H1', cost: 'green', schedule: 'yellow', financialBenefits: 'green', nonFinancialBenefits: null, overall: 'yellow', comment: 'Planen holder.' })

  const again = await reportStatus(app, project.id, statusReportBody({ cost: 'red' }))
  t.equal(again.statusCode, 409)
  t.match(again.json(), { code: 'DUPLICATE', detail: /already has a status report for 2027-H1/ })

  t.equal((await reportStatus(app, project.id, statusReportBody({ period: '2028-H1' }), '1081')).statusCode, 403, 'participating region')
  for (const [what, body] of [
    ['bad period', statusReportBody({ period: '2027-H3' })],
    ['bad period form', statusReportBody({ period: '2027H1' })],
    ['bad light', statusReportBody({ cost: 'blue' })],
    ['missing light', statusReportBody({ schedule: undefined })],
    ['comment too long', statusReportBody({ comment: 'x'.repeat(5001) })],
    ['unknown property', statusReportBody({ overall: 'green' })]
  ] as const) {
    t.equal((await reportStatus(app, project.id, body)).statusCode, 400, what)
  }

  // A yellow report raises no alert; the events carry the lights.
  const events = await history(app, project.id, await submitter())
  t.equal(events.filter((e) => e.type === 'itraad.project.alert').length, 0)
  t.match(events.find((e) => e.type === 'itraad.status_report.submitted')?.data, {
    period: '2027-H1', overall: 'yellow', nonFinancialBenefits: null, description: `Statusrapport 2027-H1 for ${project.reference}: samlet gul.`
  })
})

t.test('status reports list newest period first, paged, for everyone who sees the project', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  await withLetter(app, project.id)
  for (const period of ['2027-H1', '2028-H2', '2027-H2', '2028-H1']) {
    expectStatus(await reportStatus(app, project.id, statusReportBody({ period })), 201)
  }
  const url = `/v1/projects/${project.id}/status-reports`
  const first = expectStatus(await app.inject({ method: 'GET', url: `${url}?limit=3`, headers: await submitter('1085') }), 200).json()
  t.same(first.items.map((r: { period: string }) => r.period), ['2028-H2', '2028-H1', '2027-H2'])
  const second = expectStatus(await app.inject({ method: 'GET', url: `${url}?limit=3&cursor=${first.nextCursor}`, headers: await memberHeaders(ANNE) }), 200).json()
  t.same(second.items.map((r: { period: string }) => r.period), ['2027-H1'])
  t.equal(second.nextCursor, null)
  t.equal((await app.inject({ method: 'GET', url: `${url}?cursor=eyJwZXJpb2QiOiInIG9yIDE9MSJ9`, headers: await submitter() })).statusCode, 400, 'a forged cursor')
  const foreign = await submitProject(app, '1082', { ...ungatedProject(), participatingRegions: ['1082'] })
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${foreign.id}/status-reports`, headers: await submitter() })).statusCode, 404)
})

t.test('who may read the case file', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  const url = `/v1/projects/${project.id}/case-file`

  const waiting = expectStatus(await app.inject({ method: 'GET', url, headers: await secretariat() }), 200).json()
  t.match(waiting, { project: { id: project.id, status: 'awaiting_assessment', letter: null }, letter: null, response: null, assignments: [], assessments: [], statusReports: [] })
  t.same(waiting.events.map((e: { type: string }) => e.type), ['itraad.project.submitted'])

  t.equal((await app.inject({ method: 'GET', url, headers: await submitter() })).statusCode, 200, 'owner')
  const participating = await app.inject({ method: 'GET', url, headers: await submitter('1081') })
  t.equal(participating.statusCode, 403, 'participating region')
  t.equal(participating.json().code, 'FORBIDDEN')
  for (const role of ['council_member', 'integration', 'admin'] as const) {
    t.equal((await app.inject({ method: 'GET', url, headers: bearer(await token(role, 'ITR')) })).statusCode, 403, role)
  }
  const foreign = await submitProject(app, '1082', { ...ungatedProject(), participatingRegions: ['1082'] })
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${foreign.id}/case-file`, headers: await submitter() })).statusCode, 404, 'invisible project')
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${randomUUID()}/case-file`, headers: await secretariat() })).statusCode, 404)
})
