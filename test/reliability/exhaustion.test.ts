import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { REQUEST_TIMEOUT_MS } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { queryRows } from '../../src/db/client.ts'
import { build } from '../helpers/build.ts'
import { authAs, concurrently, gatedProject } from '../helpers/fixtures.ts'
import { assertProblem, buildOnPrivatePostgres, needsPrivatePostgres, waitUntil } from './helpers.ts'

// Two PostgreSQL servers of their own (initdb, start, stop): on a busy machine this file needs far
// more than the suite's per-file default (.taprc). Counted from here.
t.setTimeout(600_000)

t.test('DB_STATEMENT_TIMEOUT_MS: 10 s by default, and it reaches every pooled session', needsPrivatePostgres, async (t) => {
  t.match(loadConfig({ DATABASE_URL: 'postgres://u@h/d' }).database, { statementTimeoutMs: 10_000 })
  t.match(loadConfig({ DATABASE_URL: 'postgres://u@h/d', DB_STATEMENT_TIMEOUT_MS: '1500' }).database, { statementTimeoutMs: 1_500 })
  t.throws(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: '0' }), /DB_STATEMENT_TIMEOUT_MS/)

  const { app } = await buildOnPrivatePostgres(t, { DB_STATEMENT_TIMEOUT_MS: '1500' })
  const [row] = await queryRows<{ statement_timeout: string }>(app.db, sql`show statement_timeout`)
  t.equal(row!.statement_timeout, '1500ms')
})

t.test('a locked table and a full pool: 503 problem+json within bounded time, never a hang; then recovery', needsPrivatePostgres, async (t) => {
  const { app, admin } = await buildOnPrivatePostgres(t, { DB_POOL_SIZE: '2', DB_STATEMENT_TIMEOUT_MS: '1000', WORKERS: 'off' })
  const submitter = await authAs('submitter', '1084')
  const reader = await authAs('secretariat', 'ITR')
  const lock = await admin()

  // 1. Another session holds the projects table: every statement on it waits.
  await lock.query('begin')
  await lock.query('lock table projects in access exclusive mode')

  // 2. Twelve requests on a pool of two: two wait on the lock until the statement timeout, the
  //    rest wait for a connection until the pool's 2 s connect timeout (or the timeout after that).
  const started = Date.now()
  const answers = await concurrently(12, async (i) => {
    const res = i % 2 === 0
      ? await app.inject({ method: 'POST', url: '/v1/projects', headers: submitter, payload: gatedProject({ title: `Låst ${i}` }) })
      : await app.inject({ method: 'GET', url: '/v1/projects', headers: reader })
    return { res, ms: Date.now() - started }
  })
  const ready = await app.inject({ method: 'GET', url: '/health/ready' })
  const elapsed = Date.now() - started
  for (const [i, { res }] of answers.entries()) assertProblem(t, res, 503, `request ${i}`)
  t.ok(answers.every(({ res }) => res.headers['retry-after'] !== undefined), 'each 503 says when to retry')
  t.ok(elapsed < 12_000, `all answered within ${elapsed} ms`)
  t.ok(ready.statusCode === 503 || ready.statusCode === 200, `/health/ready answers (${ready.statusCode}) rather than hanging`)

  // 3. The lock goes: the same requests succeed at once.
  await lock.query('rollback')
  t.ok(await waitUntil(async () => (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200, 30_000) >= 0, 'ready again')
  const after = await concurrently(6, async (i) => app.inject({ method: 'POST', url: '/v1/projects', headers: submitter, payload: gatedProject({ title: `Fri ${i}` }) }))
  t.same(after.map((r) => r.statusCode), after.map(() => 201), 'submissions succeed after the lock is released')
})

/** Opens a raw connection, sends `text` and then nothing; resolves when the server closes it (or after 15 s). */
async function slowClient (port: number, text: string): Promise<{ response: string, closedAfterMs: number | null }> {
  const started = Date.now()
  return new Promise((resolve) => {
    let response = ''
    const socket = connect(port, '127.0.0.1', () => { socket.write(text) })
    socket.on('data', (chunk) => { response += chunk.toString() })
    socket.on('error', () => {})
    socket.on('close', () => resolve({ response, closedAfterMs: Date.now() - started }))
    setTimeout(() => { socket.destroy(); resolve({ response, closedAfterMs: null }) }, 15_000).unref()
  })
}

t.test('a client that never finishes its request is cut off by the request timeout (slowloris)', async (t) => {
  const { app } = await build(t)
  // 1. The production setting.
  t.equal(REQUEST_TIMEOUT_MS, 30_000)
  t.equal(app.server.requestTimeout, REQUEST_TIMEOUT_MS)

  // 2. Shortened to 1 s for the test, the same mechanism. Node checks the headers every 5 s; the
  //    service gives the body the same deadline, also when it has answered before reading it.
  await app.listen({ port: 0, host: '127.0.0.1' })
  app.server.requestTimeout = 1_000
  const { port } = app.server.address() as AddressInfo
  const jwt = (await authAs('submitter', '1084')).authorization
  const body = 'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"title":'
  const [headers, bodyAfter401, bodyAuthenticated] = await Promise.all([
    slowClient(port, 'GET /v1/regions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: '),
    slowClient(port, `POST /v1/projects HTTP/1.1\r\nHost: 127.0.0.1\r\n${body}`),
    slowClient(port, `POST /v1/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${jwt}\r\n${body}`)
  ])
  for (const [name, result] of Object.entries({ headers, bodyAfter401, bodyAuthenticated })) {
    t.ok(result.closedAfterMs !== null && result.closedAfterMs < 10_000, `${name}: the server closed the connection (after ${result.closedAfterMs} ms)`)
  }
  t.match(headers.response, /^HTTP\/1\.1 408 /, 'slow headers: 408 Request Timeout')
  t.match(bodyAfter401.response, /^HTTP\/1\.1 401 /, 'a body after an early 401 is not waited for')
  t.equal(bodyAuthenticated.response, '', 'a slow body is dropped')

  // 3. A request that completes in time is unaffected.
  t.equal((await app.inject({ method: 'POST', url: '/v1/projects', headers: await authAs('submitter', '1084'), payload: gatedProject() })).statusCode, 201)
})
