import { CloudEvent } from 'cloudevents'
import t from 'tap'
import { build } from '../helpers/build.ts'
import { submitProject } from '../helpers/fixtures.ts'
import {
  ANNE,
  BENT,
  assessmentBody,
  assess,
  assign,
  expectStatus,
  history,
  issueLetter,
  letterBody,
  backdateLetter,
  recentPeriods,
  reportStatus,
  respond,
  secretariat,
  statusReportBody,
  submitter
} from './helpers.ts'

t.test('from submission to a red status report: every step, its events and the case file', async (t) => {
  const { app } = await build(t)
  const owner = await submitter()

  // 1. A gated submission waits for the council.
  const project = await submitProject(app)
  t.equal(project.status, 'awaiting_assessment')
  const url = `/v1/projects/${project.id}`

  // 2. The secretariat assigns two members; the first starts the assessment.
  const first = expectStatus(await assign(app, project.id, ANNE), 201).json()
  t.match(first, { projectId: project.id, memberSub: 'anne', memberOrg: '1081', assignedBy: 'sekretariat-1', active: true, endedAt: null, endedReason: null })
  t.match(first.assignedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  let current = expectStatus(await app.inject({ method: 'GET', url, headers: owner }), 200)
  t.equal(current.json().status, 'under_assessment')
  t.equal(current.json().version, project.version, 'a review-state change does not bump the baseline version (the ETag)')
  expectStatus(await assign(app, project.id, BENT), 201)

  const assignments = expectStatus(await app.inject({ method: 'GET', url: `${url}/assignments`, headers: owner }), 200).json()
  t.same(assignments.items.map((a: { memberSub: string }) => a.memberSub), ['anne', 'bent'])
  t.equal(assignments.nextCursor, null)

  // 3. Both assess.
  const annes = expectStatus(await assess(app, project.id, ANNE), 201).json()
  t.match(annes, { memberSub: 'anne', memberOrg: '1081', memberName: 'ANNE', proposedProfile: 'B', baselineVersion: project.version, countsTowardLetter: true })
  t.same(annes.scores, assessmentBody().scores)
  expectStatus(await assess(app, project.id, BENT, assessmentBody({ proposedProfile: 'C', recommendations: undefined })), 201)
  const assessments = expectStatus(await app.inject({ method: 'GET', url: `${url}/assessments`, headers: owner }), 200).json()
  t.same(assessments.items.map((a: { memberSub: string, proposedProfile: string }) => [a.memberSub, a.proposedProfile]), [['anne', 'B'], ['bent', 'C']])
  t.same(assessments.items[1].recommendations, [], 'recommendations default to none')

  // 4. The letter: the verdict, shown on the project too.
  const letterRes = expectStatus(await issueLetter(app, project.id, letterBody({ riskProfile: 'B', externalReviewRecommended: true })), 201)
  t.equal(letterRes.headers.location, `${url}/letter`)
  const letter = letterRes.json()
  t.match(letter, { projectId: project.id, baselineVersion: project.version, riskProfile: 'B', externalReviewRecommended: true, issuedBy: 'sekretariat-1' })
  t.same(expectStatus(await app.inject({ method: 'GET', url: `${url}/letter`, headers: owner }), 200).json(), letter)
  current = expectStatus(await app.inject({ method: 'GET', url, headers: owner }), 200)
  t.equal(current.json().status, 'letter_issued')
  t.same(current.json().letter, { riskProfile: 'B', issuedAt: letter.issuedAt })

  // 5. The owner answers.
  const response = expectStatus(await respond(app, project.id), 201).json()
  t.match(response, { projectId: project.id, respondedBy: 'submitter-1084' })
  current = expectStatus(await app.inject({ method: 'GET', url, headers: owner }), 200)
  t.equal(current.json().status, 'responded')

  // 6. Two status reports (the letter dated back half a year); the second is the project's own red, and the council judges it red.
  await backdateLetter(app, project.id, new Date(Date.now() - 190 * 86_400_000).toISOString())
  const [now, before] = recentPeriods(2) as [string, string]
  const green = expectStatus(await reportStatus(app, project.id, statusReportBody({ period: before })), 201).json()
  t.match(green, { period: before, ownOverall: 'yellow', overall: null, nonFinancialBenefits: 'green' })
  const red = expectStatus(await reportStatus(app, project.id, statusReportBody({ period: now, cost: 'red', nonFinancialBenefits: undefined, comment: 'Leverandøren er forsinket.' })), 201).json()
  t.match(red, { period: now, cost: 'red', nonFinancialBenefits: null, ownOverall: 'red', overall: null, reportedBy: 'submitter-1084' })
  expectStatus(await app.inject({ method: 'POST', url: `${url}/status-reports/${now}/judgement`, headers: await secretariat(), payload: { overall: 'red', comment: 'Rådet deler vurderingen.' } }), 200)
  const reports = expectStatus(await app.inject({ method: 'GET', url: `${url}/status-reports`, headers: owner }), 200).json()
  t.same(reports.items.map((r: { period: string }) => r.period), [now, before], 'newest period first')
  t.same(reports.items.map((r: { overall: string | null }) => r.overall), ['red', null], 'the council\'s judgement')

  // 7. The history has every event, the alert right after the red judgement, each valid CloudEvents 1.0.
  const events = await history(app, project.id, owner)
  t.same(events.map((e) => e.type), [
    'itraad.project.submitted',
    'itraad.review.member_assigned',
    'itraad.review.member_assigned',
    'itraad.assessment.submitted',
    'itraad.assessment.submitted',
    'itraad.letter.issued',
    'itraad.response.received',
    'itraad.status_report.submitted',
    'itraad.status_report.submitted',
    'itraad.status_report.judged',
    'itraad.project.alert'
  ])
  for (const event of events) {
    t.doesNotThrow(() => new CloudEvent(event as never).validate(), `${event.type} is a valid CloudEvent`)
    t.equal(event.data.reference, project.reference, `${event.type} names the project`)
    t.match(event.data.description, /\S/, `${event.type} has a description`)
  }
  const byType = (type: string) => events.filter((e) => e.type === type)
  t.equal(byType('itraad.review.member_assigned')[0]!.data.description, `Rådsmedlem ANNE (Region Nordjylland) tilknyttet projekt ${project.reference}.`)
  t.match(byType('itraad.letter.issued')[0]!.data, { riskProfile: 'B', letterId: letter.id, description: `Anbefalingsbrev udstedt for ${project.reference} med risikoprofil B.` })
  t.equal(byType('itraad.status_report.submitted')[1]!.data.description, `Statusrapport ${now} for ${project.reference}: projektets egen samlede vurdering rød.`)
  t.match(byType('itraad.project.alert')[0]!.data, { reason: 'status_report_judged_red', period: now, overall: 'red', statusReportId: red.id })

  // 8. The case file holds all of it.
  for (const headers of [owner, await secretariat()]) {
    const caseFile = expectStatus(await app.inject({ method: 'GET', url: `${url}/case-file`, headers }), 200).json()
    t.match(caseFile.project, { id: project.id, reference: project.reference, status: 'responded', letter: { riskProfile: 'B' } })
    t.equal(caseFile.baselines.length, 1)
    t.match(caseFile.baselines[0], { version: 1, content: { title: project.title }, gating: { reviewRequired: true }, createdBy: 'submitter-1084' })
    t.same(caseFile.assignments.map((a: { memberSub: string }) => a.memberSub), ['anne', 'bent'])
    t.same(caseFile.conflicts, [])
    t.same(caseFile.assessments.map((a: { id: string }) => a.id), assessments.items.map((a: { id: string }) => a.id))
    t.same(caseFile.letter, { ...letter, issuedAt: caseFile.letter.issuedAt }, 'the letter (dated back above)')
    t.same(caseFile.response, response)
    t.same(caseFile.statusReports.map((r: { id: string }) => r.id), [red.id, green.id])
    t.same(caseFile.events.map((e: { type: string }) => e.type), events.map((e) => e.type))
    t.match(caseFile.generatedAt, /Z$/)
  }
})
