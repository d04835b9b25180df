import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { bearer, token } from '../helpers/build.ts'
import { spawnServer, waitUntil } from './helpers.ts'

// The server runs in a process of its own on a new in-memory PGlite (initdb and the migrations,
// ~5 s on an idle machine, minutes on a busy one): more than the suite's per-file default.
t.setTimeout(600_000)

/*
 * The server's log is buffered (src/server.ts): lines go out in writes of 4 KB, so a quiet
 * service's lines must still leave within the periodic flush, and whatever is buffered when the
 * process stops must be written before it exits.
 */
t.test('the real server writes a quiet request\'s log line within two seconds, and its last lines before it exits', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'council-gate-logs-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const server = await spawnServer(t, { DATABASE_URL: 'pglite://memory', DATA_DIR: dataDir, LOG_LEVEL: 'info' })
  const { base } = server
  const output = () => server.output()
  // Waits for the state (ready answers 200), or the process ending; the limit only bounds a server
  // that never gets there.
  const ready = await Promise.race([
    waitUntil(async () => (await fetch(`${base}/health/ready`).catch(() => null))?.status === 200, 300_000, 200),
    server.exited.then(() => -1)
  ])
  t.ok(ready >= 0, 'the server became ready')
  if (ready < 0) return t.comment(output())

  // The start-up log says where the pages and the API documentation are, and / leads to the pages.
  const started = () => output().split('\n').find((l) => l.includes('"msg":"pages at '))
  t.ok(await waitUntil(async () => started() !== undefined, 60_000) >= 0, 'the start-up line with the addresses is written')
  t.match(JSON.parse(started() ?? '{}'), { pages: `${base}/app/`, docs: `${base}/docs` })
  const root = await fetch(`${base}/`, { redirect: 'manual' })
  t.equal(root.status, 302, 'GET / redirects')
  t.equal(root.headers.get('location'), '/app/')

  // One request, far less than 4 KB of log: only the periodic flush can write its line.
  const res = await fetch(`${base}/v1/regions`, { headers: bearer(await token('submitter', '1084')) })
  t.equal(res.status, 200)
  const requestId = res.headers.get('x-request-id')!
  const line = () => output().split('\n').find((l) => l.includes(requestId) && l.includes('"msg":"request"'))
  const seen = await waitUntil(async () => line() !== undefined, 2_000)
  t.ok(seen >= 0, `the request's line is written within 2 s (${seen} ms)`)
  t.match(JSON.parse(line() ?? '{}'), { method: 'GET', url: '/v1/regions', status: 200 })

  // Stopping: the shutdown line is buffered like any other and written before the process exits.
  server.process.kill('SIGTERM')
  t.equal((await server.exited).code, 0, 'exit code 0')
  t.match(output(), /"signal":"SIGTERM","msg":"shutting down"/, 'the last line is written')
})
