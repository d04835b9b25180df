import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'

t.test('GET /v1/regions lists the five regions for any authenticated role', async (t) => {
  const { app } = await build(t)
  for (const role of ['submitter', 'council_member', 'secretariat', 'integration', 'admin'] as const) {
    const res = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(await token(role, 'ITR')) })
    t.equal(res.statusCode, 200, role)
    t.same(res.json().items, [
      { code: '1081', name: 'Region Nordjylland', iso: 'DK-81' },
      { code: '1082', name: 'Region Midtjylland', iso: 'DK-82' },
      { code: '1083', name: 'Region Syddanmark', iso: 'DK-83' },
      { code: '1084', name: 'Region Hovedstaden', iso: 'DK-84' },
      { code: '1085', name: 'Region Sjælland', iso: 'DK-85' }
    ])
  }
})

t.test('GET /v1/regions without a token is 401 problem+json with WWW-Authenticate', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v1/regions' })
  t.equal(res.statusCode, 401)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(res.headers['www-authenticate'], /^Bearer/)
  t.match(res.json(), { status: 401, code: 'UNAUTHENTICATED', type: '/problems/unauthenticated' })
})

t.test('a token with no known role gets 403', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(await token([], '1084')) })
  t.equal(res.statusCode, 403)
  t.equal(res.json().code, 'FORBIDDEN')
})
