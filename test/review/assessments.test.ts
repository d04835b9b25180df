import { randomUUID } from 'node:crypto'
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { submitProject, ungatedProject } from '../helpers/fixtures.ts'
import { ANNE, BENT, CARL, OWNER_ORG, assess, assessmentBody, assign, declare, expectStatus, history, memberHeaders, secretariat, submitter } from './helpers.ts'

t.test('a member assesses once, and only when assigned', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  expectStatus(await assign(app, project.id, ANNE), 201)

  expectStatus(await assess(app, project.id, ANNE), 201)
  const twice = await assess(app, project.id, ANNE)
  t.equal(twice.statusCode, 409)
  t.match(twice.json(), { code: 'DUPLICATE', detail: /already assessed/ })

  const unassigned = await assess(app, project.id, BENT)
  t.equal(unassigned.statusCode, 409)
  t.match(unassigned.json(), { code: 'STATE_CONFLICT', detail: /not an assigned council member/ })

  const events = await history(app, project.id, await submitter())
  const submitted = events.filter((e) => e.type === 'itraad.assessment.submitted')
  t.equal(submitted.length, 1)
  t.match(submitted[0]!.data, { memberSub: 'anne', proposedProfile: 'B', description: `Rådsmedlem anne (1081) har afgivet risikovurdering af ${project.reference} med foreslået risikoprofil B.` })
})

t.test('a project must be under assessment to be assessed', async (t) => {
  const { app } = await build(t)

  // Awaiting: nobody assigned yet.
  const waiting = await submitProject(app)
  const early = await assess(app, waiting.id, ANNE)
  t.equal(early.statusCode, 409)
  t.match(early.json(), { code: 'STATE_CONFLICT', detail: 'a project in state "awaiting_assessment" cannot be assessed' })

  // Withdrawn by its owner while under assessment.
  const project = await submitProject(app)
  expectStatus(await assign(app, project.id, ANNE), 201)
  expectStatus(await app.inject({
    method: 'POST',
    url: `/v1/projects/${project.id}/withdraw`,
    headers: { ...(await submitter()), 'if-match': `"${project.version}"` }
  }), 200)
  const withdrawn = await assess(app, project.id, ANNE)
  t.equal(withdrawn.statusCode, 409)
  t.match(withdrawn.json(), { code: 'STATE_CONFLICT', detail: /"withdrawn"/ })

  t.equal((await assess(app, randomUUID(), ANNE)).statusCode, 404)
})

t.test('disqualification ends the assignment, blocks assessing and lets a replacement in', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  expectStatus(await assign(app, project.id, ANNE), 201)
  expectStatus(await assign(app, project.id, BENT), 201)
  expectStatus(await assess(app, project.id, ANNE), 201)

  // 1. Anne declares disqualification after assessing.
  const declared = expectStatus(await declare(app, project.id, ANNE), 201).json()
  t.match(declared, { projectId: project.id, memberSub: 'anne', memberOrg: '1081', ground: 'forvaltningsloven § 3, stk. 1, nr. 5' })
  t.equal((await declare(app, project.id, ANNE)).statusCode, 409, 'one declaration per member')

  // 2. Her assignment has ended and her assessment no longer counts.
  const assignments = expectStatus(await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/assignments`, headers: await secretariat() }), 200).json()
  t.match(assignments.items, [{ memberSub: 'anne', active: false, endedReason: 'disqualified' }, { memberSub: 'bent', active: true }])
  t.match(assignments.items[0].endedAt, /Z$/)
  const assessments = expectStatus(await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/assessments`, headers: await secretariat() }), 200).json()
  t.match(assessments.items, [{ memberSub: 'anne', countsTowardLetter: false }])

  // 3. A disqualified member cannot assess (here: Carl, disqualified before being assigned).
  expectStatus(await declare(app, project.id, CARL), 201)
  const carl = await assess(app, project.id, CARL)
  t.equal(carl.statusCode, 409)
  t.match(carl.json(), { code: 'STATE_CONFLICT', detail: /declared disqualification/ })

  // 4. Bent assesses; with one active member assessed the letter must wait.
  expectStatus(await assess(app, project.id, BENT), 201)
  const letter = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/letter`, headers: await secretariat(), payload: { statement: 'x', riskProfile: 'C', recommendations: [], externalReviewRecommended: false } })
  t.equal(letter.statusCode, 409)
  t.match(letter.json(), { detail: /1 of the 2 have assessed \(1 active member assigned\)/ })

  // 5. A replacement is assigned and assesses; now the letter can be issued.
  const dorte = { sub: 'dorte', org: '1082' }
  expectStatus(await assign(app, project.id, dorte), 201)
  expectStatus(await assess(app, project.id, dorte), 201)
  expectStatus(await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/letter`, headers: await secretariat(), payload: { statement: 'x', riskProfile: 'C', recommendations: [], externalReviewRecommended: false } }), 201)

  // 6. The declaration is an event carrying the ground; once the letter is out, no more declarations.
  const events = await history(app, project.id, await submitter())
  const conflict = events.find((e) => e.type === 'itraad.review.conflict_declared')
  t.match(conflict?.data, {
    memberSub: 'anne',
    ground: 'forvaltningsloven § 3, stk. 1, nr. 5',
    endedAssignmentId: assignments.items[0].id,
    description: `Rådsmedlem anne (1081) har erklæret sig inhabil i projekt ${project.reference}.`
  })
  t.notOk('statement' in (conflict?.data ?? {}), 'the statement stays in the case file')
  const late = await declare(app, project.id, BENT)
  t.equal(late.statusCode, 409)
  t.match(late.json(), { detail: 'a project in state "letter_issued" cannot take a declaration of conflict of interest' })
})

t.test('who may declare, assess and read assessments', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  expectStatus(await assign(app, project.id, ANNE), 201)
  expectStatus(await assess(app, project.id, ANNE), 201)
  const url = `/v1/projects/${project.id}`

  for (const role of ['submitter', 'secretariat', 'integration', 'admin'] as const) {
    const headers = bearer(await token(role, OWNER_ORG))
    t.equal((await app.inject({ method: 'POST', url: `${url}/assessments`, headers, payload: assessmentBody() })).statusCode, 403, `${role} assesses`)
    t.equal((await app.inject({ method: 'POST', url: `${url}/conflicts`, headers, payload: { ground: 'g', statement: 's' } })).statusCode, 403, `${role} declares`)
  }

  // Reading: the council, the secretariat, admins and the owner; not a participating region, not integrations.
  for (const [headers, status, who] of [
    [await memberHeaders(BENT), 200, 'council member'],
    [await secretariat(), 200, 'secretariat'],
    [bearer(await token('admin', 'ITR')), 200, 'admin'],
    [await submitter(), 200, 'owner'],
    [await submitter('1081'), 403, 'participating region'],
    [bearer(await token('integration', 'ESDH')), 403, 'integration']
  ] as const) {
    t.equal((await app.inject({ method: 'GET', url: `${url}/assessments`, headers })).statusCode, status, who)
  }
  const foreign = await submitProject(app, '1082', { ...ungatedProject(), participatingRegions: ['1082'] })
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${foreign.id}/assessments`, headers: await submitter() })).statusCode, 404, 'invisible project')
})

t.test('assessment bodies are strict', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  expectStatus(await assign(app, project.id, ANNE), 201)
  const scores = assessmentBody().scores
  const bad: Array<[string, Record<string, unknown>]> = [
    ['score above 4', assessmentBody({ scores: { ...scores, security: 5 } })],
    ['score below 1', assessmentBody({ scores: { ...scores, security: 0 } })],
    ['fractional score', assessmentBody({ scores: { ...scores, security: 2.5 } })],
    ['missing dimension', assessmentBody({ scores: { ...scores, security: undefined } })],
    ['unknown dimension', assessmentBody({ scores: { ...scores, legal: 2 } })],
    ['unknown profile', assessmentBody({ proposedProfile: 'E' })],
    ['unknown property', assessmentBody({ verdict: 'yes' })],
    ['empty summary', assessmentBody({ summary: ' ' })],
    ['summary too long', assessmentBody({ summary: 'x'.repeat(10_001) })],
    ['too many recommendations', assessmentBody({ recommendations: Array.from({ length: 51 }, () => ({ category: 'c', text: 't' })) })],
    ['category too long', assessmentBody({ recommendations: [{ category: 'c'.repeat(101), text: 't' }] })],
    ['NUL in the summary', assessmentBody({ summary: 'a\u0000b' })],
    ['line break in a category', assessmentBody({ recommendations: [{ category: 'a\nb', text: 't' }] })],
    // A lone surrogate is not Unicode; jsonb refuses its escape, so it must be a 400, not a 500.
    ['lone surrogate', assessmentBody({ recommendations: [{ category: 'c', text: 'x\ud800y' }] })]
  ]
  for (const [what, body] of bad) {
    const res = await assess(app, project.id, ANNE, body)
    t.equal(res.statusCode, 400, what)
    t.equal(res.json().code, 'VALIDATION_FAILED', what)
  }
  expectStatus(await assess(app, project.id, ANNE, assessmentBody({ summary: 'Linje 1\nLinje 2\tmed tab og 😀', recommendations: Array.from({ length: 50 }, () => ({ category: 'c', text: 't' })) })), 201)
})

t.test('the conflict rule holds for the organisation in the token, not only for what the secretariat typed', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app) // owned by OWNER_ORG (1084)
  const url = `/v1/projects/${project.id}`
  const cm5 = { sub: 'cm-5', org: '1082' }
  const cm6 = { sub: 'cm-6', org: '1082' }
  expectStatus(await assign(app, project.id, cm5), 201)
  expectStatus(await assign(app, project.id, cm6), 201)
  // Sealed first, so that no event gains its place in the chain between the two reads (PostgreSQL).
  await app.sealer.sealPending()
  const before = await history(app, project.id, await secretariat())
  const status = async () => expectStatus(await app.inject({ method: 'GET', url, headers: await secretariat() }), 200).json().status

  for (const [what, member] of [
    ['a token of the owning organisation', { sub: 'cm-5', org: OWNER_ORG }],
    ['a token of another organisation than the assigned one', { sub: 'cm-6', org: '1083' }]
  ] as const) {
    const res = await assess(app, project.id, member)
    t.equal(res.statusCode, 409, what)
    t.equal(res.json().code, 'CONFLICT_OF_INTEREST', what)
    t.match(res.json().detail, member.org === OWNER_ORG ? /you belong to 1084, the organisation that owns/ : /assigned .* as a member from 1082, but your token is for 1083/, what)
  }
  t.same(expectStatus(await app.inject({ method: 'GET', url: `${url}/assessments`, headers: await secretariat() }), 200).json().items, [], 'nothing written')
  t.same(await history(app, project.id, await secretariat()), before, 'no event')
  t.equal(await status(), 'under_assessment')

  // With the organisation they were assigned as, the same members assess; the stored org is the assigned one.
  t.match(expectStatus(await assess(app, project.id, cm5), 201).json(), { memberSub: 'cm-5', memberOrg: '1082' })
  t.match(expectStatus(await assess(app, project.id, cm6), 201).json(), { memberSub: 'cm-6', memberOrg: '1082' })
})
