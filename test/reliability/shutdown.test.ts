import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import t from 'tap'
import { bearer, token } from '../helpers/build.ts'
import { gatedProject } from '../helpers/fixtures.ts'
import { needsPrivatePostgres, spawnServer, startOwnPostgres, waitUntil } from './helpers.ts'

const IN_FLIGHT = 60

t.test('SIGTERM with 60 submissions in flight: all 60 answer 201, the process exits 0 within 10 s', needsPrivatePostgres, async (t) => {
  const database = await startOwnPostgres()
  const dataDir = mkdtempSync(join(tmpdir(), 'council-gate-shutdown-'))
  const admin = new pg.Client({ connectionString: database.url, application_name: 'fault-test-admin' })
  // pg_stat_activity is a snapshot per transaction: it is watched from a second connection.
  const watcher = new pg.Client({ connectionString: database.url, application_name: 'fault-test-watcher' })
  t.teardown(async () => {
    await admin.end().catch(() => {})
    await watcher.end().catch(() => {})
    await database.destroy()
    rmSync(dataDir, { recursive: true, force: true })
  })

  // 1. The real server, as `npm start` runs it, on its own port and database.
  const server = await spawnServer(t, {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    DB_POOL_SIZE: String(IN_FLIGHT + 4),
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn'
  })
  const { base } = server

  const ready = await waitUntil(async () => (await fetch(`${base}/health/ready`)).status === 200, 40_000, 200)
  t.ok(ready >= 0, 'the server became ready')
  if (ready < 0) return t.comment(server.output())

  // 2. Hold the projects table so that all 60 submissions are inside the service, waiting on the database.
  await admin.connect()
  await watcher.connect()
  await admin.query('begin')
  await admin.query('lock table projects in share mode')
  const headers = { ...bearer(await token('submitter', '1084')), 'content-type': 'application/json' }
  const requests = Array.from({ length: IN_FLIGHT }, async (_, i) => {
    const res = await fetch(`${base}/v1/projects`, { method: 'POST', headers, body: JSON.stringify(gatedProject({ title: `Nedlukning ${i}` })) })
    return { status: res.status, body: await res.text() }
  })
  const waiting = async () => (await watcher.query<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where application_name = 'council-gate' and wait_event_type = 'Lock'")).rows[0]!.n
  t.ok(await waitUntil(async () => await waiting() >= IN_FLIGHT, 20_000) >= 0, `all ${IN_FLIGHT} requests are in flight`)

  // 3. SIGTERM now; the requests are still waiting. A new request is turned away meanwhile.
  const signalledAt = Date.now()
  server.process.kill('SIGTERM')
  await sleep(300)
  const late = await fetch(`${base}/health/live`).then((r) => r.status, () => 'refused')
  t.ok(late === 503 || late === 'refused', `a new request during shutdown is refused or 503 (got ${late})`)
  t.equal(server.process.exitCode, null, 'the process waits for the requests in flight')
  await admin.query('rollback')

  // 4. Every request in flight completes; then the process exits cleanly, in time.
  const results = await Promise.all(requests)
  t.same(results.map((r) => r.status), results.map(() => 201), 'all 60 requests in flight answered 201')
  const exit = await Promise.race([server.exited, sleep(15_000).then(() => null)])
  t.ok(exit, 'the process exited')
  if (!exit) return t.comment(server.output())
  t.equal(exit.code, 0, 'exit code 0')
  t.ok(exit.at - signalledAt < 10_000, `exited ${exit.at - signalledAt} ms after SIGTERM`)
  const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from projects')
  t.equal(rows[0]!.n, IN_FLIGHT, 'and the 60 projects are stored')
  t.notMatch(server.output(), /"level":(50|60)/, 'no error logged')
})
