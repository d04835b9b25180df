import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'

t.test('live and ready are 200 while the database answers', async (t) => {
  const { app } = await build(t)
  t.same((await app.inject({ method: 'GET', url: '/health/live' })).json(), { status: 'ok' })
  const ready = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ok' })
})

t.test('ready is 503 problem+json when the database is gone; live stays 200', async (t) => {
  const { app, database } = await build(t)
  await database.close()
  const ready = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 503)
  t.match(ready.headers['content-type'], /^application\/problem\+json/)
  t.equal(ready.json().code, 'UNAVAILABLE')
  t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200)
})

t.test('/metrics reports request durations by route template and pool figures, to an admin only', async (t) => {
  const { app } = await build(t)
  await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(await token('admin', 'ITR')) })
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(await token('admin', 'ITR')) })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain/)
  t.match(res.body, /http_request_duration_seconds_count\{method="GET",route="\/v1\/regions",status_code="200"\} 1/)
  t.match(res.body, /db_pool_connections\{state="total"\}/)

  const anonymous = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(anonymous.statusCode, 401, 'no token: 401')
  t.match(anonymous.headers['content-type'], /^application\/problem\+json/)
  t.notMatch(anonymous.body, /http_request_duration_seconds/)
  for (const role of ['submitter', 'council_member', 'secretariat', 'integration'] as const) {
    t.equal((await app.inject({ method: 'GET', url: '/metrics', headers: bearer(await token(role, role === 'submitter' ? '1084' : 'ITR')) })).statusCode, 403, role)
  }
})

t.test('METRICS_PORT: the same metrics without a token on a port of their own, nothing else there; closed with the app', async (t) => {
  const { app } = await build(t)
  await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(await token('admin', 'ITR')) })
  const { port } = await app.serveMetrics({ port: 0, host: '127.0.0.1' })
  const metrics = await fetch(`http://127.0.0.1:${port}/metrics`)
  t.equal(metrics.status, 200)
  t.match(metrics.headers.get('content-type'), /^text\/plain/)
  t.match(await metrics.text(), /http_request_duration_seconds_count\{method="GET",route="\/v1\/regions",status_code="200"\} 1/)
  for (const path of ['/', '/v1/regions', '/health/live', '/metrics/x']) {
    const other = await fetch(`http://127.0.0.1:${port}${path}`)
    t.equal(other.status, 404, path)
    await other.body?.cancel()
  }
  t.equal((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status, 404, 'POST /metrics')
  await app.close()
  await t.rejects(fetch(`http://127.0.0.1:${port}/metrics`), 'the port is closed with the app')
})
