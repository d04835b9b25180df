import { CloudEvent } from 'cloudevents'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { Webhook } from 'standardwebhooks'
import t from 'tap'
import { queryRows } from '../../src/db/client.ts'
import type { EventType } from '../../src/db/unit-of-work.ts'
import { fullJitterBackoff, WebhookDispatcher } from '../../src/workers/webhook-dispatcher.ts'
import { appendEvents } from '../audit/helpers.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { postgresOnly } from '../helpers/database.ts'
import { startReceiver, type ReceivedRequest } from './receiver.ts'

// Twelve fresh databases and a receiver each: on a busy machine this file needs far more than the
// suite's per-file default (.taprc). Counted from here.
t.setTimeout(600_000)

const adminHeaders = async () => bearer(await token('admin', 'ITR'))

async function register (app: FastifyInstance, url: string, eventTypes: Array<EventType | '*'>) {
  const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: await adminHeaders(), payload: { url, eventTypes } })
  if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string, secret: string }
}

async function deliveries (app: FastifyInstance, webhookId: string, query = '') {
  const res = await app.inject({ method: 'GET', url: `/v1/webhooks/${webhookId}/deliveries${query}`, headers: await adminHeaders() })
  if (res.statusCode !== 200) throw new Error(`deliveries: ${res.statusCode} ${res.body}`)
  return res.json() as { items: Array<Record<string, any>>, nextCursor: string | null }
}

/** Verifies a received request exactly as a receiver would, with the official Standard Webhooks library. */
function verified (request: ReceivedRequest, secret: string): Record<string, unknown> {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as Record<string, unknown>
}

/** Makes every pending delivery due now, instead of waiting for its backoff. */
async function makeDue (app: FastifyInstance) {
  await app.db.execute(sql`update webhook_deliveries set next_attempt_at = now() where status = 'pending'`)
}

t.test('a subscribed event is POSTed once, signed per Standard Webhooks, as a CloudEvent', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const receiver = await startReceiver(t)
  const hook = await register(app, receiver.url(), ['itraad.project.alert'])
  await appendEvents(app, 1, { type: 'itraad.project.submitted' })
  const [alertId] = await appendEvents(app, 1, { type: 'itraad.project.alert' })
  await app.sealer.sealPending()

  // 1. only the subscribed type is queued (not even the registration event)
  const queued = await deliveries(app, hook.id)
  t.equal(queued.items.length, 1)
  t.match(queued.items[0], { status: 'pending', eventType: 'itraad.project.alert', eventSequence: '3', attemptCount: 0, attempts: [], webhookMessageId: `msg_${queued.items[0]!.id}` })

  // 2. delivered
  t.equal(await app.webhookDispatcher.dispatchDue(), 1)
  t.equal(receiver.requests.length, 1)
  const [request] = receiver.requests
  t.equal(request!.method, 'POST')
  t.equal(request!.path, '/hook')
  t.equal(request!.headers['content-type'], 'application/cloudevents+json')
  t.equal(request!.headers['webhook-id'], `msg_${queued.items[0]!.id}`)
  t.match(request!.headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/)
  t.ok(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1000) < 60)
  const event = verified(request!, hook.secret)
  t.match(event, { id: alertId, type: 'itraad.project.alert', sequence: '3' })
  t.ok(new CloudEvent(event).validate())
  t.throws(() => verified(request!, `whsec_${Buffer.alloc(32, 1).toString('base64')}`), 'a different secret does not verify')
  t.throws(() => new Webhook(hook.secret).verify(request!.body.replace('"sequence":"3"', '"sequence":"4"'), request!.headers as Record<string, string>), 'a changed body does not verify')

  // 3. recorded as succeeded with its attempt; nothing more to do
  const after = await deliveries(app, hook.id)
  t.match(after.items[0], { status: 'succeeded', attemptCount: 1, nextAttemptAt: null, lastStatusCode: 200, lastError: null })
  t.match(after.items[0]!.attempts, [{ attempt: 1, statusCode: 200, error: null, at: /Z$/ }])
  t.equal(await app.webhookDispatcher.dispatchDue(), 0)
  t.equal(receiver.requests.length, 1)
})

t.test('a failed delivery is retried with backoff and the same webhook-id', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const receiver = await startReceiver(t)
  const hook = await register(app, receiver.url(), ['*'])
  await app.sealer.sealPending()
  receiver.answer({ status: 500, body: 'boom' }, { status: 503 })

  // 1. 500: pending, next attempt within 10 s
  const before = Date.now()
  await app.webhookDispatcher.dispatchDue()
  let [delivery] = (await deliveries(app, hook.id)).items
  t.match(delivery, { status: 'pending', attemptCount: 1, lastStatusCode: 500, lastError: 'HTTP 500' })
  const next = Date.parse(delivery!.nextAttemptAt)
  t.ok(next > before && next <= Date.now() + 10_000, 'first retry within 10 s')
  t.equal(await app.webhookDispatcher.dispatchDue(), 0, 'not due yet')

  // 2. 503 then 200, once due
  await makeDue(app)
  await app.webhookDispatcher.dispatchDue()
  await makeDue(app)
  await app.webhookDispatcher.dispatchDue()
  ;[delivery] = (await deliveries(app, hook.id)).items
  t.match(delivery, { status: 'succeeded', attemptCount: 3, lastStatusCode: 200 })
  t.same(delivery!.attempts.map((a: { statusCode: number }) => a.statusCode), [500, 503, 200])
  t.equal(receiver.requests.length, 3)
  t.same(new Set(receiver.requests.map((r) => r.headers['webhook-id'])), new Set([`msg_${delivery!.id}`]), 'one webhook-id for every attempt')
  t.same(new Set(receiver.requests.map((r) => r.body)).size, 1, 'the same body every time')
  for (const r of receiver.requests) verified(r, hook.secret)
})

t.test('full-jitter backoff: within 10 s at first, growing, capped at an hour', async (t) => {
  t.equal(fullJitterBackoff(1, () => 0), 1000)
  t.equal(fullJitterBackoff(1, () => 1), 8000)
  t.equal(fullJitterBackoff(2, () => 1), 16_000)
  t.equal(fullJitterBackoff(5, () => 1), 128_000)
  t.equal(fullJitterBackoff(30, () => 1), 3_600_000)
  t.equal(fullJitterBackoff(1000, () => 1), 3_600_000)
  for (let attempt = 1; attempt < 40; attempt++) {
    const delay = fullJitterBackoff(attempt)
    t.ok(delay >= 1000 && delay <= Math.min(3_600_000, 8000 * 2 ** (attempt - 1)), `attempt ${attempt}: ${delay}`)
  }
})

t.test('410 Gone disables the endpoint and dead-letters its deliveries', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const receiver = await startReceiver(t)
  const hook = await register(app, receiver.url(), ['itraad.project.alert'])
  await appendEvents(app, 2)
  await app.sealer.sealPending()
  receiver.answer({ status: 410 })
  const admin = await adminHeaders()
  // one at a time, so the second is still pending when the first meets the 410
  const dispatcher = new WebhookDispatcher({ database: app.database, allowPrivate: true, concurrency: 1 })
  t.teardown(() => dispatcher.stop())
  await dispatcher.dispatchDue()

  t.equal(receiver.requests.length, 1, 'nothing more is sent to a disabled endpoint')
  const webhook = (await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}`, headers: admin })).json()
  t.match(webhook, { active: false, disabledReason: /410 Gone/ })
  const dead = await deliveries(app, hook.id, '?status=dead')
  t.equal(dead.items.length, 2, 'both are dead letters')
  t.same(dead.items.map((d) => d.attemptCount).sort(), [0, 1])
  t.same((await deliveries(app, hook.id, '?status=pending')).items, [])

  // new events are not queued for it, and a retry is refused
  await appendEvents(app, 1)
  await app.sealer.sealPending()
  t.equal((await deliveries(app, hook.id)).items.length, 2)
  const retry = await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/deliveries/${dead.items[0]!.id}/retry`, headers: admin })
  t.equal(retry.statusCode, 409)
  t.match(retry.json().detail, /disabled/)
})

t.test('redirects are not followed', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const receiver = await startReceiver(t)
  const hook = await register(app, receiver.url(), ['*'])
  await app.sealer.sealPending()
  receiver.answer({ status: 307, headers: { location: receiver.url('/elsewhere') } })
  await app.webhookDispatcher.dispatchDue()
  t.same(receiver.requests.map((r) => r.path), ['/hook'], 'the redirect target was never called')
  const [delivery] = (await deliveries(app, hook.id)).items
  t.match(delivery, { status: 'pending', lastStatusCode: 307, lastError: /redirects are not followed/ })
})

t.test('after 24 h of failures a delivery is a dead letter; a manual retry sends it again with the same webhook-id', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const receiver = await startReceiver(t)
  const hook = await register(app, receiver.url(), ['*'])
  await app.sealer.sealPending()
  receiver.answer({ status: 500 }, { status: 500 })
  await app.webhookDispatcher.dispatchDue()

  // 1. the first attempt was 25 hours ago: the next failure ends the retries
  await app.db.execute(sql`update webhook_attempts set at = at - interval '25 hours'`)
  await makeDue(app)
  await app.webhookDispatcher.dispatchDue()
  const dead = await deliveries(app, hook.id, '?status=dead')
  t.equal(dead.items.length, 1)
  t.match(dead.items[0], { status: 'dead', attemptCount: 2, nextAttemptAt: null, lastStatusCode: 500, lastError: /retry window/ })
  await makeDue(app)
  t.equal(await app.webhookDispatcher.dispatchDue(), 0, 'a dead letter is not attempted again by itself')

  // 2. the admin retries it
  const admin = await adminHeaders()
  const retry = await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/deliveries/${dead.items[0]!.id}/retry`, headers: admin })
  t.equal(retry.statusCode, 202)
  t.match(retry.json(), { id: dead.items[0]!.id, status: 'pending', attemptCount: 2 })
  await app.webhookDispatcher.dispatchDue()
  const [delivery] = (await deliveries(app, hook.id)).items
  t.match(delivery, { status: 'succeeded', attemptCount: 3 })
  t.same(new Set(receiver.requests.map((r) => r.headers['webhook-id'])), new Set([`msg_${dead.items[0]!.id}`]))

  // 3. a succeeded delivery cannot be retried; unknown ones are 404
  t.equal((await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/deliveries/${delivery!.id}/retry`, headers: admin })).statusCode, 409)
  t.equal((await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/deliveries/00000000-0000-4000-8000-000000000000/retry`, headers: admin })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: `/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries/${delivery!.id}/retry`, headers: admin })).statusCode, 404)
})

t.test('a pending delivery can be retried now', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const receiver = await startReceiver(t)
  const hook = await register(app, receiver.url(), ['*'])
  await app.sealer.sealPending()
  receiver.answer({ status: 502 })
  await app.webhookDispatcher.dispatchDue()
  const [pending] = (await deliveries(app, hook.id)).items
  t.equal(pending!.status, 'pending')
  t.equal(await app.webhookDispatcher.dispatchDue(), 0)
  const retry = await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/deliveries/${pending!.id}/retry`, headers: await adminHeaders() })
  t.equal(retry.statusCode, 202)
  t.ok(Date.parse(retry.json().nextAttemptAt) <= Date.now() + 1000)
  t.equal(await app.webhookDispatcher.dispatchDue(), 1)
  t.equal((await deliveries(app, hook.id)).items[0]!.status, 'succeeded')
})

t.test('timeouts and large answers are bounded', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const receiver = await startReceiver(t)
  const hook = await register(app, receiver.url(), ['*'])
  await app.sealer.sealPending()
  const dispatcher = new WebhookDispatcher({ database: app.database, allowPrivate: true, timeoutMs: 300 })
  t.teardown(() => dispatcher.stop())

  // 1. an endpoint that never answers: the attempt ends (the bound is loose: a busy machine is slow, a hang is endless)
  receiver.answer('hang')
  const started = Date.now()
  await dispatcher.dispatchDue()
  t.ok(Date.now() - started < 30_000, `gave up after ${Date.now() - started} ms`)
  let [delivery] = (await deliveries(app, hook.id)).items
  t.match(delivery, { status: 'pending', lastStatusCode: null, lastError: 'timed out after 300 ms' })

  // 2. a 2xx with a huge body: success, without reading it all
  // (an ample timeout: the status line must arrive in time even on a busy machine)
  const patient = new WebhookDispatcher({ database: app.database, allowPrivate: true, timeoutMs: 30_000 })
  t.teardown(() => patient.stop())
  receiver.answer({ status: 202, body: 'y'.repeat(8 * 1024 * 1024) })
  await makeDue(app)
  await patient.dispatchDue()
  ;[delivery] = (await deliveries(app, hook.id)).items
  t.match(delivery, { status: 'succeeded', lastStatusCode: 202 })
})

t.test('deleting a webhook dead-letters what it had pending', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const receiver = await startReceiver(t)
  const hook = await register(app, receiver.url(), ['*'])
  const other = await register(app, receiver.url('/other'), ['*'])
  await app.sealer.sealPending()
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/webhooks/${hook.id}`, headers: await adminHeaders() })).statusCode, 204)
  const [row] = await queryRows<{ status: string, last_error: string }>(app.db, sql`select status, last_error from webhook_deliveries where webhook_id = ${hook.id}`)
  t.match(row, { status: 'dead', last_error: 'webhook deleted' })
  await app.webhookDispatcher.dispatchDue()
  t.same(receiver.requests.map((r) => r.path), ['/other', '/other'], 'only the remaining endpoint is called')
  t.equal((await deliveries(app, other.id)).items.length, 2)
})

t.test('deliveries page newest first with their attempts', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const receiver = await startReceiver(t)
  const hook = await register(app, receiver.url(), ['itraad.project.alert'])
  for (let i = 0; i < 5; i++) {
    await appendEvents(app, 1)
    await app.sealer.sealPending()
  }
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const page = await deliveries(app, hook.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
    seen.push(...page.items.map((d) => d.eventSequence))
    cursor = page.nextCursor
  } while (cursor !== null)
  t.same(seen, ['6', '5', '4', '3', '2'])
  const admin = await adminHeaders()
  t.equal((await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}/deliveries?cursor=xyz`, headers: admin })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}/deliveries?status=lost`, headers: admin })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: '/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries', headers: admin })).statusCode, 404)
})

t.test('the running dispatcher delivers by itself', async (t) => {
  const { app } = await build(t)
  const receiver = await startReceiver(t)
  await register(app, receiver.url(), ['itraad.project.alert'])
  await appendEvents(app, 3)
  // Waits for the state; the limit only bounds a dispatcher that never delivers.
  const deadline = Date.now() + 60_000
  while (receiver.requests.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  t.equal(receiver.requests.length, 3)
})

t.test('two dispatchers on one database deliver each event once', postgresOnly, async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, poolSize: 16 })
  const receiver = await startReceiver(t)
  const hook = await register(app, receiver.url(), ['itraad.project.alert'])
  await appendEvents(app, 60)
  await app.sealer.sealPending()
  const dispatchers = [1, 2].map(() => new WebhookDispatcher({ database: app.database, allowPrivate: true, concurrency: 4 }))
  t.teardown(() => Promise.all(dispatchers.map((d) => d.stop())))
  const counts = await Promise.all(dispatchers.map((d) => d.dispatchDue()))
  t.comment(`attempted: ${counts.join(' + ')}`)
  t.equal(counts[0]! + counts[1]!, 60, 'each delivery claimed by exactly one dispatcher')
  t.ok(counts.every((n) => n > 0), 'both took a share')
  const ids = receiver.requests.map((r) => r.headers['webhook-id'])
  t.equal(ids.length, 60)
  t.equal(new Set(ids).size, 60, 'no webhook-id twice')
  for (const r of receiver.requests) verified(r, hook.secret)
  const [row] = await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from webhook_deliveries where status = 'succeeded' and attempts = 1`)
  t.equal(row!.n, 60)
})

t.test('a delivery whose lease ran out is taken over; the late outcome does not overwrite the new one', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const receiver = await startReceiver(t)
  const hook = await register(app, receiver.url(), ['*'])
  await app.sealer.sealPending()
  // 1. A claims with a short lease and its receiver hangs
  receiver.answer('hang')
  // A's request must still be hanging when B has taken over and succeeded (below); B's turn is a
  // few queries and one request, but on a busy machine that can take more than a second.
  const slow = new WebhookDispatcher({ database: app.database, allowPrivate: true, leaseMs: 50, timeoutMs: 5000 })
  const fast = new WebhookDispatcher({ database: app.database, allowPrivate: true })
  t.teardown(() => Promise.all([slow.stop(), fast.stop()]))
  const hanging = slow.dispatchDue()
  while (receiver.requests.length < 1) await new Promise((resolve) => setTimeout(resolve, 10))
  await new Promise((resolve) => setTimeout(resolve, 100))
  // 2. B takes it over once the lease is gone, and succeeds
  t.equal(await fast.dispatchDue(), 1)
  // 3. A times out afterwards: its attempt is recorded, the outcome stays B's
  await hanging
  const [delivery] = (await deliveries(app, hook.id)).items
  t.match(delivery, { status: 'succeeded', attemptCount: 2, lastStatusCode: 200 })
  t.same(delivery!.attempts.map((a: { attempt: number, statusCode: number | null }) => [a.attempt, a.statusCode]), [[1, null], [2, 200]])
  t.equal(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size, 1, 'both attempts carried the same webhook-id')
})
