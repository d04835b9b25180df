import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { queryRows } from '../../src/db/client.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { submitProject } from '../helpers/fixtures.ts'

async function listening (app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  return `http://127.0.0.1:${address.port}`
}

/** Opens a stream and reads it until its text holds `until` (an answer that is no stream is read whole). */
async function readStream (url: string, until: string, headers: Record<string, string> = {}) {
  const abort = new AbortController()
  const response = await fetch(url, { headers, signal: abort.signal })
  if (response.status !== 200) return { status: response.status, headers: response.headers, text: await response.text() }
  const decoder = new TextDecoder()
  let text = ''
  for await (const chunk of response.body!) {
    text += decoder.decode(chunk, { stream: true })
    if (text.includes(until)) break
  }
  abort.abort()
  return { status: response.status, headers: response.headers, text }
}

async function issue (app: FastifyInstance, jwt: string) {
  return app.inject({ method: 'POST', url: '/v1/events/stream-tickets', headers: bearer(jwt) })
}

t.test('a ticket opens the stream once, as its caller', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const base = await listening(app)
  await submitProject(app)
  await submitProject(app)
  await app.sealer.sealPending()

  const before = Date.now()
  const issued = await issue(app, await token('secretariat', 'ITR'))
  const after = Date.now()
  t.equal(issued.statusCode, 201)
  const { ticket, expiresAt, head } = issued.json()
  t.match(ticket, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url')
  const expires = Date.parse(expiresAt)
  t.ok(expires >= before + 59_000 && expires <= after + 61_000, `valid 60 s (${expires - before} ms after the request began)`)
  const feed = (await app.inject({ method: 'GET', url: '/v1/events?limit=200', headers: bearer(await token('admin', 'ITR')) })).json()
  t.equal(head, feed.items.at(-1).sequence, 'head: the newest sealed sequence')

  const stream = await readStream(`${base}/v1/events/stream?ticket=${ticket}&after=0`, 'id: 2\n')
  t.equal(stream.status, 200)
  t.match(stream.headers.get('content-type'), /^text\/event-stream/)
  t.match(stream.text, /id: 1\nevent: itraad\.project\.submitted\ndata: /)
  t.match(stream.text, /id: 2\n/)

  // Used up: the same ticket again is a 401 problem, in Danish when asked.
  const again = await readStream(`${base}/v1/events/stream?ticket=${ticket}`, '', { 'accept-language': 'da' })
  t.equal(again.status, 401)
  t.match(again.headers.get('content-type'), /^application\/problem\+json/)
  t.match(JSON.parse(again.text), { status: 401, code: 'UNAUTHENTICATED', detail: /billetten til strømmen er ukendt, brugt eller udløbet/ })

  // `after` works with a ticket as without one.
  const fresh = (await issue(app, await token('integration', '1084'))).json().ticket
  const resumed = await readStream(`${base}/v1/events/stream?after=1&ticket=${fresh}`, 'id: 2\n')
  t.equal(resumed.status, 200)
  t.notMatch(resumed.text, /id: 1\n/, 'starts after 1')
})

t.test('unknown, malformed, repeated and expired tickets are 401; with a bearer token too, 400', async (t) => {
  const { app, database } = await build(t, { env: { WORKERS: 'off' } })
  const jwt = await token('admin', 'ITR')
  const stream = (query: string, headers: Record<string, string> = {}) =>
    // Refused before the stream starts, so inject answers (a 200 would hang here and fail the test by its timeout).
    app.inject({ method: 'GET', url: `/v1/events/stream?${query}`, headers })

  for (const query of [`ticket=${'A'.repeat(43)}`, 'ticket=', 'ticket=short', `ticket=${'A'.repeat(43)}&ticket=${'B'.repeat(43)}`]) {
    const res = await stream(query)
    t.equal(res.statusCode, 401, query)
    t.equal(res.json().code, 'UNAUTHENTICATED')
  }

  const expired = (await issue(app, jwt)).json().ticket
  await database.db.execute(sql`update stream_tickets set expires_at = now() - interval '1 second'`)
  const late = await stream(`ticket=${expired}`)
  t.equal(late.statusCode, 401, 'an expired ticket')
  t.match(late.json().detail, /unknown, used or expired/)

  const both = (await issue(app, jwt)).json().ticket
  const ambiguous = await stream(`ticket=${both}`, { ...bearer(jwt), 'accept-language': 'da' })
  t.equal(ambiguous.statusCode, 400, 'a ticket and a bearer token together')
  t.match(ambiguous.json(), { code: 'BAD_REQUEST', detail: /enten en billet til strømmen \(\?ticket=\) eller headeren Authorization/ })
})

t.test('the stream runs with the roles the ticket was issued with', async (t) => {
  const { app, database } = await build(t, { env: { WORKERS: 'off' } })
  const ticket = (await issue(app, await token('integration', '1084'))).json().ticket
  await database.db.execute(sql`update stream_tickets set roles = array['submitter']`)
  const res = await app.inject({ method: 'GET', url: `/v1/events/stream?ticket=${ticket}` })
  t.equal(res.statusCode, 403)
})

t.test('only the feed roles get a ticket', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  for (const role of ['submitter', 'council_member'] as const) {
    const res = await issue(app, await token(role, '1084'))
    t.equal(res.statusCode, 403, role)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
  }
  t.equal((await app.inject({ method: 'POST', url: '/v1/events/stream-tickets' })).statusCode, 401, 'no token')
  for (const role of ['integration', 'admin'] as const) t.equal((await issue(app, await token(role, '1084'))).statusCode, 201, role)
  t.equal((await issue(app, await token('secretariat', 'SIR'))).statusCode, 201, 'secretariat')
})

t.test('the table holds only the hash of a ticket, with its caller; expired rows are pruned on issue', async (t) => {
  const { app, database } = await build(t, { env: { WORKERS: 'off' } })
  const ticket = (await issue(app, await token('integration', '1084', { sub: 'esdh-system' }))).json().ticket as string
  const rows = await queryRows<Record<string, unknown>>(database.db, sql`select hash, sub, org, roles from stream_tickets`)
  t.equal(rows.length, 1)
  t.same(rows[0], { hash: createHash('sha256').update(ticket).digest('hex'), sub: 'esdh-system', org: '1084', roles: ['integration'] })
  const dump = await queryRows<{ row: string }>(database.db, sql`select t::text as row from stream_tickets t`)
  t.notOk(dump[0]!.row.includes(ticket), 'the ticket itself is not stored')

  await database.db.execute(sql`update stream_tickets set expires_at = now() - interval '1 second'`)
  await issue(app, await token('admin', 'ITR'))
  const left = await queryRows<{ sub: string }>(database.db, sql`select sub from stream_tickets`)
  t.same(left.map((r) => r.sub), ['admin-ITR'], 'the expired ticket is gone, the new one is there')
})

t.test('the OpenAPI document declares the ticket as a second way into the stream', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  t.match(document.components.securitySchemes.streamTicket, { type: 'apiKey', in: 'query', name: 'ticket' })
  t.same(document.paths['/v1/events/stream'].get.security, [{ bearer: [] }, { streamTicket: [] }])
  t.ok(document.paths['/v1/events/stream-tickets'].post.responses['201'], 'the ticket answer is documented')
})
