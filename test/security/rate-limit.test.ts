import t from 'tap'
import { build } from '../helpers/build.ts'
import { authAs, failOnServerErrors } from '../helpers/fixtures.ts'

t.test('RATE_LIMIT_PER_MINUTE: per token subject, then 429 problem+json with Retry-After; health checks exempt', async (t) => {
  const { app } = await build(t, { env: { RATE_LIMIT_PER_MINUTE: '5', WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const anne = await authAs('council_member', '1081', { sub: 'anne' })
  const bent = await authAs('council_member', '1083', { sub: 'bent' })

  // 1. Five requests pass, the sixth is refused, and says when to come back.
  const statuses = []
  for (let i = 0; i < 6; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/regions', headers: anne })).statusCode)
  t.same(statuses, [200, 200, 200, 200, 200, 429])
  const limited = await app.inject({ method: 'GET', url: '/v1/projects', headers: anne })
  t.equal(limited.statusCode, 429)
  t.match(limited.headers['content-type'], /^application\/problem\+json/)
  t.match(limited.json(), { status: 429, code: 'RATE_LIMITED' })
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After in seconds')

  // 2. Another subject has a bucket of its own, even from the same address.
  t.equal((await app.inject({ method: 'GET', url: '/v1/regions', headers: bent })).statusCode, 200)

  // 3. Anonymous callers of public routes share a bucket per address; health checks are never limited.
  const anonymous = []
  for (let i = 0; i < 6; i++) anonymous.push((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode)
  t.same(anonymous, [200, 200, 200, 200, 200, 429])
  for (let i = 0; i < 10; i++) t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200)
})

t.test('requests refused with 403 count toward the limit: probing what a role may not do is limited too', async (t) => {
  const { app } = await build(t, { env: { RATE_LIMIT_PER_MINUTE: '3', WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const submitter = await authAs('submitter', '1084', { sub: 'probe' })
  const statuses = []
  // Webhooks are integrations' and admins': a submitter is refused, and each refusal is counted.
  for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/webhooks', headers: submitter })).statusCode)
  t.same(statuses, [403, 403, 403, 429])
  t.equal((await app.inject({ method: 'GET', url: '/v1/regions', headers: submitter })).statusCode, 429, 'and then the allowed routes are limited too')
})

t.test('RATE_LIMIT_PER_MINUTE=0 turns the limit off', async (t) => {
  const { app } = await build(t, { env: { RATE_LIMIT_PER_MINUTE: '0', WORKERS: 'off' } })
  const headers = await authAs('admin', 'ITR')
  for (let i = 0; i < 30; i++) {
    const res = await app.inject({ method: 'GET', url: '/v1/regions', headers })
    if (res.statusCode !== 200) return t.fail(`request ${i} answered ${res.statusCode}`)
  }
  t.pass('30 requests, no 429')
})
