import t from 'tap'
import { z } from 'zod'
import { AppError } from '../../src/errors.ts'
import { msg } from '../../src/messages.ts'
import { bearer, build, token } from '../helpers/build.ts'

// A JSON route for exercising the body pipeline; the real routes use the same plugins.
async function buildWithEcho (t: Parameters<typeof build>[0]) {
  return build(t, {
    routes (app) {
      app.post('/test/echo', {
        config: { access: { roles: ['admin'] } },
        schema: { body: z.strictObject({ name: z.string().max(5), items: z.array(z.object({ n: z.number().int() })).optional() }) }
      }, async (request) => request.body)
      app.get('/test/boom', { config: { access: 'public' } }, async () => {
        throw new Error('secret detail: select * from projects')
      })
      app.get('/test/conflict', { config: { access: 'public' } }, async () => {
        throw new AppError('STATE_CONFLICT', msg('actionNotAllowed', { status: 'withdrawn', action: 'revise' }))
      })
    }
  })
}

t.test('unknown routes are 404 problem+json', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' })
  t.equal(res.statusCode, 404)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.same(res.json(), {
    type: '/problems/route-not-found',
    title: 'No such route',
    status: 404,
    detail: 'no route GET /v1/nothing-here',
    instance: '/v1/nothing-here',
    code: 'ROUTE_NOT_FOUND'
  })
})

t.test('body errors: malformed JSON 400, schema 400 with pointers, unknown property 400, 415, 413', async (t) => {
  const { app } = await buildWithEcho(t)
  const headers = { ...bearer(await token('admin', 'ITR')), 'content-type': 'application/json' }

  // 1. malformed JSON
  let res = await app.inject({ method: 'POST', url: '/test/echo', headers, payload: '{"name": ' })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { code: 'MALFORMED_JSON', status: 400 })

  // 2. schema violation: errors[] carries JSON pointers
  res = await app.inject({ method: 'POST', url: '/test/echo', headers, payload: { name: 'toolongname', items: [{ n: 1 }, { n: 1.5 }] } })
  t.equal(res.statusCode, 400)
  const body = res.json()
  t.equal(body.code, 'VALIDATION_FAILED')
  t.same(body.errors.map((e: { path: string }) => e.path).sort(), ['/items/1/n', '/name'])

  // 3. unknown property
  res = await app.inject({ method: 'POST', url: '/test/echo', headers, payload: { name: 'ok', admin: true } })
  t.equal(res.statusCode, 400)
  t.match(res.json().detail, /admin/)

  // 4. wrong media type
  res = await app.inject({ method: 'POST', url: '/test/echo', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'name=ok' })
  t.equal(res.statusCode, 415)
  t.equal(res.json().code, 'UNSUPPORTED_MEDIA_TYPE')

  // 5. over 1 MiB
  res = await app.inject({ method: 'POST', url: '/test/echo', headers, payload: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }) })
  t.equal(res.statusCode, 413)
  t.equal(res.json().code, 'PAYLOAD_TOO_LARGE')

  // 6. the same body, valid, passes
  res = await app.inject({ method: 'POST', url: '/test/echo', headers, payload: { name: 'ok' } })
  t.equal(res.statusCode, 200)
})

t.test('authentication runs before body parsing errors are revealed', async (t) => {
  const { app } = await buildWithEcho(t)
  const res = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '{bad' })
  t.equal(res.statusCode, 401)
})

t.test('a 500 says nothing about its cause', async (t) => {
  const { app } = await buildWithEcho(t)
  const res = await app.inject({ method: 'GET', url: '/test/boom' })
  t.equal(res.statusCode, 500)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.notMatch(res.body, /secret|select|stack|\.ts/)
  t.same(Object.keys(res.json()).sort(), ['code', 'detail', 'instance', 'status', 'title', 'type'])
})

t.test('catalogued errors keep their status and detail', async (t) => {
  const { app } = await buildWithEcho(t)
  const res = await app.inject({ method: 'GET', url: '/test/conflict' })
  t.equal(res.statusCode, 409)
  t.match(res.json(), { code: 'STATE_CONFLICT', detail: 'a project in state "withdrawn" cannot be revised' })
})

t.test('responses carry a request id, and a sane incoming one is kept', async (t) => {
  const { app } = await build(t)
  let res = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'abc-123' } })
  t.equal(res.headers['x-request-id'], 'abc-123')
  res = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'bad id with spaces' } })
  t.match(res.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('a problem type answers when dereferenced: GET /problems/{type} describes the kind; unknown types are 404', async (t) => {
  const { app } = await build(t)
  const refused = await app.inject({ method: 'GET', url: '/v1/regions' })
  const type = refused.json().type
  t.equal(type, '/problems/unauthenticated')
  const kind = await app.inject({ method: 'GET', url: type })
  t.equal(kind.statusCode, 200)
  t.same(kind.json(), { type: '/problems/unauthenticated', code: 'UNAUTHENTICATED', title: refused.json().title, status: 401 })
  for (const path of ['/problems/position-beyond-head', '/problems/payload-too-large', '/problems/conflict-of-interest']) {
    t.equal((await app.inject({ method: 'GET', url: path })).json().type, path, path)
  }
  const unknown = await app.inject({ method: 'GET', url: '/problems/no-such-kind' })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.headers['content-type'], /^application\/problem\+json/)
  t.equal(unknown.json().type, '/problems/not-found')
})
