import { Writable } from 'node:stream'
import { CloudEvent } from 'cloudevents'
import pino from 'pino'
import t from 'tap'
import { buildApp, LOG_REDACT } from '../../src/app.ts'
import { bearer, build, testConfig, token } from '../helpers/build.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { feedPage } from '../audit/helpers.ts'

// Five fresh databases: on a busy machine this file needs far more than the suite's per-file
// default (.taprc). Counted from here.
t.setTimeout(600_000)

const admin = async () => bearer(await token('admin', 'ITR', { sub: 'admin-anne' }))

t.test('POST /v1/webhooks registers an endpoint, shows the secret once and emits webhook.registered', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const headers = await admin()
  const res = await app.inject({
    method: 'POST',
    url: '/v1/webhooks',
    headers,
    payload: { url: 'https://hooks.example.com/council?tenant=7', eventTypes: ['itraad.letter.issued', 'itraad.project.alert'] }
  })
  t.equal(res.statusCode, 201)
  const created = res.json()
  t.equal(res.headers.location, `/v1/webhooks/${created.id}`)
  t.match(created, {
    id: /^[0-9a-f-]{36}$/,
    url: 'https://hooks.example.com/council?tenant=7',
    eventTypes: ['itraad.letter.issued', 'itraad.project.alert'],
    active: true,
    disabledReason: null,
    org: 'ITR',
    previousSecretExpiresAt: null,
    createdBy: 'admin-anne',
    createdAt: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
  })
  t.match(created.secret, /^whsec_[A-Za-z0-9+/]+=*$/)
  t.equal(Buffer.from(created.secret.slice(6), 'base64').length, 32, '32 random bytes')

  // 1. the secret is never shown again
  const one = await app.inject({ method: 'GET', url: `/v1/webhooks/${created.id}`, headers })
  t.equal(one.statusCode, 200)
  const { secret: _secret, ...withoutSecret } = created
  t.same(one.json(), withoutSecret)
  const list = await app.inject({ method: 'GET', url: '/v1/webhooks', headers })
  t.same(list.json(), { items: [withoutSecret], nextCursor: null })
  t.notMatch(list.body + one.body, created.secret)

  // 2. the registration is an audit event, with the host only and a Danish description
  await app.sealer.sealPending()
  const [event] = (await feedPage(app, '')).items
  t.ok(new CloudEvent(event!).validate())
  t.match(event, {
    type: 'itraad.webhook.registered',
    subject: `webhooks/${created.id}`,
    authtype: 'user',
    authid: 'admin-anne',
    actororg: 'ITR',
    sequence: '1',
    data: {
      webhookId: created.id,
      host: 'hooks.example.com',
      eventTypes: ['itraad.letter.issued', 'itraad.project.alert'],
      description: 'Webhook registreret til hooks.example.com for 2 hændelsestyper'
    }
  })
  t.notMatch(JSON.stringify(event), /tenant=7|whsec_/, 'neither the path nor the secret is in the event')
})

t.test('registration validates the URL and the event types', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off', WEBHOOK_ALLOW_PRIVATE: 'false' } })
  const headers = await admin()
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: payload as Record<string, unknown> })
  const types = ['itraad.project.submitted']
  const refused: Array<[unknown, RegExp]> = [
    [{ url: 'ftp://hooks.example.com/x', eventTypes: types }, /url/],
    [{ url: 'http://hooks.example.com/x', eventTypes: types }, /must be an https URL/],
    [{ url: 'https://user:pw@hooks.example.com/x', eventTypes: types }, /credentials/],
    [{ url: 'https://hooks.example.com/x#frag', eventTypes: types }, /fragment/],
    [{ url: 'https://127.0.0.1/x', eventTypes: types }, /non-public address \(loopback\)/],
    [{ url: 'https://10.1.2.3/x', eventTypes: types }, /private/],
    [{ url: 'https://169.254.169.254/latest/meta-data', eventTypes: types }, /linkLocal/],
    [{ url: 'https://100.64.0.1/x', eventTypes: types }, /carrierGradeNat/],
    [{ url: 'https://[::1]/x', eventTypes: types }, /loopback/],
    [{ url: 'https://[fd00::1]/x', eventTypes: types }, /uniqueLocal/],
    [{ url: 'https://[::ffff:127.0.0.1]/x', eventTypes: types }, /ipv4Mapped/],
    [{ url: 'https://0.0.0.0/x', eventTypes: types }, /unspecified/],
    [{ url: 'https://localhost:8443/x', eventTypes: types }, /localhost/],
    [{ url: 'https://api.localhost/x', eventTypes: types }, /localhost/],
    [{ url: 'not a url', eventTypes: types }, /url/],
    [{ url: 'https://hooks.example.com/x\ud800', eventTypes: types }, /well-formed/],
    [{ url: 'https://hooks.example.com/' + 'x'.repeat(2100), eventTypes: types }, /url/],
    [{ url: 'https://hooks.example.com/x', eventTypes: [] }, /eventTypes/],
    [{ url: 'https://hooks.example.com/x', eventTypes: ['itraad.nope'] }, /eventTypes/],
    [{ url: 'https://hooks.example.com/x', eventTypes: [...types, ...types] }, /distinct/],
    [{ url: 'https://hooks.example.com/x', eventTypes: ['*', ...types] }, /only entry/],
    [{ url: 'https://hooks.example.com/x', eventTypes: types, secret: 'mine' }, /secret|Unrecognized/],
    [{ eventTypes: types }, /url/]
  ]
  for (const [payload, detail] of refused) {
    const res = await post(payload)
    t.equal(res.statusCode, 400, JSON.stringify(payload).slice(0, 80))
    t.match(res.headers['content-type'], /application\/problem\+json/)
    t.match(res.json().detail + JSON.stringify(res.json().errors ?? []), detail, JSON.stringify(payload).slice(0, 80))
  }
  const all = await post({ url: 'https://hooks.example.com/all', eventTypes: ['*'] })
  t.equal(all.statusCode, 201)
  t.same(all.json().eventTypes, ['*'])
  t.equal((await post({ url: 'https://8.8.8.8/x', eventTypes: types })).statusCode, 201, 'a public literal address is fine')

  // with WEBHOOK_ALLOW_PRIVATE, plain http and loopback are allowed (local development)
  const { app: dev } = await build(t, { env: { WORKERS: 'off', WEBHOOK_ALLOW_PRIVATE: 'true' } })
  const local = await dev.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: { url: 'http://localhost:9999/x', eventTypes: types } })
  t.equal(local.statusCode, 201)
  const ftp = await dev.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: { url: 'ftp://localhost/x', eventTypes: types } })
  t.equal(ftp.statusCode, 400)
})

t.test('only integrations and admins manage webhooks', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  for (const role of ['submitter', 'council_member', 'secretariat'] as const) {
    const headers = bearer(await token(role, '1084'))
    t.equal((await app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: { url: 'https://hooks.example.com/x', eventTypes: ['*'] } })).statusCode, 403, `${role} POST`)
    t.equal((await app.inject({ method: 'GET', url: '/v1/webhooks', headers })).statusCode, 403, `${role} GET`)
  }
  const integration = bearer(await token('integration', '1084'))
  t.equal((await app.inject({ method: 'POST', url: '/v1/webhooks', headers: integration, payload: { url: 'https://hooks.example.com/x', eventTypes: ['*'] } })).statusCode, 201, 'integration POST')
  t.equal((await app.inject({ method: 'GET', url: '/v1/webhooks', headers: integration })).statusCode, 200, 'integration GET')
  t.equal((await app.inject({ method: 'GET', url: '/v1/webhooks' })).statusCode, 401)
})

t.test('list pages newest first; delete is soft and final', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const headers = await admin()
  const ids: string[] = []
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: { url: `https://hooks.example.com/${i}`, eventTypes: ['*'] } })
    ids.push(res.json().id)
  }
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const res = await app.inject({ method: 'GET', url: `/v1/webhooks?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers })
    t.equal(res.statusCode, 200)
    const page = res.json() as { items: Array<{ id: string }>, nextCursor: string | null }
    t.ok(page.items.length <= 2)
    seen.push(...page.items.map((w) => w.id))
    cursor = page.nextCursor
  } while (cursor !== null)
  t.same(seen, [...ids].reverse(), 'newest first, each once')
  t.equal((await app.inject({ method: 'GET', url: '/v1/webhooks?cursor=bm9wZQ', headers })).statusCode, 400, 'a forged cursor is 400')

  const del = await app.inject({ method: 'DELETE', url: `/v1/webhooks/${ids[2]}`, headers })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')
  t.equal((await app.inject({ method: 'GET', url: `/v1/webhooks/${ids[2]}`, headers })).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/webhooks/${ids[2]}`, headers })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: `/v1/webhooks/${ids[2]}/deliveries`, headers })).statusCode, 404)
  const list = await app.inject({ method: 'GET', url: '/v1/webhooks?limit=10', headers })
  t.notOk(list.json().items.some((w: { id: string }) => w.id === ids[2]))
  t.equal(list.json().items.length, 4)
  t.equal((await app.inject({ method: 'GET', url: '/v1/webhooks/not-a-uuid', headers })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: '/v1/webhooks/00000000-0000-4000-8000-000000000000', headers })).statusCode, 404)
})

t.test('the secret never reaches the log, nor a rotated one', async (t) => {
  const lines: string[] = []
  const logger = pino({ level: 'trace', redact: { paths: LOG_REDACT, censor: '[redacted]' } }, new Writable({
    write (chunk, _encoding, done) { lines.push(String(chunk)); done() }
  }))
  const { database } = await createTestDatabase(t)
  const app = await buildApp({ config: testConfig({ WORKERS: 'off' }), database, logger })
  t.teardown(() => app.close())
  await app.ready()
  const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: await admin(), payload: { url: 'https://hooks.example.com/x', eventTypes: ['*'] } })
  t.equal(res.statusCode, 201)
  const rotated = await app.inject({ method: 'POST', url: `/v1/webhooks/${res.json().id}/secret`, headers: await admin() })
  t.equal(rotated.statusCode, 200)
  t.ok(lines.length > 0, 'something was logged')
  for (const secret of [res.json().secret as string, rotated.json().secret as string]) {
    t.notOk(lines.some((line) => line.includes(secret) || line.includes(secret.slice(6))), 'no log line has the secret')
  }
})
