import { randomUUID } from 'node:crypto'
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { postgresOnly } from '../helpers/database.ts'
import { submitProject, ungatedProject } from '../helpers/fixtures.ts'
import { ANNE, BENT, OWNER_ORG, assess, assessedByTwo, assign, expectStatus, history, issueLetter, letterBody, memberHeaders, submitter } from './helpers.ts'

t.test('the letter needs both assigned members\' assessments', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)

  // Before any assignment the project is not under assessment.
  const early = await issueLetter(app, project.id)
  t.equal(early.statusCode, 409)
  t.match(early.json(), { code: 'STATE_CONFLICT', detail: 'a project in state "awaiting_assessment" cannot have a recommendation letter issued' })

  expectStatus(await assign(app, project.id, ANNE), 201)
  expectStatus(await assign(app, project.id, BENT), 201)
  const none = await issueLetter(app, project.id)
  t.equal(none.statusCode, 409)
  t.match(none.json(), { code: 'STATE_CONFLICT', detail: /0 of the 2 have assessed/ })

  expectStatus(await assess(app, project.id, ANNE), 201)
  const one = await issueLetter(app, project.id)
  t.equal(one.statusCode, 409)
  t.match(one.json(), { code: 'STATE_CONFLICT', detail: /1 of the 2 have assessed \(2 active members assigned\)/ })
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers: await submitter() })).statusCode, 404, 'no letter yet')

  expectStatus(await assess(app, project.id, BENT), 201)
  const letter = expectStatus(await issueLetter(app, project.id), 201).json()

  // A second letter for the same baseline.
  const second = await issueLetter(app, project.id)
  t.equal(second.statusCode, 409)
  t.match(second.json(), { code: 'STATE_CONFLICT', detail: /"letter_issued"/ })

  const events = (await history(app, project.id, await submitter())).filter((e) => e.type === 'itraad.letter.issued')
  t.equal(events.length, 1)
  t.match(events[0]!.data, { letterId: letter.id, riskProfile: 'B', baselineVersion: 1, externalReviewRecommended: false, recommendations: 1 })
})

t.test('who may issue and read the letter', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  await assessedByTwo(app, project.id)

  for (const role of ['submitter', 'council_member', 'integration', 'admin'] as const) {
    const res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/letter`, headers: bearer(await token(role, OWNER_ORG)), payload: letterBody() })
    t.equal(res.statusCode, 403, `${role} issues a letter`)
    t.equal(res.json().code, 'FORBIDDEN')
  }
  t.equal((await issueLetter(app, randomUUID())).statusCode, 404)
  for (const [what, body] of [
    ['unknown profile', letterBody({ riskProfile: 'E' })],
    ['missing externalReviewRecommended', letterBody({ externalReviewRecommended: undefined })],
    ['statement too long', letterBody({ statement: 'x'.repeat(20_001) })],
    ['too many recommendations', letterBody({ recommendations: Array.from({ length: 101 }, () => ({ category: 'c', text: 't' })) })],
    ['unknown property', letterBody({ approved: true })]
  ] as const) {
    t.equal((await issueLetter(app, project.id, body)).statusCode, 400, what)
  }
  const letter = expectStatus(await issueLetter(app, project.id), 201).json()

  // Everyone who can see the project reads the letter; others get 404.
  for (const headers of [await submitter(), await submitter('1083'), await memberHeaders(ANNE), bearer(await token('integration', 'ESDH'))]) {
    const res = expectStatus(await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers }), 200)
    t.same(res.json(), letter)
  }
  const foreign = await submitProject(app, '1082', { ...ungatedProject(), participatingRegions: ['1082'] })
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${foreign.id}/letter`, headers: await submitter() })).statusCode, 404)
})

t.test('two letters at once: exactly one 201 and one 409', postgresOnly, async (t) => {
  const { app } = await build(t)
  for (let round = 0; round < 5; round++) {
    const project = await submitProject(app)
    await assessedByTwo(app, project.id)
    const results = await Promise.all([
      issueLetter(app, project.id, letterBody({ riskProfile: 'A' })),
      issueLetter(app, project.id, letterBody({ riskProfile: 'D' }))
    ])
    t.same(results.map((r) => r.statusCode).sort(), [201, 409], `round ${round}`)
    const winner = results.find((r) => r.statusCode === 201)!.json()
    const letter = expectStatus(await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers: await submitter() }), 200).json()
    t.equal(letter.id, winner.id)
    const events = (await history(app, project.id, await submitter())).filter((e) => e.type === 'itraad.letter.issued')
    t.equal(events.length, 1, 'one letter event')
  }
})
