import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'

t.test('a known path with a method it lacks answers 405 with Allow; an unknown path 404', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const admin = bearer(await token('admin', 'ITR'))

  const cases: Array<[method: 'DELETE' | 'PUT' | 'PATCH' | 'POST' | 'OPTIONS', url: string, allow: string]> = [
    ['DELETE', '/v1/projects', 'GET, HEAD, POST'],
    ['PUT', '/v1/events', 'GET, HEAD'],
    ['POST', '/v1/projects/00000000-0000-4000-8000-000000000000', 'GET, HEAD, PATCH'],
    ['PATCH', '/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries?status=dead', 'GET, HEAD'],
    ['DELETE', '/v1/events/stream-tickets', 'POST'],
    ['OPTIONS', '/v1/regions/', 'GET, HEAD']
  ]
  for (const [method, url, allow] of cases) {
    const res = await app.inject({ method, url, headers: admin })
    t.equal(res.statusCode, 405, `${method} ${url}`)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    // Every method the path has, whatever other helpers add later: compare as sets.
    t.same(String(res.headers.allow).split(', ').sort(), allow.split(', ').sort(), `${method} ${url}: Allow`)
    t.match(res.json(), { status: 405, code: 'METHOD_NOT_ALLOWED', type: '/problems/method-not-allowed' })
  }

  const danish = await app.inject({ method: 'DELETE', url: '/v1/projects', headers: { 'accept-language': 'da' } })
  t.equal(danish.statusCode, 405, 'before authentication: the path has no such operation for anyone')
  t.match(danish.json(), { title: 'Metoden er ikke tilladt', detail: '/v1/projects tager ikke imod DELETE; den tager imod GET, HEAD, POST' })

  for (const [method, url] of [['GET', '/v1/nothing'], ['DELETE', '/v1/nothing/at/all'], ['POST', '/v2/projects']] as const) {
    const res = await app.inject({ method, url, headers: admin })
    t.equal(res.statusCode, 404, `${method} ${url}`)
    t.equal(res.headers.allow, undefined)
    t.equal(res.json().code, 'ROUTE_NOT_FOUND')
  }

  // The file trees under /app and /docs (wildcard routes) make no path known: a missing file, or
  // another method than GET, is a 404. Their exact routes are paths like any other.
  for (const [method, url] of [['GET', '/app/js/no-such-file.js'], ['POST', '/app/dev-token'], ['DELETE', '/docs/static/no-such-file.css']] as const) {
    const res = await app.inject({ method, url })
    t.equal(res.statusCode, 404, `${method} ${url}`)
    t.equal(res.headers.allow, undefined)
  }
  const page = await app.inject({ method: 'POST', url: '/app/' })
  t.equal(page.statusCode, 405, 'POST /app/')
  t.equal(page.headers.allow, 'GET, HEAD')
})
