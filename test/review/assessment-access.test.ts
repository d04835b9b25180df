import t from 'tap'
import { authAs, submitProject } from '../helpers/fixtures.ts'
import { build } from '../helpers/build.ts'
import { ANNE, BENT, CARL, assess, assessmentBody, assign, expectStatus, memberHeaders, register, secretariat, submitter } from './helpers.ts'

// One rule (src/modules/review/access.ts `mayReadAssessments`) decides who reads an assessment,
// on every way out that carries one: the assessments list, the history and the case file.
t.test('who sees assessment data, per role and way out', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app) // owned by 1084; 1081–1085 participate
  expectStatus(await assign(app, project.id, ANNE), 201)
  expectStatus(await assign(app, project.id, BENT), 201)
  expectStatus(await assess(app, project.id, ANNE), 201)
  expectStatus(await assess(app, project.id, BENT, assessmentBody({ proposedProfile: 'C' })), 201)
  await register(app, CARL)
  const url = `/v1/projects/${project.id}`

  // [who, headers, list status, sees in history, case-file status]; a 200 list or case file must carry the assessments.
  const table = [
    ['submitter of the owning organisation', await submitter(), 200, true, 200],
    ['submitter of a participating region', await submitter('1081'), 403, false, 403],
    ['council member (assigned)', await memberHeaders(ANNE), 200, true, 403],
    ['council member (not assigned)', await memberHeaders(CARL), 403, false, 403],
    ['secretariat', await secretariat(), 200, true, 200],
    ['integration', await authAs('integration', 'ESDH'), 403, false, 403],
    ['admin', await authAs('admin', 'ITR'), 200, true, 403]
  ] as const

  // The owner's history is the reference: what others are shown of it must be byte for byte the same.
  // Sealed first, so that no event gains its place in the chain between two reads (PostgreSQL).
  await app.sealer.sealPending()
  const full = expectStatus(await app.inject({ method: 'GET', url: `${url}/history`, headers: await submitter() }), 200).json().items as Array<{ type: string }>
  t.equal(full.filter((e) => e.type === 'itraad.assessment.submitted').length, 2, 'the reference history has both assessment events')

  for (const [who, headers, listStatus, historySees, caseFileStatus] of table) {
    await t.test(who, async (t) => {
      const list = await app.inject({ method: 'GET', url: `${url}/assessments`, headers })
      t.equal(list.statusCode, listStatus, 'assessments list')
      if (listStatus === 200) t.match(list.json().items, [{ memberSub: 'anne', proposedProfile: 'B' }, { memberSub: 'bent', proposedProfile: 'C' }])
      else t.notMatch(list.body, /proposedProfile|scores/, 'no assessment data in the refusal')

      const res = expectStatus(await app.inject({ method: 'GET', url: `${url}/history`, headers }), 200)
      const items = res.json().items as Array<{ type: string, data: Record<string, unknown> }>
      const submitted = items.filter((e) => e.type === 'itraad.assessment.submitted')
      t.equal(submitted.length, historySees ? 2 : 0, 'assessment events in the history')
      if (!historySees) t.notMatch(res.body, /"scores"|"proposedProfile"/, 'no scores or proposed profile anywhere in the history')
      const expected = historySees ? full : full.filter((e) => e.type !== 'itraad.assessment.submitted')
      t.same(items.map((e) => JSON.stringify(e)), expected.map((e) => JSON.stringify(e)), 'the events shown are unchanged, in order')

      const caseFile = await app.inject({ method: 'GET', url: `${url}/case-file`, headers })
      t.equal(caseFile.statusCode, caseFileStatus, 'case file')
      if (caseFileStatus === 200) {
        const body = caseFile.json()
        t.equal(body.assessments.length, 2, 'case file carries the assessments')
        t.equal(body.events.filter((e: { type: string }) => e.type === 'itraad.assessment.submitted').length, 2, 'and their events')
      } else {
        t.notMatch(caseFile.body, /proposedProfile|scores/, 'no assessment data in the refusal')
      }
    })
  }
})
