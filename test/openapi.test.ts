import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { renderOpenApiDocument } from '../src/openapi-document.ts'
import { ROOT_DIR } from '../src/paths.ts'
import { build } from './helpers/build.ts'

t.test('openapi/openapi.json is up to date (run `npm run openapi`)', async (t) => {
  const stored = readFileSync(join(ROOT_DIR, 'openapi', 'openapi.json'), 'utf8')
  t.equal(await renderOpenApiDocument(), stored)
})

t.test('/openapi.json is OpenAPI 3.1 with bearer security and problem responses', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.equal(doc.openapi, '3.1.0')
  t.match(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer' })
  const regions = doc.paths['/v1/regions'].get
  t.ok(regions.responses['401'].content['application/problem+json'])
  // Every operation documents its success and its problem responses.
  for (const [path, operations] of Object.entries<Record<string, { responses: Record<string, unknown> }>>(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const statuses = Object.keys(operation.responses)
      t.ok(statuses.some((s) => s.startsWith('2')), `${method} ${path} documents a success`)
      if (path.startsWith('/v1/')) t.ok(statuses.includes('401'), `${method} ${path} documents 401`)
    }
  }
})

t.test('/docs serves the interactive reference', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/docs' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/html/)
})
