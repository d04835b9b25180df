import { once } from 'node:events'
import { get, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { queryRows } from '../../src/db/client.ts'
import { appendEvents } from '../audit/helpers.ts'
import { authAs, gatedProject } from '../helpers/fixtures.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { startReceiver } from '../webhooks/receiver.ts'

// Several fresh databases, a receiver and an SSE client: on a busy machine this file needs more
// than the suite's per-file default (.taprc). Counted from here.
t.setTimeout(300_000)

const adminHeaders = async () => bearer(await token('admin', 'ITR'))

async function scrape (app: FastifyInstance): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: await adminHeaders() })
  if (res.statusCode !== 200) throw new Error(`GET /metrics: ${res.statusCode} ${res.body}`)
  return res.body
}

/** The value of the series `name` whose labels include `labels`; undefined when there is none. */
function sample (text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (match === null || match[1] !== name) continue
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]))
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3])
  }
  return undefined
}

t.test('webhook deliveries by outcome and dead letters: a success, a failure, then 410 Gone', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const receiver = await startReceiver(t)
  const registered = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: await adminHeaders(), payload: { url: receiver.url(), eventTypes: ['itraad.project.alert'] } })
  t.equal(registered.statusCode, 201)
  const hookId = registered.json().id as string
  const outcome = (text: string, name: string) => sample(text, 'webhook_delivery_attempts_total', { outcome: name })

  // 1. before any attempt every outcome is there, at 0
  let text = await scrape(app)
  for (const name of ['succeeded', 'gone', 'http_error', 'timeout', 'connection_error', 'refused', 'aborted']) t.equal(outcome(text, name), 0, name)
  t.equal(sample(text, 'webhook_dead_letters_total'), 0)

  // 2. 200: succeeded
  await appendEvents(app, 1)
  await app.sealer.sealPending()
  t.equal(await app.webhookDispatcher.dispatchDue(), 1)
  text = await scrape(app)
  t.equal(outcome(text, 'succeeded'), 1)
  t.equal(outcome(text, 'http_error'), 0)

  // 3. 500: a failed attempt, retried later (not due now)
  receiver.answer({ status: 500 })
  await appendEvents(app, 1)
  await app.sealer.sealPending()
  t.equal(await app.webhookDispatcher.dispatchDue(), 1)
  text = await scrape(app)
  t.equal(outcome(text, 'http_error'), 1)
  t.equal(sample(text, 'webhook_dead_letters_total'), 0, 'a retried failure is no dead letter')

  // 4. 410 on the next event: gone; it and the retry still queued become dead letters
  receiver.answer({ status: 410 })
  await appendEvents(app, 1)
  await app.sealer.sealPending()
  t.equal(await app.webhookDispatcher.dispatchDue(), 1, 'only the new delivery is due')
  text = await scrape(app)
  t.equal(outcome(text, 'gone'), 1)
  t.equal(outcome(text, 'succeeded'), 1)
  t.equal(outcome(text, 'http_error'), 1)
  t.equal(sample(text, 'webhook_dead_letters_total'), 2)
  const dead = await app.inject({ method: 'GET', url: `/v1/webhooks/${hookId}/deliveries?status=dead`, headers: await adminHeaders() })
  t.equal(dead.json().items.length, 2, 'as many dead letters as the API lists')
})

t.test('an idempotent replay counts by method and route template; a first answer does not', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const headers = { ...await authAs('submitter', '1084'), 'idempotency-key': 'metrics-replay-1' }
  const payload = gatedProject()
  const replays = (text: string) => sample(text, 'http_idempotent_replays_total', { method: 'POST', route: '/v1/projects' })

  t.equal((await app.inject({ method: 'POST', url: '/v1/projects', headers, payload })).statusCode, 201)
  t.equal(replays(await scrape(app)), undefined, 'no replay yet')
  const again = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload })
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(replays(await scrape(app)), 1)
  await app.inject({ method: 'POST', url: '/v1/projects', headers, payload })
  t.equal(replays(await scrape(app)), 2)
})

t.test('events not yet sealed and the sealing lag, read from the database; both 0 once sealed', async (t) => {
  // Workers off: nothing seals behind the test's back.
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  await app.sealer.sealPending()
  let text = await scrape(app)
  t.equal(sample(text, 'audit_unsealed_events'), 0)
  t.equal(sample(text, 'audit_sealing_lag_seconds'), 0)

  await appendEvents(app, 3)
  await appendEvents(app, 2)
  text = await scrape(app)
  t.equal(sample(text, 'audit_unsealed_events'), 5)
  const lag = sample(text, 'audit_sealing_lag_seconds')!
  t.ok(lag > 0 && lag < 600, `the oldest unsealed event's age: ${lag} s`)
  const [oldest] = await queryRows<{ age: number }>(app.db, sql`select extract(epoch from now() - min(e.created_at))::float8 as age from audit_events e join audit_unsealed u on u.pos = e.pos`)
  t.ok(oldest!.age >= lag, 'not older than the oldest event in the queue')

  await app.sealer.sealPending()
  text = await scrape(app)
  t.equal(sample(text, 'audit_unsealed_events'), 0)
  t.equal(sample(text, 'audit_sealing_lag_seconds'), 0)
})

t.test('SSE clients: 1 while one is connected, 0 after it leaves', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  t.equal(sample(await scrape(app), 'event_stream_clients'), 0)

  const headers = bearer(await token('integration', 'ITR'))
  const stream = await new Promise<IncomingMessage>((resolve, reject) => {
    get(`http://127.0.0.1:${port}/v1/events/stream`, { headers, agent: false }, resolve).on('error', reject)
  })
  t.equal(stream.statusCode, 200)
  // The first bytes (`retry: 2000`) are written after the client is registered.
  await once(stream, 'data')
  t.equal(sample(await scrape(app), 'event_stream_clients'), 1)

  // The client leaves: its connection closes.
  stream.destroy()
  // The server notices when its socket closes; the bound only stops a test that would never pass.
  const deadline = Date.now() + 60_000
  let clients = sample(await scrape(app), 'event_stream_clients')
  while (clients !== 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    clients = sample(await scrape(app), 'event_stream_clients')
  }
  t.equal(clients, 0)
})

t.test('the database gone: /metrics still answers, the sealing gauges keep their last values', async (t) => {
  const { app, database } = await build(t, { env: { WORKERS: 'off' } })
  await appendEvents(app, 2)
  await app.inject({ method: 'GET', url: '/health/live' })
  t.equal(sample(await scrape(app), 'audit_unsealed_events'), 2)
  await database.close()

  const res = await app.inject({ method: 'GET', url: '/metrics', headers: await adminHeaders() })
  t.equal(res.statusCode, 200)
  t.equal(sample(res.body, 'audit_unsealed_events'), 2, 'the last value read')
  t.ok(sample(res.body, 'audit_sealing_lag_seconds')! > 0)
  t.equal(sample(res.body, 'http_request_duration_seconds_count', { method: 'GET', route: '/health/live', status_code: '200' }), 1, 'the other figures as usual')
})
