import { Readable } from 'node:stream'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { Client } from 'undici'
import { queryRows } from '../../src/db/client.ts'
import { build } from '../helpers/build.ts'
import { authAs, failOnServerErrors, gatedProject } from '../helpers/fixtures.ts'

// Request bodies as bytes (issue 22, items 8 and 9): JSON is UTF-8 and says so or says nothing;
// one-line fields hold no bidirectional controls and a title shows something; a body over the
// limit gets its 413 read by the client, also on a connection kept alive.

const projectCount = async (app: Parameters<typeof queryRows>[0]) =>
  (await queryRows<{ n: number }>(app, sql`select count(*)::int as n from projects`))[0]!.n

t.test('a body in another charset is 415, bytes that are not UTF-8 are 400; UTF-8, said or not, is stored as sent', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const headers = await authAs('submitter', '1084')
  const project = gatedProject({ title: 'Sjælland og Østjylland: fælles booking' })
  const latin1 = Buffer.from(JSON.stringify(project), 'latin1')

  const declared = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'content-type': 'application/json; charset=ISO-8859-1' }, payload: latin1 })
  t.equal(declared.statusCode, 415, 'charset=ISO-8859-1 is refused')
  t.match(declared.headers['content-type'], /^application\/problem\+json/)
  t.match(declared.json(), { code: 'UNSUPPORTED_MEDIA_TYPE', detail: /ISO-8859-1/ })

  const undeclared = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'content-type': 'application/json' }, payload: latin1 })
  t.equal(undeclared.statusCode, 400, 'latin-1 bytes without a charset are not UTF-8')
  t.match(undeclared.json(), { code: 'MALFORMED_JSON', detail: /UTF-8/ })

  const broken = Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xC3, 0x28]), Buffer.from('"}')])
  t.equal((await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'content-type': 'application/json' }, payload: broken })).statusCode, 400, 'an invalid UTF-8 sequence')
  t.equal(await projectCount(app.db), 0, 'nothing was stored')

  for (const contentType of ['application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/json; charset=utf8', 'application/json']) {
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers: { ...headers, 'content-type': contentType }, payload: Buffer.from(JSON.stringify(project), 'utf8') })
    t.equal(res.statusCode, 201, contentType)
    t.equal(res.json().title, 'Sjælland og Østjylland: fælles booking', `${contentType}: stored as sent`)
  }
})

t.test('one-line fields refuse bidirectional controls and line separators; a title and a name need a visible character', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const headers = await authAs('submitter', '1084')
  const valid = gatedProject()
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['title with RIGHT-TO-LEFT OVERRIDE', { title: 'Booking \u202Egnikoob' }, '/title'],
    ['title with a FIRST STRONG ISOLATE', { title: 'Booking \u2068platform\u2069' }, '/title'],
    ['title with a LEFT-TO-RIGHT MARK', { title: 'Booking\u200E' }, '/title'],
    ['title with a LINE SEPARATOR', { title: 'Booking\u2028platform' }, '/title'],
    ['title with a C1 control', { title: 'Booking\u0085platform' }, '/title'],
    ['contact name with an ARABIC LETTER MARK', { contact: { name: 'Anne\u061C Hansen', email: 'anne@regionh.dk' } }, '/contact/name'],
    ['title of zero-width spaces', { title: '\u200B\u200B\u200B' }, '/title'],
    ['title of a combining accent alone', { title: '\u0301' }, '/title'],
    ['contact name of a word joiner', { contact: { name: '\u2060', email: 'anne@regionh.dk' } }, '/contact/name']
  ]
  for (const [name, patch, path] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: { ...valid, ...patch } })
    t.equal(res.statusCode, 400, name)
    t.ok(res.json().errors?.some((e: { path: string }) => e.path === path), `${name}: errors[] names ${path} (got ${res.body})`)
  }
  t.equal(await projectCount(app.db), 0, 'nothing was stored')

  // Danish, other scripts, punctuation alone and emoji are visible; a prose field keeps its line breaks.
  for (const title of ['Ærø – ny færgebooking', 'Проект «Север»', '§ 3', '🚑 Akutlæge', 'x']) {
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: { ...valid, title, description: 'Første linje.\nAnden linje.' } })
    t.equal(res.statusCode, 201, `${title}: ${res.body}`)
  }
})

t.test('over-limit bodies on a kept-alive connection: every one gets its 413, the connection stays usable', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const headers = await authAs('submitter', '1084')
  let connections = 0
  app.server.on('connection', () => { connections++ })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  // One connection, one request at a time: every request below rides the same socket.
  const client = new Client(address, { pipelining: 1 })
  t.teardown(() => client.close())

  const oversized = JSON.stringify(gatedProject({ description: 'x'.repeat(2 * 1024 * 1024) }))
  const post = async (chunked: boolean) => {
    const body = chunked ? Readable.from((function * () { for (let i = 0; i < oversized.length; i += 64 * 1024) yield oversized.slice(i, i + 64 * 1024) })()) : oversized
    const res = await client.request({ method: 'POST', path: '/v1/projects', headers: { ...headers, 'content-type': 'application/json' }, body })
    return { status: res.statusCode, problem: await res.body.json() as { code?: string } }
  }

  t.equal((await client.request({ method: 'GET', path: '/health/live' })).statusCode, 200)
  for (let i = 0; i < 6; i++) {
    // Alternately with Content-Length (refused before a byte is read) and chunked (refused midway).
    const chunked = i % 2 === 1
    const answer = await post(chunked).catch((error: Error) => ({ status: 0, problem: { code: `${error.name}: ${error.message}` } }))
    t.same(answer, { status: 413, problem: { ...answer.problem, code: 'PAYLOAD_TOO_LARGE' } }, `request ${i + 1} (${chunked ? 'chunked' : 'with Content-Length'}): 413`)
  }
  const after = await client.request({ method: 'POST', path: '/v1/projects', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(gatedProject()) })
  t.equal(after.statusCode, 201, 'a valid submission on the same connection afterwards')
  await after.body.dump()
  t.equal(connections, 1, 'all on one connection')
})
