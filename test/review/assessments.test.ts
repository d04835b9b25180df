import { randomUUID } from 'node:crypto'
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { submitProject, ungatedProject } from '../helpers/fixtures.ts'
import { ANNE, BENT, CARL, OWNER_ORG, assess, assessmentBody, assign, decide, declare, expectStatus, history, issueLetter, memberHeaders, register, secretariat, submitter } from './helpers.ts'

t.test('a member assesses once, and only when assigned', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  expectStatus(await assign(app, project.id, ANNE), 201)

  expectStatus(await assess(app, project.id, ANNE), 201)
  const twice = await assess(app, project.id, ANNE)
  t.equal(twice.statusCode, 409)
  t.match(twice.json(), { code: 'DUPLICATE', detail: /already assessed/ })

  await register(app, BENT)
  const unassigned = await assess(app, project.id, BENT)
  t.equal(unassigned.statusCode, 409)
  t.match(unassigned.json(), { code: 'STATE_CONFLICT', detail: /not an assigned council member/ })

  const events = await history(app, project.id, await submitter())
  const submitted = events.filter((e) => e.type === 'itraad.assessment.submitted')
  t.equal(submitted.length, 1)
  t.match(submitted[0]!.data, { memberSub: 'anne', proposedProfile: 'B', memberName: 'ANNE', memberOrgName: 'Region Nordjylland', description: `Rådsmedlem ANNE (Region Nordjylland) har afgivet risikovurdering af ${project.reference} med foreslået risikoprofil B.` })
})

t.test('a project must be under assessment to be assessed', async (t) => {
  const { app } = await build(t)

  // Awaiting: nobody assigned yet.
  await register(app, ANNE)
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

t.test('disqualification is decided by the secretariat (forvaltningsloven §6)', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  const url = `/v1/projects/${project.id}`
  expectStatus(await assign(app, project.id, ANNE), 201)
  expectStatus(await assign(app, project.id, BENT), 201)
  expectStatus(await assess(app, project.id, ANNE), 201)
  const assignments = async () => expectStatus(await app.inject({ method: 'GET', url: `${url}/assignments`, headers: await secretariat() }), 200).json().items
  const assessments = async () => expectStatus(await app.inject({ method: 'GET', url: `${url}/assessments`, headers: await secretariat() }), 200).json().items

  // 1. Anne declares after assessing: pending; she keeps her place and her assessment still stands.
  const anne = expectStatus(await declare(app, project.id, ANNE), 201).json()
  t.match(anne, {
    projectId: project.id,
    memberSub: 'anne',
    memberOrg: '1081',
    memberName: 'ANNE',
    memberOrgName: 'Region Nordjylland',
    ground: 'forvaltningsloven § 3, stk. 1, nr. 5',
    statement: /rådgivet/,
    decision: 'pending',
    reason: null,
    decidedBy: null,
    decidedAt: null
  })
  t.equal((await declare(app, project.id, ANNE)).statusCode, 409, 'one declaration per member')
  t.match(await assignments(), [{ memberSub: 'anne', active: true }, { memberSub: 'bent', active: true }], 'the place is kept while pending')

  // 2. Bent assesses; the letter waits for the decision.
  expectStatus(await assess(app, project.id, BENT), 201)
  const early = await issueLetter(app, project.id)
  t.equal(early.statusCode, 409)
  t.match(early.json(), { code: 'STATE_CONFLICT', detail: /awaits the secretariat's decision/ })

  // 3. Carl declares before he is assigned: while pending he can be neither assigned nor assess.
  await register(app, CARL)
  const carl = expectStatus(await declare(app, project.id, CARL), 201).json()
  const carlAssigned = await assign(app, project.id, CARL)
  t.equal(carlAssigned.statusCode, 409)
  t.match(carlAssigned.json(), { code: 'CONFLICT_OF_INTEREST', detail: /CARL has declared disqualification .* the secretariat decides/ })
  const carlAssesses = await assess(app, project.id, CARL)
  t.equal(carlAssesses.statusCode, 409)
  t.match(carlAssesses.json(), { code: 'STATE_CONFLICT', detail: /only if the secretariat decides that you are not disqualified/ })

  // 4. Anne is disqualified: her assignment ends, her assessment no longer counts, a second decision is refused.
  const decided = expectStatus(await decide(app, project.id, anne.id, true), 200).json()
  t.match(decided, { id: anne.id, decision: 'disqualified', reason: /under et år/, decidedBy: 'sekretariat-1', decidedAt: /Z$/ })
  const twice = await decide(app, project.id, anne.id, false)
  t.equal(twice.statusCode, 409)
  t.match(twice.json(), { code: 'DUPLICATE', detail: /already been decided/ })
  t.match(await assignments(), [{ memberSub: 'anne', active: false, endedReason: 'disqualified' }, { memberSub: 'bent', active: true }])
  t.match(await assessments(), [{ memberSub: 'anne', countsTowardLetter: false }, { memberSub: 'bent', countsTowardLetter: true }])
  const again = await assign(app, project.id, ANNE)
  t.equal(again.statusCode, 409, 'a disqualified member cannot be assigned again')
  t.match(again.json(), { code: 'CONFLICT_OF_INTEREST', detail: /ANNE is disqualified/ })

  // 5. Carl is not disqualified: he takes the free place, assesses, and the letter can be issued.
  t.match(expectStatus(await decide(app, project.id, carl.id, false), 200).json(), { decision: 'not_disqualified' })
  expectStatus(await assign(app, project.id, CARL), 201)
  expectStatus(await assess(app, project.id, CARL), 201)
  expectStatus(await issueLetter(app, project.id), 201)

  // 6. The events carry the ground, the decision and the names, never the statement or the reason.
  const events = await history(app, project.id, await secretariat())
  const declared = events.filter((e) => e.type === 'itraad.review.conflict_declared')
  t.match(declared[0]?.data, {
    memberSub: 'anne',
    memberName: 'ANNE',
    memberOrgName: 'Region Nordjylland',
    ground: 'forvaltningsloven § 3, stk. 1, nr. 5',
    decision: 'pending',
    description: `Rådsmedlem ANNE (Region Nordjylland) har erklæret sig inhabil i projekt ${project.reference}; erklæringen afventer sekretariatets afgørelse.`
  })
  const decisions = events.filter((e) => e.type === 'itraad.review.conflict_decided')
  t.match(decisions.map((e) => e.data), [
    { conflictId: anne.id, memberName: 'ANNE', disqualified: true, endedAssignmentId: (await assignments())[0].id, description: /ANNE \(Region Nordjylland\) er inhabil/ },
    { conflictId: carl.id, memberName: 'CARL', disqualified: false, endedAssignmentId: null, description: /CARL \(Region Sjælland\) ikke er inhabil/ }
  ])
  const eventText = JSON.stringify([...declared, ...decisions])
  t.notMatch(eventText, /rådgivet|under et år|andet udbud/, 'no statement and no reason in any event')

  // 7. Once the letter is out, no more declarations.
  const late = await declare(app, project.id, BENT)
  t.equal(late.statusCode, 409)
  t.match(late.json(), { detail: 'a project in state "letter_issued" cannot take a declaration of conflict of interest' })
})

t.test('who reads declarations: the secretariat all, a member their own, the owner\'s case file without statements', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  const url = `/v1/projects/${project.id}`
  expectStatus(await assign(app, project.id, ANNE), 201)
  await register(app, BENT)
  const anne = expectStatus(await declare(app, project.id, ANNE), 201).json()
  const list = async (headers: Record<string, string>) => app.inject({ method: 'GET', url: `${url}/conflicts`, headers })

  t.match(expectStatus(await list(await secretariat()), 200).json().items, [{ id: anne.id, statement: /rådgivet/, decision: 'pending' }])
  t.match(expectStatus(await list(await memberHeaders(ANNE)), 200).json().items, [{ id: anne.id, statement: /rådgivet/ }], 'the declaring member')
  t.same(expectStatus(await list(await memberHeaders(BENT)), 200).json().items, [], 'another member sees none')
  for (const [headers, who] of [
    [await submitter(), 'owner'],
    [bearer(await token('admin', 'ITR')), 'admin'],
    [bearer(await token('integration', 'ESDH')), 'integration']
  ] as const) {
    t.equal((await list(headers)).statusCode, 403, who)
  }
  t.equal((await list(bearer(await token('secretariat', 'SIR')))).statusCode, 404, 'the other council\'s secretariat')

  const caseFile = expectStatus(await app.inject({ method: 'GET', url: `${url}/case-file`, headers: await submitter() }), 200).json()
  t.match(caseFile.conflicts, [{ id: anne.id, memberName: 'ANNE', ground: 'forvaltningsloven § 3, stk. 1, nr. 5', decision: 'pending' }])
  t.notMatch(JSON.stringify(caseFile), /rådgivet/, 'the statement is not in the owner\'s case file')

  // Deciding: the secretariat only; an unknown or another project's declaration is 404; a bad body 400.
  const other = await submitProject(app)
  expectStatus(await assign(app, other.id, ANNE), 201)
  const onOther = expectStatus(await declare(app, other.id, ANNE), 201).json()
  t.equal((await decide(app, project.id, onOther.id, true)).statusCode, 404, 'a declaration of another project')
  t.equal((await decide(app, project.id, randomUUID(), true)).statusCode, 404, 'unknown declaration')
  for (const payload of [{ disqualified: 'yes', reason: 'r' }, { disqualified: true }, { disqualified: true, reason: ' ' }, { disqualified: true, reason: 'r', extra: 1 }]) {
    const res = await app.inject({ method: 'POST', url: `${url}/conflicts/${anne.id}/decision`, headers: await secretariat(), payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
  }
  t.equal((await app.inject({ method: 'POST', url: `${url}/conflicts/${anne.id}/decision`, headers: await memberHeaders(ANNE), payload: { disqualified: false, reason: 'r' } })).statusCode, 403, 'a member decides their own')
  t.match(expectStatus(await list(await secretariat()), 200).json().items, [{ decision: 'pending' }], 'nothing decided')
})

t.test('who may declare, assess and read assessments', async (t) => {
  const { app } = await build(t)
  const project = await submitProject(app)
  expectStatus(await assign(app, project.id, ANNE), 201)
  expectStatus(await assess(app, project.id, ANNE), 201)
  await register(app, BENT)
  const url = `/v1/projects/${project.id}`

  for (const role of ['submitter', 'secretariat', 'integration', 'admin'] as const) {
    const headers = bearer(await token(role, OWNER_ORG))
    t.equal((await app.inject({ method: 'POST', url: `${url}/assessments`, headers, payload: assessmentBody() })).statusCode, 403, `${role} assesses`)
    t.equal((await app.inject({ method: 'POST', url: `${url}/conflicts`, headers, payload: { ground: 'g', statement: 's' } })).statusCode, 403, `${role} declares`)
  }

  // Reading: the assigned members, the secretariat, admins and the owner; not another member, not a participating region, not integrations.
  for (const [headers, status, who] of [
    [await memberHeaders(ANNE), 200, 'assigned council member'],
    [await memberHeaders(BENT), 403, 'council member not assigned'],
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
