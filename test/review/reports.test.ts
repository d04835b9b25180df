import { randomUUID } from 'node:crypto'
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { submitProject, ungatedProject } from '../helpers/fixtures.ts'
import { OWNER_ORG, backdateLetter, CARL, expectStatus, history, memberHeaders, ANNE, recentPeriods, register, reportStatus, respond, secretariat, statusReportBody, submitter, withLetter } from './helpers.ts'

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

t.test('status reports: after the letter, one per period, by the owner, measured against the approved baseline', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  const [current, previous] = recentPeriods(2) as [string, string]

  const early = await reportStatus(app, project.id)
  t.equal(early.statusCode, 409)
  t.match(early.json(), { code: 'STATE_CONFLICT', detail: 'a project in state "awaiting_assessment" cannot receive a status report' })

  await withLetter(app, project.id)
  // The form's preview: the same measure, nothing stored.
  const { period: _period, ...draft } = statusReportBody({ nonFinancialBenefits: null, forecastCostDkk: 10_600_000, forecastEndDate: '2029-08-29' })
  const preview = async (body: Record<string, unknown>, org = OWNER_ORG) =>
    app.inject({ method: 'POST', url: `/v1/projects/${project.id}/status-reports/preview`, headers: await submitter(org), payload: body })
  t.same(expectStatus(await preview(draft), 200).json(), {
    ownOverall: 'yellow', baselineVersion: 1, deviation: { costDkk: 600_000, costPct: 6, scheduleDays: 60, financialBenefitsPct: null }, indicatedLights: { cost: 'yellow', schedule: 'yellow', financialBenefits: null }
  })
  t.equal((await preview(draft, '1081')).statusCode, 403, 'a participating region')
  t.equal((await preview({ ...draft, forecastEndDate: '2026-01-01' })).statusCode, 422, 'an end before the planned start')
  t.equal((await preview({ ...draft, forecastCostDkk: -1 })).statusCode, 400)
  const created = expectStatus(await reportStatus(app, project.id, statusReportBody({ nonFinancialBenefits: null, forecastCostDkk: 10_600_000, forecastEndDate: '2029-08-29' })), 201)
  t.equal(created.headers.etag, '"1"')
  t.equal(created.headers.location, `/v1/projects/${project.id}/status-reports/${current}`)
  t.match(created.json(), {
    period: current,
    forecastCostDkk: 10_600_000,
    forecastEndDate: '2029-08-29',
    forecastFinancialBenefitsDkk: null,
    cost: 'green',
    schedule: 'yellow',
    financialBenefits: 'green',
    nonFinancialBenefits: null,
    ownOverall: 'yellow',
    overall: null,
    judgement: null,
    baselineVersion: 1,
    // 600,000 over 10,000,000 is 6.0 %: yellow (5–15); 60 days late: yellow (30–90); no benefits expected: no light.
    deviation: { costDkk: 600_000, costPct: 6, scheduleDays: 60, financialBenefitsPct: null },
    indicatedLights: { cost: 'yellow', schedule: 'yellow', financialBenefits: null },
    comment: 'Planen holder.',
    version: 1
  })

  const again = await reportStatus(app, project.id, statusReportBody({ cost: 'red' }))
  t.equal(again.statusCode, 409)
  t.match(again.json(), { code: 'DUPLICATE', detail: new RegExp(`already has a status report for ${current}`) })

  t.equal((await reportStatus(app, project.id, statusReportBody(), '1081')).statusCode, 403, 'participating region')
  for (const [what, body] of [
    ['bad period', statusReportBody({ period: '2027-H3' })],
    ['bad period form', statusReportBody({ period: '2027H1' })],
    ['bad light', statusReportBody({ cost: 'blue' })],
    ['missing light', statusReportBody({ schedule: undefined })],
    ['missing forecast', statusReportBody({ forecastCostDkk: undefined })],
    ['negative forecast', statusReportBody({ forecastCostDkk: -1 })],
    ['forecast over the money limit', statusReportBody({ forecastCostDkk: 10_000_000_000_001 })],
    ['negative benefits', statusReportBody({ forecastFinancialBenefitsDkk: -5 })],
    ['no such date', statusReportBody({ forecastEndDate: '2029-02-30' })],
    ['comment too long', statusReportBody({ comment: 'x'.repeat(5001) })],
    ['the council\'s light', statusReportBody({ overall: 'green' })]
  ] as const) {
    t.equal((await reportStatus(app, project.id, body)).statusCode, 400, what)
  }
  const [year, half] = current.split('-H').map(Number) as [number, number]
  const next = half === 1 ? `${year}-H2` : `${year + 1}-H1`
  for (const [what, body, detail] of [
    ['a future period', statusReportBody({ period: next }), new RegExp(`${next} has not begun`)],
    ['a period before the letter', statusReportBody({ period: previous }), new RegExp(`${previous} is before the letter`)]
  ] as const) {
    const res = await reportStatus(app, project.id, body)
    t.equal(res.statusCode, 422, what)
    t.match(res.json(), { code: 'RULE_VIOLATION', detail }, what)
  }

  // Nothing but the first report was written (the preview wrote nothing); a report raises no alert of its own.
  const events = await history(app, project.id, await submitter())
  t.equal(events.filter((e) => e.type === 'itraad.status_report.submitted').length, 1)
  t.equal(events.filter((e) => e.type === 'itraad.project.alert').length, 0)
  t.match(events.find((e) => e.type === 'itraad.status_report.submitted')?.data, {
    period: current,
    ownOverall: 'yellow',
    nonFinancialBenefits: null,
    deviation: { costPct: 6 },
    indicatedLights: { cost: 'yellow' },
    description: `Statusrapport ${current} for ${project.reference}: projektets egen samlede vurdering gul.`
  })
})

t.test('a report is corrected with If-Match until the council judges it; a red judgement raises the alert', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  await withLetter(app, project.id)
  const [period] = recentPeriods(1) as [string]
  const url = `/v1/projects/${project.id}/status-reports/${period}`
  expectStatus(await reportStatus(app, project.id, statusReportBody({ cost: 'red' })), 201)
  const { period: _period, ...content } = statusReportBody({ forecastCostDkk: 12_000_000, cost: 'yellow' })
  const put = async (headers: Record<string, string>, body: Record<string, unknown> = content) => app.inject({ method: 'PUT', url, headers: { ...(await submitter()), ...headers }, payload: body })

  t.equal((await put({})).statusCode, 428, 'If-Match is required')
  t.equal((await put({ 'if-match': '"7"' })).statusCode, 412, 'a stale version')
  t.equal((await put({ 'if-match': '"1"' }, { ...content, period })).statusCode, 400, 'the period is the path\'s')
  t.equal((await app.inject({ method: 'PUT', url: `/v1/projects/${project.id}/status-reports/2020-H1`, headers: { ...(await submitter()), 'if-match': '"1"' }, payload: content })).statusCode, 404, 'no report for the period')
  t.equal((await app.inject({ method: 'PUT', url, headers: { ...(await submitter('1081')), 'if-match': '"1"' }, payload: content })).statusCode, 403, 'a participating region')
  const early = await put({ 'if-match': '"1"' }, { ...content, forecastEndDate: '2026-12-31' })
  t.equal(early.statusCode, 422, 'an end before the planned start')
  t.match(early.json(), { code: 'RULE_VIOLATION', detail: /before the project's planned start \(2027-01-01\)/ })
  const corrected = expectStatus(await put({ 'if-match': '"1"' }), 200)
  t.equal(corrected.headers.etag, '"2"')
  t.match(corrected.json(), { period, version: 2, cost: 'yellow', ownOverall: 'yellow', deviation: { costDkk: 2_000_000, costPct: 20 }, indicatedLights: { cost: 'red' } })
  const read = expectStatus(await app.inject({ method: 'GET', url, headers: await submitter('1085') }), 200)
  t.equal(read.headers.etag, '"2"')
  t.same(read.json(), corrected.json(), 'GET by period shows the corrected report')

  // The council judges: once; then no correction. A yellow judgement raises no alert; here it is red.
  const judge = async (body: Record<string, unknown>, headers?: Record<string, string>) =>
    app.inject({ method: 'POST', url: `${url}/judgement`, headers: headers ?? await secretariat(), payload: body })
  t.equal((await judge({ overall: 'red', comment: 'x' }, await submitter())).statusCode, 403, 'the owner does not judge')
  t.equal((await judge({ overall: 'red', comment: 'x' }, bearer(await token('secretariat', 'SIR')))).statusCode, 404, 'the other council')
  for (const bad of [{ overall: 'blue', comment: 'x' }, { overall: 'red' }, { overall: 'red', comment: ' ' }]) t.equal((await judge(bad)).statusCode, 400, JSON.stringify(bad))
  const judged = expectStatus(await judge({ overall: 'red', comment: 'Økonomien skrider; rådet beder om en plan.' }), 200).json()
  t.match(judged, { overall: 'red', ownOverall: 'yellow', judgement: { overall: 'red', comment: /plan/, judgedBy: 'sekretariat-1', judgedAt: /Z$/ } })
  const twice = await judge({ overall: 'green', comment: 'x' })
  t.equal(twice.statusCode, 409)
  t.match(twice.json(), { code: 'DUPLICATE', detail: /already judged/ })
  const late = await put({ 'if-match': '"2"' })
  t.equal(late.statusCode, 409)
  t.match(late.json(), { code: 'STATE_CONFLICT', detail: /can no longer be corrected/ })

  const events = await history(app, project.id, await secretariat())
  t.same(events.filter((e) => e.type.startsWith('itraad.status_report.') || e.type === 'itraad.project.alert').map((e) => e.type),
    ['itraad.status_report.submitted', 'itraad.status_report.corrected', 'itraad.status_report.judged', 'itraad.project.alert'],
    'no alert for the project\'s own red; one for the council\'s')
  t.match(events.find((e) => e.type === 'itraad.project.alert')?.data, { reason: 'status_report_judged_red', period, overall: 'red', description: /rådet vurderer .* samlet rød/ })
  t.match(events.find((e) => e.type === 'itraad.status_report.corrected')?.data, { version: 2, deviation: { costPct: 20 } })
})

t.test('status reports list newest period first, paged, for everyone who sees the project', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  await withLetter(app, project.id)
  const periods = recentPeriods(4)
  // A letter from two years ago: the four latest half-years may all be reported.
  await backdateLetter(app, project.id, new Date(Date.now() - 2 * 366 * 86_400_000).toISOString())
  for (const period of [periods[2], periods[0], periods[3], periods[1]]) {
    expectStatus(await reportStatus(app, project.id, statusReportBody({ period })), 201)
  }
  const url = `/v1/projects/${project.id}/status-reports`
  const first = expectStatus(await app.inject({ method: 'GET', url: `${url}?limit=3`, headers: await submitter('1085') }), 200).json()
  t.same(first.items.map((r: { period: string }) => r.period), periods.slice(0, 3))
  await register(app, ANNE)
  const second = expectStatus(await app.inject({ method: 'GET', url: `${url}?limit=3&cursor=${first.nextCursor}`, headers: await memberHeaders(ANNE) }), 200).json()
  t.same(second.items.map((r: { period: string }) => r.period), periods.slice(3))
  t.equal(second.nextCursor, null)
  t.equal((await app.inject({ method: 'GET', url: `${url}?cursor=eyJwZXJpb2QiOiInIG9yIDE9MSJ9`, headers: await submitter() })).statusCode, 400, 'a forged cursor')
  // Who reads them: not a council member outside the review, not an integration.
  await register(app, CARL)
  const outsider = await app.inject({ method: 'GET', url, headers: await memberHeaders(CARL) })
  t.equal(outsider.statusCode, 403, 'a member not assigned to the review')
  t.match(outsider.json().detail, /members assigned to its review/)
  t.equal((await app.inject({ method: 'GET', url, headers: bearer(await token('integration', 'ESDH')) })).statusCode, 403, 'an integration')
  t.equal((await app.inject({ method: 'GET', url: `${url}/${periods[0]!}`, headers: await memberHeaders(CARL) })).statusCode, 403, 'one report, likewise')
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
