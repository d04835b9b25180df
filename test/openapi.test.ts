import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import type { HTTPMethods } from 'fastify'
import t from 'tap'
import { z } from 'zod'
import { renderOpenApiDocument } from '../src/openapi-document.ts'
import { ROOT_DIR } from '../src/paths.ts'
import type { Access } from '../src/plugins/auth.ts'
import { build } from './helpers/build.ts'
import { accessCollector, registeredRoutes } from './helpers/routes.ts'

interface Operation { description?: string, security?: unknown[], 'x-roles'?: string[], responses: Record<string, unknown> }
interface Document {
  info: { version: string }
  security: unknown[]
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, unknown>, securitySchemes: Record<string, { type: string, scheme?: string }> }
}

/** Not operations of the API: the page redirect, the pages' files under /app and the reference page's own files. */
const UNDOCUMENTED = /^\/$|^\/app(\/|$)|^\/docs\/./

const sorted = (roles: readonly string[]) => [...roles].sort()

/** The roles the closing sentence of a description names; [] for "No token needed.". */
function sentenceRoles (description: string | undefined): string[] | undefined {
  if (description?.endsWith('No token needed.')) return []
  const match = /Roles: ([a-z_]+(?:, [a-z_]+)*)\.$/.exec(description ?? '')
  return match ? match[1]!.split(', ') : undefined
}

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

t.test('every route\'s operation names the roles of its config.access: x-roles, the description and security', async (t) => {
  const seen = new Map<string, Access | undefined>()
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: accessCollector(seen) })
  const routes = registeredRoutes(app)
  // Any request that reaches a route shows its config (no token: nothing runs past the auth hook).
  for (const route of routes) await app.inject({ method: route.method as HTTPMethods, url: route.url.replace(/:\w+/g, 'x').replace(/\*$/, 'no-such-file') })
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<Document>()

  const documented = new Set<string>()
  for (const route of routes) {
    const key = `${route.method} ${route.url}`
    const access = seen.get(key) ?? seen.get(`${key}/`)
    if (access === undefined) {
      t.fail(`${key}: no request reached it`)
      continue
    }
    const operation = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()]
    if (operation === undefined) {
      t.ok(UNDOCUMENTED.test(route.url) && access === 'public', `${key} is left out of the document only as a public file`)
      continue
    }
    documented.add(key)
    const roles = access === 'public' ? [] : access.roles
    t.same(sorted(operation['x-roles'] ?? ['missing']), sorted(roles), `${key}: x-roles`)
    t.same(sorted(sentenceRoles(operation.description) ?? ['missing']), sorted(roles), `${key}: the description ends with its roles`)
    if (access === 'public') t.same(operation.security, [], `${key}: public, security: []`)
    else t.not(operation.security?.length, 0, `${key}: needs a token`)
  }
  for (const path of ['/health/live', '/health/ready', '/openapi.json', '/docs', '/problems/{type}']) {
    t.same(doc.paths[path]?.get?.['x-roles'], [], `GET ${path} is public`)
  }
  const operations = Object.values(doc.paths).flatMap((methods) => Object.keys(methods))
  t.equal(operations.length, documented.size, 'every operation is a registered route')
})

t.test('the roles come from the route itself', async (t) => {
  const { app } = await build(t, {
    env: { WORKERS: 'off' },
    routes: (app) => {
      app.get('/v1/probe', { config: { access: { roles: ['integration', 'council_member'] } }, schema: { description: 'A probe.', response: { 200: z.object({}) } } }, async () => ({}))
      app.get('/probe', { config: { access: 'public' }, schema: { response: { 200: z.object({}) } } }, async () => ({}))
    }
  })
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<Document>()
  const guarded = doc.paths['/v1/probe']!.get!
  t.same(guarded['x-roles'], ['integration', 'council_member'])
  t.equal(guarded.description, 'A probe.\n\nRoles: integration, council_member.')
  t.equal(guarded.security, undefined, 'the document\'s bearer scheme applies')
  const open = doc.paths['/probe']!.get!
  t.same(open['x-roles'], [])
  t.equal(open.description, 'No token needed.')
  t.same(open.security, [])
})

t.test('the bearer scheme is declared once', async (t) => {
  const { app } = await build(t)
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<Document>()
  const bearers = Object.entries(doc.components.securitySchemes).filter(([, s]) => s.type === 'http' && s.scheme === 'bearer')
  t.same(bearers.map(([name]) => name), ['bearer'])
  t.same(doc.security, [{ bearer: [] }])
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      t.notOk(isDeepStrictEqual(operation.security, doc.security), `${method} ${path} does not repeat the document's security`)
    }
  }
})

t.test('info.version is package.json\'s version', async (t) => {
  const { app } = await build(t)
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<Document>()
  const pkg = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string }
  t.equal(doc.info.version, pkg.version)
})

/**
 * Schemas that are one thing under two names: two deep-equal components (references to `FooInput`
 * and `Foo` counted as the same), a `Foo1` next to `Foo`, and an inline schema in an operation that
 * is a component's copy.
 */
function schemaCopies (doc: Pick<Document, 'paths' | 'components'>): string[] {
  const alike = (node: unknown): unknown => JSON.parse(JSON.stringify(node), (key, value: unknown) =>
    key === '$ref' && typeof value === 'string' ? value.replace(/Input$/, '') : value)
  const components = Object.entries(doc.components.schemas).map(([name, schema]) => [name, alike(schema)] as const)
  const copies: string[] = []
  for (const [i, [name, schema]] of components.entries()) {
    for (const [other, otherSchema] of components.slice(i + 1)) {
      if (isDeepStrictEqual(schema, otherSchema)) copies.push(`${name} = ${other}`)
    }
    const base = /^(.*\D)\d+$/.exec(name)?.[1]
    if (base !== undefined && base in doc.components.schemas) copies.push(`${name} next to ${base}`)
  }
  const inline = (node: unknown, at: string): void => {
    if (node === null || typeof node !== 'object') return
    if (!Array.isArray(node)) {
      const same = components.find(([, schema]) => isDeepStrictEqual(alike(node), schema))
      if (same !== undefined) copies.push(`${at} copies ${same[0]}`)
    }
    for (const [key, value] of Object.entries(node)) inline(value, `${at}/${key}`)
  }
  inline(doc.paths, '#/paths')
  return copies
}

t.test('each component schema is one thing under one name', async (t) => {
  const { app } = await build(t)
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<Document>()
  t.same(schemaCopies(doc), [])

  // The check finds each kind of copy.
  const Foo = { type: 'object', properties: { a: { $ref: '#/components/schemas/BarInput' } } }
  const copy = { type: 'object', properties: { a: { $ref: '#/components/schemas/Bar' } } }
  t.same(schemaCopies({
    components: { schemas: { Foo, FooInput: copy, Bar: { type: 'string' }, Baz: { type: 'integer' }, Baz1: { type: 'integer', minimum: 1 } }, securitySchemes: {} },
    paths: { '/x': { get: { responses: { 200: { content: { 'application/json': { schema: { ...copy } } } } } } } }
  }), ['Foo = FooInput', 'Baz1 next to Baz', '#/paths//x/get/responses/200/content/application/json/schema copies Foo'])
})
