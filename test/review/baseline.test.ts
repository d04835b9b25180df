// After the letter: the approved baseline (API.md v1.1). The letter approves the version it
// answers; a revision makes a new version but not a new approved baseline until the secretariat
// approves the current one. Expected benefits travel with submissions and revisions.
import t from 'tap'
import { copenhagenDate } from '../../src/domain/calendar.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { gatedProject, submitProject } from '../helpers/fixtures.ts'
import { expectStatus, history, secretariat, submitter, withLetter } from './helpers.ts'

const BENEFITS = { financialDkk: 4_000_000, description: 'Færre manuelle bookinger og kortere ventetid.' }

t.test('expected benefits in submissions and revisions; bad ones are refused and change nothing', async (t) => {
  const { app } = await build(t)
  const without = await submitProject(app)
  t.equal(without.expectedBenefits, null, 'absent: null')
  const withBenefits = await submitProject(app, '1084', gatedProject({ expectedBenefits: BENEFITS }))
  t.same(withBenefits.expectedBenefits, BENEFITS)

  for (const bad of [{ financialDkk: -1, description: 'x' }, { financialDkk: 1.5, description: 'x' }, { financialDkk: 1 }, { ...BENEFITS, extra: 1 }, 'mange']) {
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers: await submitter(), payload: gatedProject({ expectedBenefits: bad }) })
    t.equal(res.statusCode, 400, JSON.stringify(bad))
  }
  const patch = async (body: Record<string, unknown>, version: number) => app.inject({
    method: 'PATCH', url: `/v1/projects/${without.id}`, headers: { ...(await submitter()), 'if-match': `"${version}"` }, payload: body
  })
  t.equal((await patch({ expectedBenefits: { financialDkk: -5, description: 'x' } }, 1)).statusCode, 400)
  const revised = expectStatus(await patch({ expectedBenefits: BENEFITS }, 1), 200).json()
  t.same(revised.expectedBenefits, BENEFITS)
  t.equal(revised.version, 2)
  const cleared = expectStatus(await patch({ expectedBenefits: null }, 2), 200).json()
  t.equal(cleared.expectedBenefits, null, 'null clears them')
  const caseFile = expectStatus(await app.inject({ method: 'GET', url: `/v1/projects/${without.id}/case-file`, headers: await submitter() }), 200).json()
  t.same(caseFile.baselines.map((b: { content: { expectedBenefits: unknown } }) => b.content.expectedBenefits), [null, BENEFITS, null], 'every version keeps its own')
})

t.test('the letter approves its version; a revision does not move it until the secretariat approves the current one', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app, '1084', gatedProject({ expectedBenefits: BENEFITS }))
  t.equal(project.approvedBaseline, null, 'none before the letter')
  const url = `/v1/projects/${project.id}`
  const approve = async (version: unknown, headers?: Record<string, string>) =>
    app.inject({ method: 'POST', url: `${url}/baseline-approvals`, headers: headers ?? await secretariat(), payload: { version } })

  const early = await approve(1)
  t.equal(early.statusCode, 409, 'before the letter')
  t.equal(early.json().code, 'STATE_CONFLICT')

  await withLetter(app, project.id)
  const today = copenhagenDate(new Date())
  const afterLetter = expectStatus(await app.inject({ method: 'GET', url, headers: await submitter() }), 200).json()
  t.same(afterLetter.approvedBaseline, {
    version: 1, approvedOn: today, eligibleCostDkk: project.eligibleCostDkk, totalCostDkk: project.totalCostDkk, plannedEnd: project.plannedEnd, expectedFinancialBenefitsDkk: 4_000_000
  }, 'the letter\'s version, approved on the letter\'s date')

  // A revision: version 2, the approved baseline stays at 1.
  const revised = expectStatus(await app.inject({
    method: 'PATCH',
    url,
    headers: { ...(await submitter()), 'if-match': '"1"' },
    payload: { plannedEnd: '2030-06-30', expectedBenefits: { financialDkk: 3_000_000, description: 'Lidt færre gevinster.' } }
  }), 200).json()
  t.equal(revised.version, 2)
  t.equal(revised.approvedBaseline.version, 1, 'a revision is not an approval')

  // Only the current version; bad bodies 400; other roles 403; the other council's secretariat 404.
  const old = await approve(1)
  t.equal(old.statusCode, 422)
  t.match(old.json(), { code: 'RULE_VIOLATION', detail: /only the project's current version \(2\) can be approved, not version 1/ })
  for (const bad of [0, 'two', 2.5, null]) t.equal((await approve(bad)).statusCode, 400, JSON.stringify(bad))
  t.equal((await approve(2, await submitter())).statusCode, 403, 'the owner does not approve')
  t.equal((await approve(2, bearer(await token('secretariat', 'SIR')))).statusCode, 404, 'another council\'s secretariat')
  t.equal(expectStatus(await app.inject({ method: 'GET', url, headers: await submitter() }), 200).json().approvedBaseline.version, 1, 'nothing changed')

  const approved = expectStatus(await approve(2), 200)
  t.equal(approved.headers.etag, '"2"', 'the version and ETag stay')
  t.same(approved.json().approvedBaseline, {
    version: 2, approvedOn: today, eligibleCostDkk: project.eligibleCostDkk, totalCostDkk: project.totalCostDkk, plannedEnd: '2030-06-30', expectedFinancialBenefitsDkk: 3_000_000
  })
  const twice = await approve(2)
  t.equal(twice.statusCode, 409)
  t.match(twice.json(), { code: 'DUPLICATE', detail: /version 2 is already the approved baseline/ })

  const events = (await history(app, project.id, await secretariat())).filter((e) => e.type === 'itraad.baseline.approved')
  t.equal(events.length, 1)
  t.match(events[0]!.data, { previousVersion: 1, approvedBaseline: { version: 2 }, description: /version 2 godkendt som baseline for rådets opfølgning \(i stedet for version 1\)\./ })
  const letter = (await history(app, project.id, await secretariat())).find((e) => e.type === 'itraad.letter.issued')
  t.match(letter?.data, { approvedBaseline: { version: 1, approvedOn: today } }, 'the letter\'s event names its approval')
})
