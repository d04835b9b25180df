import { Writable } from 'node:stream'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { SignJWT } from 'jose'
import pino from 'pino'
import type { Test } from 'tap'
import t from 'tap'
import { buildApp, LOG_REDACT } from '../../src/app.ts'
import { bearer, devTestConfig, TEST_ISSUER, TEST_KID, testConfig, testPrivateKey, token } from '../helpers/build.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { gatedProject } from '../helpers/fixtures.ts'
import { ANNE, assessedByTwo, BENT, expectStatus, issueLetter } from '../review/helpers.ts'
import { startReceiver } from '../webhooks/receiver.ts'

// The log of a whole run, at trace level, through a realistic workflow: it must never hold a
// token, an Authorization header, a bearer credential or a webhook secret (API.md "Errors": no
// token material in any response or log line).

const SECRETS: Array<[string, RegExp]> = [
  ['a JWT', /eyJ[A-Za-z0-9_-]+\.eyJ/],
  ['an Authorization header', /authorization"\s*:\s*"(?!\[redacted\])/i],
  ['a bearer credential', /Bearer /],
  ['a webhook secret', /whsec_/]
]

/** The app exactly as src/server.ts builds it (pino with LOG_REDACT), logging at trace into memory. */
async function buildLogged (t: Test, config: ReturnType<typeof testConfig>) {
  const lines: string[] = []
  const stream = new Writable({
    write (chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter((l) => l !== ''))
      done()
    }
  })
  const logger = pino({ level: 'trace', redact: { paths: LOG_REDACT, censor: '[redacted]' } }, stream)
  const { database, dispose } = await createTestDatabase(t, { register: false })
  const app = await buildApp({ config, database, logger })
  t.teardown(async () => {
    await app.close()
    await dispose()
  })
  await app.ready()
  return { app, lines }
}

function leaks (lines: string[], known: string[]): string[] {
  const found: string[] = []
  for (const line of lines) {
    for (const [what, pattern] of SECRETS) if (pattern.test(line)) found.push(`${what}: ${line.slice(0, 300)}`)
    for (const secret of known) if (line.includes(secret)) found.push(`a known secret: ${line.slice(0, 300)}`)
  }
  return found
}

async function workflow (t: Test, app: FastifyInstance, submitterJwt: string) {
  const submitter = { authorization: `Bearer ${submitterJwt}` }
  const admin = bearer(await token('admin', 'ITR'))

  // 1. A webhook, whose secret is shown once; a receiver that first fails, then accepts.
  const receiver = await startReceiver(t)
  receiver.answer({ status: 500, body: 'try again' })
  const hook = expectStatus(await app.inject({ method: 'POST', url: '/v1/webhooks', headers: admin, payload: { url: receiver.url(), eventTypes: ['*'] } }), 201).json()
  t.match(hook.secret, /^whsec_/, 'the secret is returned to the admin')

  // 2. Submission with an Idempotency-Key, its replay, a read, a revision and its stale retry.
  const submit = { method: 'POST' as const, url: '/v1/projects', headers: { ...submitter, 'idempotency-key': 'log-test-1' }, payload: gatedProject() }
  const project = expectStatus(await app.inject(submit), 201).json()
  expectStatus(await app.inject(submit), 201)
  expectStatus(await app.inject({ method: 'GET', url: `/v1/projects/${project.id}`, headers: submitter }), 200)
  expectStatus(await app.inject({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers: { ...submitter, 'if-match': '"1"' }, payload: { title: 'Revideret' } }), 200)
  expectStatus(await app.inject({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers: { ...submitter, 'if-match': '"1"' }, payload: { title: 'Forældet' } }), 412)

  // 3. The review up to the letter.
  await assessedByTwo(app, project.id)
  expectStatus(await issueLetter(app, project.id), 201)

  // 4. Error paths without a 500: bad, expired, foreign and malformed credentials, wrong roles,
  //    tokens where they do not belong (query string, request id, body), 404, 409, 400.
  const expired = await token('submitter', '1084', { expiresIn: -3600 })
  const forged = `${submitterJwt.slice(0, -6)}AAAAAA`
  const wrongAudience = await new SignJWT({ org: '1084', roles: ['submitter'] }).setProtectedHeader({ alg: 'ES256', kid: TEST_KID })
    .setIssuer(TEST_ISSUER).setAudience('someone-else').setSubject('x').setExpirationTime('5m').sign(testPrivateKey)
  for (const authorization of [`Bearer ${expired}`, `Bearer ${forged}`, `Bearer ${wrongAudience}`, 'Bearer not-a-jwt', 'Basic c3VibWl0dGVyOnNlY3JldA==', `bearer ${submitterJwt}`, submitterJwt]) {
    expectStatus(await app.inject({ method: 'GET', url: '/v1/projects', headers: { authorization } }), 401)
  }
  expectStatus(await app.inject({ method: 'GET', url: `/v1/projects?access_token=${submitterJwt}`, headers: submitter }), 400)
  t.ok((await app.inject({ method: 'GET', url: `/v1/events?after=0&token=${hook.secret}`, headers: admin })).statusCode < 500)
  expectStatus(await app.inject({ method: 'GET', url: '/v1/regions', headers: { ...submitter, 'x-request-id': submitterJwt } }), 200)
  expectStatus(await app.inject({ method: 'POST', url: '/v1/projects', headers: submitter, payload: gatedProject({ title: submitterJwt, note: hook.secret }) }), 400)
  expectStatus(await app.inject({ method: 'POST', url: '/v1/webhooks', headers: submitter, payload: { url: receiver.url(), eventTypes: ['*'] } }), 403)
  expectStatus(await app.inject({ method: 'GET', url: '/v1/projects/00000000-0000-4000-8000-000000000000', headers: submitter }), 404)
  expectStatus(await issueLetter(app, project.id), 409)

  // 5. The events are sealed and delivered: a failed attempt, then a successful retry.
  await app.sealer.sealPending()
  await app.webhookDispatcher.dispatchDue()
  await app.db.execute(sql`update webhook_deliveries set next_attempt_at = now() where status = 'pending'`)
  await app.webhookDispatcher.dispatchDue()
  t.ok(receiver.requests.length >= 2, `the receiver was called (${receiver.requests.length} requests)`)

  // 6. The secret was shown once: no later answer holds it (API3, excessive data exposure).
  for (const url of ['/v1/webhooks', `/v1/webhooks/${hook.id}`, `/v1/webhooks/${hook.id}/deliveries`, '/v1/events?after=0&limit=200']) {
    const res = expectStatus(await app.inject({ method: 'GET', url, headers: admin }), 200)
    t.notOk(res.body.includes(hook.secret) || res.body.includes('whsec_'), `GET ${url} does not show the secret`)
  }
  return { secret: hook.secret as string, members: [ANNE.sub, BENT.sub] }
}

t.test('a whole run logged at trace level holds no token, Authorization header or webhook secret', async (t) => {
  const { app, lines } = await buildLogged(t, testConfig({ WORKERS: 'off', LOG_LEVEL: 'trace' }))
  const submitterJwt = await token('submitter', '1084')
  const { secret } = await workflow(t, app, submitterJwt)
  t.ok(lines.length > 20, `the run was logged (${lines.length} lines)`)
  t.ok(lines.some((l) => l.includes('"status":401')), 'the 401s are in the log')
  t.same(leaks(lines, [submitterJwt, secret]), [], 'no secret in the log')
})

t.test('dev-mode auth: minting a token at /app/dev-token and using it leaves no token in the log', async (t) => {
  const { app, lines } = await buildLogged(t, devTestConfig(t.testdir({}), { WORKERS: 'off', LOG_LEVEL: 'trace' }))
  const minted = expectStatus(await app.inject({ method: 'POST', url: '/app/dev-token', payload: { role: 'submitter', org: '1084' } }), 200).json()
  expectStatus(await app.inject({ method: 'POST', url: '/v1/projects', headers: { authorization: `Bearer ${minted.token}` }, payload: gatedProject() }), 201)
  expectStatus(await app.inject({ method: 'GET', url: '/v1/projects', headers: { authorization: `Bearer ${minted.token}x` } }), 401)
  t.same(leaks(lines, [minted.token]), [], 'no secret in the log')
})

t.test('a stream ticket never reaches the log, used, refused or beside a bad query', async (t) => {
  const { app, lines } = await buildLogged(t, testConfig({ WORKERS: 'off', LOG_LEVEL: 'trace' }))
  const admin = bearer(await token('admin', 'ITR'))
  const issue = async () => expectStatus(await app.inject({ method: 'POST', url: '/v1/events/stream-tickets', headers: admin }), 201).json().ticket as string
  const used = await issue()
  // Used up by a request the stream then refuses (a bad position), and refused when used again.
  expectStatus(await app.inject({ method: 'GET', url: `/v1/events/stream?ticket=${used}&after=abc` }), 400)
  expectStatus(await app.inject({ method: 'GET', url: `/v1/events/stream?ticket=${used}` }), 401)
  const both = await issue()
  expectStatus(await app.inject({ method: 'GET', url: `/v1/events/stream?ticket=${both}`, headers: admin }), 400)
  t.ok(lines.some((l) => l.includes('/v1/events/stream') && l.includes('"status":401')), 'the refused stream is in the access log')
  t.same(leaks(lines, [used, both]), [], 'no ticket in the log')
})
