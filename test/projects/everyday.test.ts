// Everyday use (API.md v1.1, "Integration and everyday use"): a project found by its reference,
// the answer to the letter read back, a withdrawal with its reason, a member's own cases, the
// gate's verdict on a draft, and / leading to the pages.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { failOnServerErrors, gatedProject, submitProject, ungatedProject } from '../helpers/fixtures.ts'
import { ANNE, BENT, assign, expectStatus, history, memberHeaders, respond, secretariat, submitter, withLetter } from '../review/helpers.ts'

t.test('a project is found by its reference, in any case, on every project route', async (t) => {
  const { app } = await build(t)
  failOnServerErrors(t)
  const project = await submitProject(app)
  const other = await submitProject(app, '1082', { ...ungatedProject({ title: 'Midtjyllands eget projekt' }), participatingRegions: ['1082'] })
  const owner = await submitter()

  const byReference = await app.inject({ method: 'GET', url: `/v1/projects/${project.reference}`, headers: owner })
  t.equal(byReference.statusCode, 200)
  t.equal(byReference.json().id, project.id)
  t.equal(byReference.headers.etag, '"1"')
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${project.reference.toLowerCase()}`, headers: owner })).json().id, project.id, 'lower case')

  const events = await app.inject({ method: 'GET', url: `/v1/projects/${project.reference}/history`, headers: owner })
  t.equal(events.statusCode, 200)
  t.equal(events.json().items[0].type, 'itraad.project.submitted', 'a sub-route takes the reference too')
  const revised = await app.inject({ method: 'PATCH', url: `/v1/projects/${project.reference}`, headers: { ...owner, 'if-match': '"1"' }, payload: { title: 'Nyt navn' } })
  t.equal(revised.statusCode, 200, 'and so does a change')
  t.equal(revised.json().id, project.id)

  // Unknown, or not visible to the caller: 404 alike. Neither a UUID nor a reference: 400.
  t.equal((await app.inject({ method: 'GET', url: '/v1/projects/ITR-2026-9999', headers: owner })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${other.reference}`, headers: owner })).statusCode, 404, 'another region\'s project')
  const bad = await app.inject({ method: 'GET', url: '/v1/projects/not-a-project', headers: owner })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().code, 'VALIDATION_FAILED')

  // q matches the reference as well as the title.
  const admin = bearer(await token('admin', 'ITR'))
  const found = await app.inject({ method: 'GET', url: `/v1/projects?q=${project.reference.slice(-4)}`, headers: admin })
  t.same(found.json().items.map((p: { id: string }) => p.id), [project.id])
  const byTitle = await app.inject({ method: 'GET', url: '/v1/projects?q=midtjyllands', headers: admin })
  t.same(byTitle.json().items.map((p: { id: string }) => p.id), [other.id])
})

t.test('GET …/response: the answer to the letter, for those who may read it', async (t) => {
  const { app } = await build(t)
  failOnServerErrors(t)
  const project = await submitProject(app)
  const url = `/v1/projects/${project.id}/response`

  t.equal((await app.inject({ method: 'GET', url, headers: await submitter() })).statusCode, 404, 'no answer yet')
  await withLetter(app, project.id)
  t.equal((await app.inject({ method: 'GET', url, headers: await submitter() })).statusCode, 404, 'a letter, no answer yet')
  expectStatus(await respond(app, project.id), 201)

  for (const [who, headers] of [
    ['owner', await submitter()],
    ['participating region', await submitter('1081')],
    ['council member', await memberHeaders(ANNE)],
    ['secretariat', await secretariat()],
    ['admin', bearer(await token('admin', 'ITR'))]
  ] as const) {
    const res = await app.inject({ method: 'GET', url, headers })
    t.equal(res.statusCode, 200, who)
    t.match(res.json(), { projectId: project.id, text: String, respondedBy: String, createdAt: String }, who)
  }
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${project.reference}/response`, headers: await submitter() })).statusCode, 200, 'by reference')
  t.equal((await app.inject({ method: 'GET', url, headers: bearer(await token('integration', 'ESDH')) })).statusCode, 403, 'integration')
  const stranger = await submitProject(app, '1082', { ...ungatedProject(), participatingRegions: ['1082'] })
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${stranger.id}/response`, headers: await submitter() })).statusCode, 404, 'a project the caller cannot see')
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${randomUUID()}/response`, headers: await submitter() })).statusCode, 404)
})

t.test('a withdrawal may give its reason: in the history and the case file', async (t) => {
  const { app } = await build(t)
  failOnServerErrors(t)
  const project = await submitProject(app)
  const reason = 'Projektet er lagt sammen med et andet regionalt projekt.'

  const tooLong = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: await submitter(), payload: { reason: 'x'.repeat(2001) } })
  t.equal(tooLong.statusCode, 400)
  const empty = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: await submitter(), payload: { reason: '   ' } })
  t.equal(empty.statusCode, 400, 'a blank reason is refused')
  t.equal((await app.inject({ method: 'GET', url: `/v1/projects/${project.id}`, headers: await submitter() })).json().status, 'awaiting_assessment', 'nothing changed')

  const res = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: await submitter(), payload: { reason } })
  t.equal(res.statusCode, 200)
  t.equal(res.json().status, 'withdrawn')
  const [event] = (await history(app, project.id, await submitter())).filter((e) => e.type === 'itraad.project.withdrawn')
  t.equal(event?.data.reason, reason)
  t.match(event?.data.description, `Begrundelse: ${reason}`)
  const caseFile = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/case-file`, headers: await secretariat() })
  t.equal(caseFile.json().events.find((e: { type: string }) => e.type === 'itraad.project.withdrawn').data.reason, reason)

  // Without a reason, as before: no `reason` in the event.
  const plain = await submitProject(app)
  t.equal((await app.inject({ method: 'POST', url: `/v1/projects/${plain.id}/withdraw`, headers: await submitter() })).statusCode, 200)
  const [plainEvent] = (await history(app, plain.id, await submitter())).filter((e) => e.type === 'itraad.project.withdrawn')
  t.notOk('reason' in (plainEvent?.data ?? {}))
})

t.test('assignedTo=me: a council member\'s own cases', async (t) => {
  const { app } = await build(t)
  failOnServerErrors(t)
  const mine = await submitProject(app)
  const notMine = await submitProject(app)
  expectStatus(await assign(app, mine.id, ANNE), 201)
  expectStatus(await assign(app, notMine.id, BENT), 201)

  const list = async (headers: Record<string, string>) =>
    (await app.inject({ method: 'GET', url: '/v1/projects?assignedTo=me', headers })).json().items.map((p: { id: string }) => p.id)
  t.same(await list(await memberHeaders(ANNE)), [mine.id])
  t.same(await list(await memberHeaders(BENT)), [notMine.id])
  t.same(await list(await secretariat()), [], 'nobody assigned the secretariat')
  t.equal((await app.inject({ method: 'GET', url: '/v1/projects?assignedTo=anne', headers: await secretariat() })).statusCode, 400, 'only "me"')
})

t.test('POST /v1/gate/preview: the verdict a submission would get, and nothing stored', async (t) => {
  const { app } = await build(t)
  failOnServerErrors(t)
  const body = gatedProject()
  const draft = { participatingRegions: body.participatingRegions, budgetLines: body.budgetLines }
  const preview = await app.inject({ method: 'POST', url: '/v1/gate/preview', headers: await submitter(), payload: draft })
  t.equal(preview.statusCode, 200)
  const project = await submitProject(app)
  const { evaluatedAt: _a, ...expected } = project.gating as Record<string, unknown>
  const { evaluatedAt: _b, ...got } = preview.json()
  t.same(got, { ...expected, eligibleCostDkk: project.eligibleCostDkk, totalCostDkk: project.totalCostDkk }, 'the same verdict as the submission')

  const below = await app.inject({ method: 'POST', url: '/v1/gate/preview', headers: await submitter(), payload: { ...draft, participatingRegions: ['1084'] } })
  t.equal(below.json().reviewRequired, false)
  const requested = await app.inject({ method: 'POST', url: '/v1/gate/preview', headers: await submitter(), payload: { ...draft, participatingRegions: ['1084'], reviewRequested: true } })
  t.equal(requested.json().reviewRequired, true)
  t.equal(requested.json().reasons.at(-1), 'review requested')

  const admin = bearer(await token('admin', 'ITR'))
  const before = (await app.inject({ method: 'GET', url: '/v1/projects', headers: admin })).json().items.length
  t.equal((await app.inject({ method: 'POST', url: '/v1/gate/preview', headers: await submitter(), payload: { ...draft, title: 'x' } })).statusCode, 400, 'unknown property')
  t.equal((await app.inject({ method: 'POST', url: '/v1/gate/preview', headers: await submitter(), payload: { participatingRegions: ['1084'], budgetLines: [] } })).statusCode, 400, 'no budget lines')
  t.equal((await app.inject({ method: 'POST', url: '/v1/gate/preview', headers: bearer(await token('council_member', '1081')), payload: draft })).statusCode, 403)
  t.equal((await app.inject({ method: 'GET', url: '/v1/projects', headers: admin })).json().items.length, before, 'a preview stores nothing')
})

t.test('GET / leads to the pages', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/' })
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, '/app/')
})
