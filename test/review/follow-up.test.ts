// After the letter, the council's year: a decision after a red judgement, the owner's closure and
// up to two benefit reports within a year of completion (API.md v1.1, "Red means a decision",
// "Closure and benefits").
import t from 'tap'
import { copenhagenDate } from '../../src/domain/calendar.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { submitProject } from '../helpers/fixtures.ts'
import { backdateLetter, expectStatus, history, recentPeriods, reportStatus, secretariat, statusReportBody, submitter, withLetter } from './helpers.ts'

const daysAgo = (days: number) => copenhagenDate(new Date(Date.now() - days * 86_400_000))

t.test('a follow-up decision answers the council\'s red judgement, once', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  await withLetter(app, project.id)
  await backdateLetter(app, project.id, new Date(Date.now() - 190 * 86_400_000).toISOString())
  const url = `/v1/projects/${project.id}`
  const [now, before] = recentPeriods(2) as [string, string]
  const decide = async (body: Record<string, unknown>, headers?: Record<string, string>) =>
    app.inject({ method: 'POST', url: `${url}/follow-up-decisions`, headers: headers ?? await secretariat(), payload: body })
  const judge = async (period: string, overall: string) =>
    expectStatus(await app.inject({ method: 'POST', url: `${url}/status-reports/${period}/judgement`, headers: await secretariat(), payload: { overall, comment: 'Rådets vurdering.' } }), 200)
  const body = { track: 'new_baseline', note: 'Projektet udarbejder en ny tidsplan til godkendelse.' }

  const none = await decide(body)
  t.equal(none.statusCode, 409, 'no judgement yet')
  t.match(none.json(), { code: 'STATE_CONFLICT', detail: /latest judgement of a status report is not red/ })

  expectStatus(await reportStatus(app, project.id, statusReportBody({ period: before, cost: 'red' })), 201)
  t.equal((await decide(body)).statusCode, 409, 'a report the council has not judged')
  await judge(before, 'red')
  for (const bad of [{ track: 'panic', note: 'x' }, { track: 'new_baseline' }, { ...body, extra: 1 }]) t.equal((await decide(bad)).statusCode, 400, JSON.stringify(bad))
  t.equal((await decide(body, await submitter())).statusCode, 403, 'the owner does not decide')
  t.equal((await decide(body, bearer(await token('secretariat', 'SIR')))).statusCode, 404, 'the other council')

  const decided = expectStatus(await decide(body), 201).json()
  t.match(decided, { projectId: project.id, period: before, track: 'new_baseline', note: /ny tidsplan/, decidedBy: 'sekretariat-1', decidedAt: /Z$/ })
  const twice = await decide({ track: 'back_to_plan', note: 'x' })
  t.equal(twice.statusCode, 409)
  t.match(twice.json(), { code: 'DUPLICATE', detail: new RegExp(`already decided on the red judgement of ${before}`) })
  t.equal(expectStatus(await app.inject({ method: 'GET', url, headers: await submitter() }), 200).json().followUpTrack, 'new_baseline')

  // The next half-year is judged green: nothing left to decide.
  expectStatus(await reportStatus(app, project.id, statusReportBody({ period: now })), 201)
  await judge(now, 'green')
  t.equal((await decide(body)).statusCode, 409, 'the latest judgement is green')

  const events = (await history(app, project.id, await secretariat())).filter((e) => e.type === 'itraad.follow_up.decided')
  t.equal(events.length, 1)
  t.match(events[0]!.data, { track: 'new_baseline', period: before, statusReportId: decided.statusReportId, description: /: ny baseline\.$/ })
})

t.test('closure is final; up to two benefit reports follow within a year of completion', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  const url = `/v1/projects/${project.id}`
  const close = async (body: Record<string, unknown>, headers?: Record<string, string>) =>
    app.inject({ method: 'POST', url: `${url}/closure`, headers: headers ?? await submitter(), payload: body })
  const benefits = async (body: Record<string, unknown>) => app.inject({ method: 'POST', url: `${url}/benefit-reports`, headers: await submitter(), payload: body })
  const completedOn = daysAgo(400)
  const closure = { completedOn, finalCostDkk: 10_400_000, note: 'Platformen er i drift i alle fem regioner.' }

  t.equal((await close(closure)).statusCode, 409, 'before the letter')
  await withLetter(app, project.id)
  t.equal((await close(closure, await submitter('1081'))).statusCode, 403, 'a participating region')
  t.equal((await close(closure, await secretariat())).statusCode, 403, 'the secretariat')
  const future = await close({ ...closure, completedOn: daysAgo(-3) })
  t.equal(future.statusCode, 422)
  t.match(future.json(), { code: 'RULE_VIOLATION', detail: /in the future/ })
  for (const bad of [{ ...closure, finalCostDkk: -1 }, { ...closure, completedOn: '2026-13-01' }, { completedOn, finalCostDkk: 1 }]) t.equal((await close(bad)).statusCode, 400, JSON.stringify(bad))
  t.equal((await benefits({ reportedOn: daysAgo(0), realisedFinancialBenefitsDkk: 1, note: 'x' })).statusCode, 409, 'benefits before the closure')

  const [period] = recentPeriods(1) as [string]
  expectStatus(await reportStatus(app, project.id, statusReportBody({ period })), 201)
  const closed = expectStatus(await close(closure), 200).json()
  t.match(closed, { status: 'closed', closure: { completedOn, finalCostDkk: 10_400_000, note: /i drift/, closedAt: /Z$/ } })

  // Closed is final.
  t.equal((await close(closure)).statusCode, 409, 'closed twice')
  const another = await reportStatus(app, project.id)
  t.equal(another.statusCode, 409, 'no status report')
  t.match(another.json(), { code: 'STATE_CONFLICT', detail: /cannot receive a status report/ })
  const judged = await app.inject({ method: 'POST', url: `${url}/status-reports/${period}/judgement`, headers: await secretariat(), payload: { overall: 'green', comment: 'x' } })
  t.equal(judged.statusCode, 409, 'no judgement of its last report')
  t.match(judged.json(), { code: 'STATE_CONFLICT', detail: /cannot have a status report judged/ })
  t.equal((await app.inject({ method: 'PATCH', url, headers: { ...(await submitter()), 'if-match': '"1"' }, payload: { title: 'Ny titel' } })).statusCode, 409, 'no revision')
  t.equal((await app.inject({ method: 'POST', url: `${url}/withdraw`, headers: await submitter(), payload: {} })).statusCode, 409, 'no withdrawal')
  t.equal((await app.inject({ method: 'POST', url: `${url}/baseline-approvals`, headers: await secretariat(), payload: { version: 1 } })).statusCode, 409, 'no baseline approval')

  // Benefit reports: within a year of completion, not in the future, at most two.
  for (const [what, reportedOn, detail] of [
    ['before completion', daysAgo(401), /within 12 months of completion/],
    ['more than a year after', daysAgo(0), /within 12 months of completion/],
    ['in the future', daysAgo(-1), /in the future/]
  ] as const) {
    const res = await benefits({ reportedOn, realisedFinancialBenefitsDkk: 1_000_000, note: 'x' })
    t.equal(res.statusCode, 422, what)
    t.match(res.json(), { code: 'RULE_VIOLATION', detail }, what)
  }
  const first = expectStatus(await benefits({ reportedOn: daysAgo(300), realisedFinancialBenefitsDkk: 1_500_000, note: 'Første halvår i drift.' }), 201).json()
  t.match(first, { number: 1, reportedOn: daysAgo(300), realisedFinancialBenefitsDkk: 1_500_000 })
  expectStatus(await benefits({ reportedOn: daysAgo(40), realisedFinancialBenefitsDkk: 3_200_000, note: 'Et år i drift.' }), 201)
  const third = await benefits({ reportedOn: daysAgo(39), realisedFinancialBenefitsDkk: 3_300_000, note: 'x' })
  t.equal(third.statusCode, 409)
  t.match(third.json(), { code: 'DUPLICATE', detail: /at most twice/ })

  const list = expectStatus(await app.inject({ method: 'GET', url: `${url}/benefit-reports`, headers: await submitter('1085') }), 200).json()
  t.same(list.items.map((r: { number: number, realisedFinancialBenefitsDkk: number }) => [r.number, r.realisedFinancialBenefitsDkk]), [[1, 1_500_000], [2, 3_200_000]])
  const events = await history(app, project.id, await submitter())
  t.match(events.find((e) => e.type === 'itraad.project.closed')?.data, { completedOn, finalCostDkk: 10_400_000, previousStatus: 'letter_issued', status: 'closed' })
  t.match(events.filter((e) => e.type === 'itraad.benefit_report.submitted').map((e) => e.data.description), [/Gevinstopgørelse 1 .*1\.500\.000 kr\. realiseret/, /Gevinstopgørelse 2 .*3\.200\.000 kr\./])
})
