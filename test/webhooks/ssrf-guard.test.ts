import type { LookupAddress } from 'node:dns'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { addressRange, BlockedAddressError, checkWebhookUrl, createGuardedLookup, isLocalhostName, isPublicAddress, normaliseHost, type Resolver } from '../../src/modules/webhooks/ssrf-guard.ts'
import { text } from '../../src/messages.ts'
import { WebhookDispatcher } from '../../src/workers/webhook-dispatcher.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { startReceiver } from './receiver.ts'

t.test('only public unicast addresses are public', async (t) => {
  const refused = [
    '127.0.0.1', '127.255.0.9', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '169.254.0.1',
    '100.64.0.1', '100.127.255.254', '0.0.0.0', '224.0.0.1', '239.255.255.250', '255.255.255.255', '192.0.2.1',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:8.8.8.8',
    '64:ff9b::7f00:1', '2002:7f00:1::1', '2001:db8::1', 'not-an-address'
  ]
  for (const address of refused) t.notOk(isPublicAddress(address), address)
  for (const address of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e']) t.ok(isPublicAddress(address), address)
})

/** What registration says of a URL, in English, or null. */
function urlProblem (url: string, allowPrivate: boolean): string | null {
  const problem = checkWebhookUrl(url, allowPrivate)
  return problem === null ? null : text(problem, 'en')
}

t.test('registration-time URL checks', async (t) => {
  t.equal(urlProblem('https://hooks.example.com/x', false), null)
  t.equal(urlProblem('http://hooks.example.com/x', false), 'must be an https URL (plain http is allowed only when the service runs with WEBHOOK_ALLOW_PRIVATE=true, for development)')
  t.equal(urlProblem('http://127.0.0.1:8080/x', true), null)
  t.equal(urlProblem('https://user@hooks.example.com/', true), 'must not contain credentials')
  t.match(urlProblem('https://[::ffff:a9fe:a9fe]/', false), /ipv4Mapped/)
  t.match(urlProblem('https://0x7f.1/', false), /loopback/, 'odd IPv4 spellings are normalised first')
  t.match(urlProblem('https://2130706433/', false), /loopback/)
  t.equal(urlProblem('gopher://x', true), 'must be an http or https URL')
  t.equal(urlProblem('nope', false), 'must be an absolute URL')
})

function resolverFor (answers: Record<string, LookupAddress[]>): Resolver {
  return (hostname, _options, callback) => {
    const found = answers[hostname]
    if (found) callback(null, found)
    else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), [])
  }
}

function lookup (resolver: Resolver, hostname: string, all: boolean): Promise<{ error: Error | null, result: unknown }> {
  const guarded = createGuardedLookup(resolver)
  return new Promise((resolve) => {
    guarded(hostname, { all }, (error, address, family) => resolve({ error, result: all ? address : { address, family } }))
  })
}

t.test('the guarded lookup refuses names that resolve to non-public addresses', async (t) => {
  const resolver = resolverFor({
    'public.example': [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 }],
    'rebind.example': [{ address: '10.0.0.7', family: 4 }],
    'metadata.example': [{ address: '169.254.169.254', family: 4 }],
    'mixed.example': [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }],
    'mapped.example': [{ address: '::ffff:127.0.0.1', family: 6 }],
    'cgnat.example': [{ address: '100.64.1.1', family: 4 }],
    'ula.example': [{ address: 'fd00::1', family: 6 }],
    'empty.example': []
  })
  t.same(await lookup(resolver, 'public.example', true), { error: null, result: [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 }] })
  t.same(await lookup(resolver, 'public.example', false), { error: null, result: { address: '93.184.216.34', family: 4 } })
  for (const [host, range] of [['rebind.example', 'private'], ['metadata.example', 'linkLocal'], ['mixed.example', 'loopback'], ['mapped.example', 'ipv4Mapped'], ['cgnat.example', 'carrierGradeNat'], ['ula.example', 'uniqueLocal']]) {
    for (const all of [true, false]) {
      const { error } = await lookup(resolver, host!, all)
      t.type(error, BlockedAddressError, `${host} all=${all}`)
      t.match(error!.message, new RegExp(`${host!.replace('.', '\\.')} resolves to .*\\(${range}\\)`))
    }
  }
  t.match((await lookup(resolver, 'empty.example', true)).error, { code: 'ENOTFOUND' })
  t.match((await lookup(resolver, 'unknown.example', false)).error, { code: 'ENOTFOUND' })
})

async function pointWebhookAt (app: FastifyInstance, url: string): Promise<string> {
  // Registered with an acceptable URL, then pointed elsewhere, as if its name now resolved
  // somewhere else or it was registered while private targets were allowed.
  const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(await token('admin', 'ITR')), payload: { url: 'https://hooks.example.com/x', eventTypes: ['*'] } })
  const { id } = res.json() as { id: string }
  await app.db.execute(sql`update webhooks set url = ${url} where id = ${id}`)
  return id
}

async function attempts (app: FastifyInstance, webhookId: string) {
  const res = await app.inject({ method: 'GET', url: `/v1/webhooks/${webhookId}/deliveries`, headers: bearer(await token('admin', 'ITR')) })
  return (res.json() as { items: Array<{ attempts: Array<{ statusCode: number | null, error: string | null }> }> }).items.flatMap((d) => d.attempts)
}

t.test('without WEBHOOK_ALLOW_PRIVATE, deliveries never reach loopback targets', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off', WEBHOOK_ALLOW_PRIVATE: 'false' } })
  const receiver = await startReceiver(t)
  const cases: Array<[string, RegExp]> = [
    [`https://localhost:${receiver.port}/hook`, /refused: localhost resolves to (127\.0\.0\.1|::1), which is not public \(loopback\)/],
    [`https://127.0.0.1:${receiver.port}/hook`, /refused: address 127\.0\.0\.1 is not public \(loopback\)/],
    [`https://[::ffff:7f00:1]:${receiver.port}/hook`, /refused: address ::ffff:7f00:1 is not public \(ipv4Mapped\)/],
    [`http://localhost:${receiver.port}/hook`, /refused: only https/]
  ]
  for (const [url, error] of cases) {
    const id = await pointWebhookAt(app, url)
    await app.sealer.sealPending()
    await app.webhookDispatcher.dispatchDue()
    const [attempt] = await attempts(app, id)
    t.match(attempt, { statusCode: null, error }, url)
  }
  t.same(receiver.requests, [], 'the receiver was never reached')
})

t.test('the guard runs on the connecting socket: a name resolving to loopback is refused at connect time', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off', WEBHOOK_ALLOW_PRIVATE: 'false' } })
  const receiver = await startReceiver(t)
  const id = await pointWebhookAt(app, `https://hooks.internal.test:${receiver.port}/hook`)
  await app.sealer.sealPending()
  const dispatcher = new WebhookDispatcher({
    database: app.database,
    allowPrivate: false,
    resolver: resolverFor({ 'hooks.internal.test': [{ address: '127.0.0.1', family: 4 }] })
  })
  t.teardown(() => dispatcher.stop())
  await dispatcher.dispatchDue()
  const [attempt] = (await attempts(app, id)).filter((a) => a.error?.includes('hooks.internal.test'))
  t.match(attempt, { statusCode: null, error: 'refused: hooks.internal.test resolves to 127.0.0.1, which is not public (loopback); refused without WEBHOOK_ALLOW_PRIVATE' })
  t.same(receiver.requests, [])
})

t.test('the allow-list refuses IPv4-compatible, NAT64 and documentation IPv6, and any address outside 2000::/3', async (t) => {
  const refused: Array<[string, string]> = [
    ['::7f00:1', 'ipv4Compatible'], ['::a00:1', 'ipv4Compatible'], ['::808:808', 'ipv4Compatible'], ['::2', 'ipv4Compatible'],
    ['::', 'unspecified'], ['::ffff:7f00:1', 'ipv4Mapped'], ['64:ff9b::a00:1', 'rfc6052'], ['64:ff9b:1::a00:1', 'rfc6052'],
    ['2001:db8::1', 'reserved'], ['3fff::1', 'reserved'], ['2002:a00:1::1', '6to4'], ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
    ['2001:2::1', 'benchmarking'], ['100::1', 'discard'], ['4000::1', 'reserved'], ['1::1', 'reserved'], ['e000::1', 'reserved'],
    ['198.18.0.1', 'reserved'], ['198.51.100.7', 'reserved'], ['203.0.113.7', 'reserved'], ['240.0.0.1', 'reserved']
  ]
  for (const [address, range] of refused) {
    t.notOk(isPublicAddress(address), address)
    t.equal(addressRange(address), range, address)
  }
  for (const address of ['2a00:1450::1', '2001:4860:4860::8888', '2606:4700:4700::1111', '8.8.8.8']) {
    t.ok(isPublicAddress(address), address)
    t.equal(addressRange(address), 'unicast', address)
  }
})

t.test('host names are normalised: lower-case, brackets and ONE trailing dot removed', async (t) => {
  t.equal(normaliseHost('LOCALHOST.'), 'localhost')
  t.equal(normaliseHost('[::1]'), '::1')
  t.equal(normaliseHost('hooks.example.com'), 'hooks.example.com')
  for (const host of ['localhost', 'localhost.', 'LOCALHOST.', 'foo.localhost', 'foo.localhost.', 'A.B.LocalHost.']) t.ok(isLocalhostName(host), host)
  for (const host of ['localhost.example.com', 'notlocalhost', 'hooks.example.com.', 'localhostx.']) t.notOk(isLocalhostName(host), host)
})

const refusedAtRegistration: Array<[string, RegExp]> = [
  ['https://[::127.0.0.1]/', /non-public address \(ipv4Compatible\)/],
  ['https://[::ffff:127.0.0.1]/', /non-public address \(ipv4Mapped\)/],
  ['https://[::]/', /non-public address \(unspecified\)/],
  ['https://localhost./', /must not target localhost/],
  ['https://LOCALHOST./', /must not target localhost/],
  ['https://foo.localhost./', /must not target localhost/],
  ['https://[2001:db8::1]/', /non-public address \(reserved\)/],
  ['https://[64:ff9b::a00:1]/', /non-public address \(rfc6052\)/]
]

t.test('registration refuses IPv4-compatible IPv6 and localhost names with a trailing dot', async (t) => {
  for (const [url, problem] of refusedAtRegistration) t.match(urlProblem(url, false), problem, url)
  t.equal(urlProblem('https://[2a00:1450::1]/', false), null)
  t.equal(urlProblem('https://hooks.example.com./x', false), null, 'a trailing dot on a public name is fine')

  const { app } = await build(t, { env: { WORKERS: 'off', WEBHOOK_ALLOW_PRIVATE: 'false' } })
  const headers = bearer(await token('admin', 'ITR'))
  for (const [url, problem] of refusedAtRegistration) {
    const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: { url, eventTypes: ['*'] } })
    t.equal(res.statusCode, 400, url)
    t.match(res.json().detail, problem, url)
  }
  for (const url of ['https://[2a00:1450::1]/x', 'https://hooks.example.com/x']) {
    const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: { url, eventTypes: ['*'] } })
    t.equal(res.statusCode, 201, url)
  }
})

t.test('the guarded lookup refuses localhost names whatever they resolve to', async (t) => {
  const resolver = resolverFor({
    'localhost.': [{ address: '93.184.216.34', family: 4 }],
    'foo.localhost.': [{ address: '2a00:1450::1', family: 6 }],
    'compat.example': [{ address: '::7f00:1', family: 6 }],
    'nat64.example': [{ address: '64:ff9b::a00:1', family: 6 }]
  })
  for (const host of ['localhost.', 'foo.localhost.', 'LOCALHOST.', 'bar.localhost']) {
    for (const all of [true, false]) {
      const { error } = await lookup(resolver, host, all)
      t.type(error, BlockedAddressError, `${host} all=${all}`)
      t.equal(error!.message, `${host} is a localhost name, which is not public; refused without WEBHOOK_ALLOW_PRIVATE`)
    }
  }
  const embedded: Array<[string, string]> = [['compat.example', 'ipv4Compatible'], ['nat64.example', 'rfc6052']]
  for (const [host, range] of embedded) {
    const { error } = await lookup(resolver, host, true)
    t.type(error, BlockedAddressError, host)
    t.match(error!.message, `(${range})`)
  }
})

t.test('without WEBHOOK_ALLOW_PRIVATE, deliveries refuse IPv4-compatible, NAT64 and localhost-dot targets', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off', WEBHOOK_ALLOW_PRIVATE: 'false' } })
  const receiver = await startReceiver(t)
  const port = receiver.port
  // Literal addresses are refused before any connection, by the app's own dispatcher.
  const literals: Array<[string, RegExp]> = [
    [`https://[::127.0.0.1]:${port}/hook`, /^refused: address ::7f00:1 is not public \(ipv4Compatible\)/],
    [`https://[::ffff:127.0.0.1]:${port}/hook`, /^refused: address ::ffff:7f00:1 is not public \(ipv4Mapped\)/],
    [`https://[::]:${port}/hook`, /^refused: address :: is not public \(unspecified\)/],
    [`https://[2001:db8::1]:${port}/hook`, /^refused: address 2001:db8::1 is not public \(reserved\)/],
    [`https://[64:ff9b::a00:1]:${port}/hook`, /^refused: address 64:ff9b::a00:1 is not public \(rfc6052\)/]
  ]
  for (const [url, error] of literals) {
    const id = await pointWebhookAt(app, url)
    await app.sealer.sealPending()
    await app.webhookDispatcher.dispatchDue()
    const [attempt] = await attempts(app, id)
    t.match(attempt, { statusCode: null, error }, url)
  }
  // Localhost names are refused in the connecting socket's lookup, even if a resolver does not know them.
  const names: Array<[string, RegExp]> = [
    [`https://localhost.:${port}/hook`, /^refused: localhost\. is a localhost name/],
    [`https://LOCALHOST.:${port}/hook`, /^refused: localhost\. is a localhost name/],
    [`https://foo.localhost.:${port}/hook`, /^refused: foo\.localhost\. is a localhost name/]
  ]
  const dispatcher = new WebhookDispatcher({ database: app.database, allowPrivate: false, resolver: resolverFor({}) })
  t.teardown(() => dispatcher.stop())
  for (const [url, error] of names) {
    const id = await pointWebhookAt(app, url)
    await app.sealer.sealPending()
    await dispatcher.dispatchDue()
    const [attempt] = await attempts(app, id)
    t.match(attempt, { statusCode: null, error }, url)
  }
  t.same(receiver.requests, [], 'the receiver was never reached')
})
