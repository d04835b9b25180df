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

t.test('/metrics reports request durations by route template and pool figures', async (t) => {
  const { app } = await build(t)
  await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(await token('admin', 'ITR')) })
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain/)
  t.match(res.body, /http_request_duration_seconds_count\{method="GET",route="\/v1\/regions",status_code="200"\} 1/)
  t.match(res.body, /db_pool_connections\{state="total"\}/)
})
