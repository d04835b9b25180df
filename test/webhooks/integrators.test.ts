import { sql } from 'drizzle-orm'
import type { FastifyInstance, HTTPMethods, LightMyRequestResponse } from 'fastify'
import { Webhook } from 'standardwebhooks'
import t, { type Test } from 'tap'
import { EVENT_TYPES } from '../../src/db/unit-of-work.ts'
import { feedPage } from '../audit/helpers.ts'
import { build } from '../helpers/build.ts'
import { postgresOnly } from '../helpers/database.ts'
import { authAs, failOnServerErrors, submitProject } from '../helpers/fixtures.ts'
import { startReceiver, type ReceivedRequest } from './receiver.ts'

// Webhooks for integrators (API.md v1.1, "Webhooks for integrators" and "Own webhooks"): an
// integration manages its own organisation's endpoints, an admin all of them; PATCH with
// If-Match; secret rotation with 24 h of double signatures.

t.setTimeout(600_000)

const OWN = '1084'
const OTHER = '1081'
const integration = (org: string) => authAs('integration', org, { sub: `crm-${org}` })
const admin = () => authAs('admin', 'ITR', { sub: 'admin-anne' })

function expectStatus (t: Test, res: LightMyRequestResponse, status: number, what: string): LightMyRequestResponse {
  t.equal(res.statusCode, status, res.statusCode === status ? what : `${what}: ${res.body.slice(0, 300)}`)
  return res
}

async function registerAs (app: FastifyInstance, headers: Record<string, string>, url: string, eventTypes: string[]) {
  const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: { url, eventTypes } })
  if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string, secret: string, org: string | null }
}

t.test('an integration registers, reads, changes and deletes its own endpoints; another org\'s are 404', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off', WEBHOOK_ALLOW_PRIVATE: 'false' }, routes: failOnServerErrors(t) })
  const own = await integration(OWN)
  const other = await integration(OTHER)

  // 1. registered for the caller's org, with ETag "1"
  const created = expectStatus(t, await app.inject({ method: 'POST', url: '/v1/webhooks', headers: own, payload: { url: 'https://crm.example.com/hook', eventTypes: ['itraad.letter.issued'] } }), 201, 'register')
  const hook = created.json()
  t.equal(created.headers.etag, '"1"')
  t.match(hook, { org: OWN, createdBy: `crm-${OWN}`, previousSecretExpiresAt: null, active: true })
  const read = expectStatus(t, await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers: own }), 200, 'GET own')
  t.equal(read.headers.etag, '"1"')
  t.match(read.json(), { id: hook.id, org: OWN })

  // 2. lists: the own org's endpoints only; the admin sees all, an endpoint from before v1.1 (no org) too
  const adminHook = await registerAs(app, await admin(), 'https://ops.example.com/hook', ['*'])
  t.equal(adminHook.org, 'ITR', 'an admin\'s endpoint belongs to the admin\'s org')
  const legacy = await registerAs(app, await admin(), 'https://legacy.example.com/hook', ['*'])
  await app.db.execute(sql`update webhooks set org = null where id = ${legacy.id}`)
  const ids = async (headers: Record<string, string>) =>
    (expectStatus(t, await app.inject({ method: 'GET', url: '/v1/webhooks', headers }), 200, 'list').json().items as Array<{ id: string }>).map((w) => w.id)
  t.same(await ids(own), [hook.id])
  t.same(await ids(other), [])
  t.same(await ids(await admin()), [legacy.id, adminHook.id, hook.id])
  expectStatus(t, await app.inject({ method: 'GET', url: `/v1/webhooks/${legacy.id}`, headers: own }), 404, 'no integration sees an endpoint without org')
  t.match((await app.inject({ method: 'GET', url: `/v1/webhooks/${legacy.id}`, headers: await admin() })).json(), { org: null })

  // 3. another org's integration: 404 for every operation, and nothing changes
  const delivery = '00000000-0000-4000-8000-000000000000'
  const foreign: Array<[string, { method: HTTPMethods, url: string, headers?: Record<string, string>, payload?: Record<string, unknown> }]> = [
    ['GET', { method: 'GET', url: `/v1/webhooks/${hook.id}` }],
    ['PATCH', { method: 'PATCH', url: `/v1/webhooks/${hook.id}`, headers: { 'if-match': '"1"' }, payload: { active: false } }],
    ['rotate', { method: 'POST', url: `/v1/webhooks/${hook.id}/secret` }],
    ['deliveries', { method: 'GET', url: `/v1/webhooks/${hook.id}/deliveries` }],
    ['retry', { method: 'POST', url: `/v1/webhooks/${hook.id}/deliveries/${delivery}/retry` }],
    ['DELETE', { method: 'DELETE', url: `/v1/webhooks/${hook.id}` }]
  ]
  for (const [what, request] of foreign) {
    const res = await app.inject({ ...request, headers: { ...other, ...request.headers } })
    expectStatus(t, res, 404, `another org: ${what}`)
    t.match(res.json(), { detail: 'webhook not found' }, `another org: ${what} is told nothing more`)
  }
  t.match((await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers: own })).json(), { active: true }, 'the endpoint is untouched')
  t.equal((await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers: own })).headers.etag, '"1"')

  // 4. PATCH: If-Match required (428), a stale tag 412, the body strict and checked like registration's
  const patch = (headers: Record<string, string>, payload: unknown) =>
    app.inject({ method: 'PATCH', url: `/v1/webhooks/${hook.id}`, headers, payload: payload as Record<string, unknown> })
  t.match(expectStatus(t, await patch(own, { active: false }), 428, 'no If-Match').json(), { detail: /If-Match/ })
  expectStatus(t, await patch({ ...own, 'if-match': '*' }, { active: false }), 428, 'If-Match: *')
  t.match(expectStatus(t, await patch({ ...own, 'if-match': '"7"' }, { active: false }), 412, 'stale If-Match').json(), { detail: /version 1/ })
  expectStatus(t, await patch({ ...own, 'if-match': '"1"' }, {}), 400, 'an empty body')
  expectStatus(t, await patch({ ...own, 'if-match': '"1"' }, { active: false, secret: 'mine' }), 400, 'an unknown field')
  expectStatus(t, await patch({ ...own, 'if-match': '"1"' }, { url: 'https://10.0.0.7/hook' }), 400, 'a private address')
  expectStatus(t, await patch({ ...own, 'if-match': '"1"' }, { url: 'http://crm.example.com/hook' }), 400, 'plain http')
  t.equal((await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers: own })).headers.etag, '"1"', 'nothing refused changed the version')

  const changed = expectStatus(t, await patch({ ...own, 'if-match': '"1"' }, { url: 'https://crm2.example.com/v2/hook', eventTypes: ['*'], active: false }), 200, 'PATCH')
  t.equal(changed.headers.etag, '"2"')
  t.match(changed.json(), { id: hook.id, url: 'https://crm2.example.com/v2/hook', eventTypes: ['*'], active: false, disabledReason: `deactivated by crm-${OWN}`, org: OWN })
  const again = await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers: own })
  t.equal(again.headers.etag, '"2"')
  t.same(again.json(), changed.json(), 'GET answers what PATCH answered')
  expectStatus(t, await patch({ ...own, 'if-match': '"1"' }, { active: true }), 412, 'the old ETag is stale now')

  // 5. the admin changes and rotates the integration's endpoint too; the integration deletes it
  const reactivated = expectStatus(t, await patch({ ...(await admin()), 'if-match': '"2"' }, { active: true }), 200, 'admin PATCH')
  t.match(reactivated.json(), { active: true, disabledReason: null })
  expectStatus(t, await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/secret`, headers: own }), 200, 'rotate')
  expectStatus(t, await app.inject({ method: 'DELETE', url: `/v1/webhooks/${hook.id}`, headers: own }), 204, 'DELETE own')
  expectStatus(t, await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers: own }), 404, 'deleted')

  // 6. every change is in the feed, with a Danish description and no secret
  await app.sealer.sealPending()
  const events = (await feedPage(app, 'after=0&limit=200')).items.filter((e) => e.subject === `webhooks/${hook.id}`)
  t.same(events.map((e) => e.type), ['itraad.webhook.registered', 'itraad.webhook.changed', 'itraad.webhook.changed', 'itraad.webhook.secret_rotated', 'itraad.webhook.deleted'])
  t.match(events[1], {
    authid: `crm-${OWN}`,
    actororg: OWN,
    data: {
      webhookId: hook.id,
      host: 'crm2.example.com',
      previousHost: 'crm.example.com',
      changedFields: ['url', 'eventTypes', 'active'],
      eventTypes: ['*'],
      active: false,
      version: 2,
      description: 'Webhook til crm.example.com: adressen flyttet til crm2.example.com, abonnerer nu på alle hændelsestyper, gjort inaktiv'
    }
  })
  t.match(events[2], { authid: 'admin-anne', data: { changedFields: ['active'], active: true, version: 3, description: 'Webhook til crm2.example.com: gjort aktiv igen' } })
  t.match(events[3], { data: { webhookId: hook.id, host: 'crm2.example.com', version: 4, previousSecretExpiresAt: /Z$/, description: 'Ny hemmelighed til webhook til crm2.example.com; den forrige signerer også leverancerne i 24 timer' } })
  t.match(events[4], { data: { webhookId: hook.id, host: 'crm2.example.com', description: 'Webhook til crm2.example.com slettet' } })
  t.notMatch(JSON.stringify(events), /whsec_|\/v2\/hook/, 'neither a secret nor a path is in the events')
})

t.test('the 400s name the valid event types and WEBHOOK_ALLOW_PRIVATE, in English and in Danish', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off', WEBHOOK_ALLOW_PRIVATE: 'false' }, routes: failOnServerErrors(t) })
  const headers = await integration(OWN)
  const post = (payload: Record<string, unknown>, language = 'en') =>
    app.inject({ method: 'POST', url: '/v1/webhooks', headers: { ...headers, 'accept-language': language }, payload })

  // 1. an unknown event type: every valid one is listed, in the detail and in errors[]
  for (const language of ['en', 'da']) {
    const res = expectStatus(t, await post({ url: 'https://crm.example.com/hook', eventTypes: ['itraad.letter.issued', 'itraad.letter.sent'] }, language), 400, `unknown type (${language})`)
    const problem = res.json()
    t.match(problem.errors, [{ path: '/eventTypes/1' }])
    for (const type of [...EVENT_TYPES, '*']) {
      t.ok(problem.detail.includes(type), `${language}: the detail names ${type}`)
      t.ok(problem.errors[0].message.includes(type), `${language}: errors[] names ${type}`)
    }
    t.match(problem.detail, language === 'da' ? /skal være en af/ : /must be one of/)
  }

  // 2. plain http, a private address, localhost: the answer names WEBHOOK_ALLOW_PRIVATE
  const cases: Array<[string, RegExp, RegExp]> = [
    ['http://crm.example.com/hook', /must be an https URL .*WEBHOOK_ALLOW_PRIVATE=true/, /skal være en https-URL .*WEBHOOK_ALLOW_PRIVATE=true/],
    ['https://192.168.1.20/hook', /non-public address \(private\) unless .*WEBHOOK_ALLOW_PRIVATE=true/, /ikke-offentlig adresse \(private\), medmindre .*WEBHOOK_ALLOW_PRIVATE=true/],
    ['https://localhost/hook', /localhost unless .*WEBHOOK_ALLOW_PRIVATE=true/, /localhost, medmindre .*WEBHOOK_ALLOW_PRIVATE=true/]
  ]
  for (const [url, english, danish] of cases) {
    const en = expectStatus(t, await post({ url, eventTypes: ['*'] }), 400, url).json()
    t.match(en, { detail: english, errors: [{ path: '/url', message: english }] }, `${url} (en)`)
    const da = expectStatus(t, await post({ url, eventTypes: ['*'] }, 'da'), 400, url).json()
    t.match(da, { detail: danish, errors: [{ path: '/url', message: danish }] }, `${url} (da)`)
  }
  t.same((await app.inject({ method: 'GET', url: '/v1/webhooks', headers })).json().items, [], 'nothing was registered')
})

/** Verifies a received request with the official Standard Webhooks library; throws when no signature verifies. */
function verify (request: ReceivedRequest, secret: string): unknown {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>)
}

t.test('rotation: both secrets sign for 24 hours, then only the new one; a second rotation drops the first secret', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const receiver = await startReceiver(t)
  const headers = await integration(OWN)
  const hook = await registerAs(app, headers, receiver.url(), ['itraad.project.submitted'])
  const rotate = (extra: Record<string, string> = {}) => app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/secret`, headers: { ...headers, ...extra } })
  /** Submits a project and delivers its event: the request the receiver got. */
  const deliverOne = async () => {
    await submitProject(app)
    await app.sealer.sealPending()
    t.equal(await app.webhookDispatcher.dispatchDue(), 1, 'one delivery')
    return receiver.requests.at(-1)!
  }

  // 1. before any rotation: one signature
  const first = await deliverOne()
  t.match(first.headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/)
  t.ok(verify(first, hook.secret))

  // 2. rotation: the new secret once, the previous one's expiry 24 h ahead, a new ETag
  expectStatus(t, await rotate({ 'if-match': '"5"' }), 412, 'a stale If-Match')
  const started = Date.now()
  const rotated = expectStatus(t, await rotate({ 'if-match': '"1"' }), 200, 'rotate')
  const body = rotated.json()
  t.equal(rotated.headers.etag, '"2"')
  t.match(body, { id: hook.id, org: OWN, secret: /^whsec_[A-Za-z0-9+/]+=*$/, previousSecretExpiresAt: /Z$/ })
  t.not(body.secret, hook.secret)
  const expiresIn = Date.parse(body.previousSecretExpiresAt) - started
  t.ok(expiresIn > 23.9 * 3600_000 && expiresIn < 24.1 * 3600_000, `the previous secret signs for 24 h (${expiresIn} ms)`)
  const read = await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers })
  t.equal(read.json().previousSecretExpiresAt, body.previousSecretExpiresAt)
  t.notMatch(read.body, /whsec_/, 'the new secret is not shown again')

  // 3. during the overlap a delivery carries both signatures: a receiver verifies with either secret
  const overlap = await deliverOne()
  t.match(overlap.headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=* v1,[A-Za-z0-9+/]+=*$/)
  t.ok(verify(overlap, body.secret), 'the new secret verifies')
  t.ok(verify(overlap, hook.secret), 'the old secret verifies')

  // 4. after the overlap only the new secret signs
  await app.db.execute(sql`update webhooks set previous_secret_expires_at = now() - interval '1 second' where id = ${hook.id}`)
  t.equal((await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers })).json().previousSecretExpiresAt, null)
  const after = await deliverOne()
  t.match(after.headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/)
  t.ok(verify(after, body.secret), 'the new secret verifies')
  t.throws(() => verify(after, hook.secret), 'the old secret no longer verifies')

  // 5. two rotations within the overlap: the first of them becomes previous, then is dropped
  const second = expectStatus(t, await rotate(), 200, 'second rotation').json()
  const third = expectStatus(t, await rotate(), 200, 'third rotation').json()
  t.ok(Date.parse(third.previousSecretExpiresAt) >= Date.parse(second.previousSecretExpiresAt), 'a fresh 24 h')
  const last = await deliverOne()
  t.equal(String(last.headers['webhook-signature']).split(' ').length, 2, 'two signatures, not three')
  t.ok(verify(last, third.secret), 'the newest secret verifies')
  t.ok(verify(last, second.secret), 'the secret it replaced verifies')
  t.throws(() => verify(last, body.secret), 'the secret before that no longer verifies')
  t.equal((await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers })).headers.etag, '"4"')
})

t.test('deactivating dead-letters what is pending; re-activating after a 410 delivers new events, the dead letters stay dead', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const receiver = await startReceiver(t)
  const headers = await integration(OWN)
  const hook = await registerAs(app, headers, receiver.url(), ['itraad.project.submitted'])
  const deliveries = async (query = '') => (await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}/deliveries${query}`, headers })).json().items as Array<{ id: string, status: string, lastError: string | null }>
  const patch = async (payload: Record<string, unknown>) => {
    const etag = (await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers })).headers.etag as string
    return expectStatus(t, await app.inject({ method: 'PATCH', url: `/v1/webhooks/${hook.id}`, headers: { ...headers, 'if-match': etag }, payload }), 200, `PATCH ${JSON.stringify(payload)}`).json()
  }

  // 1. a pending delivery becomes a dead letter when the endpoint is deactivated; it cannot be retried while inactive
  await submitProject(app)
  await app.sealer.sealPending()
  const [pending] = await deliveries()
  t.equal(pending!.status, 'pending')
  await patch({ active: false })
  t.match(await deliveries(), [{ id: pending!.id, status: 'dead', lastError: 'endpoint deactivated' }])
  const refused = await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/deliveries/${pending!.id}/retry`, headers })
  expectStatus(t, refused, 409, 'retry while inactive')

  // 2. active again, then the endpoint answers 410 Gone: disabled
  await patch({ active: true })
  await submitProject(app)
  await app.sealer.sealPending()
  receiver.answer({ status: 410 })
  await app.webhookDispatcher.dispatchDue()
  t.match((await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers })).json(), { active: false, disabledReason: /410 Gone/ })

  // 3. re-activated: events sealed from now on are delivered; the dead letters stay dead until retried by hand
  const reactivated = await patch({ active: true })
  t.match(reactivated, { active: true, disabledReason: null })
  await submitProject(app)
  await app.sealer.sealPending()
  t.equal(await app.webhookDispatcher.dispatchDue(), 1, 'only the new event is delivered')
  const statuses = (await deliveries()).map((d) => d.status)
  t.same(statuses, ['succeeded', 'dead', 'dead'])
  expectStatus(t, await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/deliveries/${pending!.id}/retry`, headers }), 202, 'retry by hand')
  t.equal(await app.webhookDispatcher.dispatchDue(), 1)
  t.same((await deliveries()).map((d) => d.status).sort(), ['dead', 'succeeded', 'succeeded'])
})

t.test('racing changes of one endpoint: one PATCH or rotation wins, the others with the same ETag are 412', postgresOnly, async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, poolSize: 8, routes: failOnServerErrors(t) })
  const headers = { ...(await integration(OWN)), 'if-match': '"1"' }
  const hook = await registerAs(app, headers, 'https://crm.example.com/hook', ['*'])
  const racing = await Promise.all([
    ...Array.from({ length: 4 }, (_, i) => app.inject({ method: 'PATCH', url: `/v1/webhooks/${hook.id}`, headers, payload: { eventTypes: [EVENT_TYPES[i]!] } })),
    app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/secret`, headers })
  ])
  const statuses = racing.map((res) => res.statusCode).sort()
  t.equal(statuses.filter((s) => s === 200).length, 1, `one wins: ${statuses}`)
  t.equal(statuses.filter((s) => s === 412).length, 4, 'the others are 412')
  t.equal((await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers })).headers.etag, '"2"')
})
