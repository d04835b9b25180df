import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ROOT_DIR } from '../paths.ts'
import { PROBLEM_DESCRIPTIONS, ProblemSchema, type ProblemStatus } from '../schemas/common.ts'

export const OPENAPI_INFO = {
  title: 'council-gate',
  version: (JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string }).version,
  description: [
    'Project gating for Regionernes It-råd and Statens It-råd: regions submit IT projects, the gate',
    'decides which ones the council must review, council members assess risk, the secretariat issues',
    'the recommendation letter, and every change is an audit event (CloudEvents 1.0) in a',
    'tamper-evident, gap-free feed.',
    '',
    'Errors are RFC 9457 `application/problem+json`: with `Accept-Language: da` their `title`, `detail` and',
    '`errors[].message` are in Danish, otherwise in English (`Content-Language` says which; `type`, `code` and',
    'status are the same in both). Money is whole DKK as a JSON integer.',
    'Lists are `{ items, nextCursor }`, paged with `limit` (1–200, default 50) and `cursor`.'
  ].join('\n')
}

const SUCCESS_DESCRIPTIONS: Record<string, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' }

interface OpenApiDocument {
  paths?: Record<string, Record<string, { responses?: Record<string, { description?: string, content?: Record<string, unknown> }> }>>
  components?: { schemas?: Record<string, unknown> }
}

type TransformInput = Parameters<typeof jsonSchemaTransform>[0]

/** The reference page (@fastify/swagger-ui registers it, without a schema of ours). */
const DOCS_PAGE_SCHEMA = {
  tags: ['operations'],
  summary: 'The interactive API reference (Swagger UI) for this document',
  response: {
    200: { description: 'OK', content: { 'text/html': { schema: { type: 'string' } } } },
    429: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } }
  }
}

/**
 * Each operation names who may call it, from its route's `config.access` (plugins/auth.ts), the one
 * place roles are declared: `x-roles` (empty for a public route) and a closing sentence in the
 * description. A public operation needs no token (`security: []`); the others have the document's
 * bearer scheme, unless their schema lists alternatives.
 */
function withRoles (input: TransformInput) {
  const { schema, url } = input.url === '/docs' ? { schema: DOCS_PAGE_SCHEMA, url: input.url } : jsonSchemaTransform(input)
  if (schema === undefined || ('hide' in schema && schema.hide === true)) return { schema, url }
  const access = input.route.config?.access
  if (access === undefined) throw new Error(`route ${input.route.method.toString()} ${url} declares no config.access`)
  const roles = access === 'public' ? [] : [...access.roles]
  const sentence = access === 'public' ? 'No token needed.' : `Roles: ${roles.join(', ')}.`
  const description = 'description' in schema && typeof schema.description === 'string' ? `${schema.description}\n\n${sentence}` : sentence
  return { url, schema: { ...schema, description, 'x-roles': roles, ...(access === 'public' ? { security: [] } : {}) } }
}

const SCHEMA_REF = '#/components/schemas/'

/** A copy of `node` with its component references renamed by `names`. */
function renameRefs<T> (node: T, names: ReadonlyMap<string, string>): T {
  return JSON.parse(JSON.stringify(node), (key, value: unknown) => {
    if (key !== '$ref' || typeof value !== 'string' || !value.startsWith(SCHEMA_REF)) return value
    const name = value.slice(SCHEMA_REF.length)
    return SCHEMA_REF + (names.get(name) ?? name)
  }) as T
}

/** The names of the component schemas `node` refers to, directly or through other components. */
function referencedSchemas (node: unknown, schemas: Record<string, unknown>, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) referencedSchemas(item, schemas, found)
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_REF)) {
        const name = value.slice(SCHEMA_REF.length)
        if (!found.has(name)) {
          found.add(name)
          referencedSchemas(schemas[name], schemas, found)
        }
      } else {
        referencedSchemas(value, schemas, found)
      }
    }
  }
  return found
}

const INPUT_SUFFIX = 'Input'

/**
 * fastify-type-provider-zod emits every registered zod schema twice: as requests are read
 * (`FooInput`) and as responses are written (`Foo`). Only the components the document uses stay,
 * each under its registered name: a schema only requests use drops the suffix, and one used both
 * ways is a single component when both readings are the same.
 */
function mergeSchemaCopies<T extends OpenApiDocument> (document: T): T {
  const schemas = document.components?.schemas ?? {}
  const used = referencedSchemas({ ...document, components: { ...document.components, schemas: {} } }, schemas)
  const names = new Map<string, string>()
  let both: string[] = []
  for (const name of used) {
    if (!name.endsWith(INPUT_SUFFIX)) continue
    const base = name.slice(0, -INPUT_SUFFIX.length)
    if (used.has(base)) both.push(name)
    else names.set(name, base)
  }
  // Alike when equal with the alike ones merged: start from all, drop the unequal until none is left to drop.
  for (let before = -1; before !== both.length;) {
    before = both.length
    const merged = new Map([...names, ...both.map((name) => [name, name.slice(0, -INPUT_SUFFIX.length)] as const)])
    both = both.filter((name) => isDeepStrictEqual(renameRefs(schemas[name], merged), renameRefs(schemas[merged.get(name)!], merged)))
  }
  for (const name of both) names.set(name, name.slice(0, -INPUT_SUFFIX.length))
  const kept = [...used].filter((name) => !both.includes(name)).map((name) => [names.get(name) ?? name, schemas[name]] as const)
  return renameRefs({
    ...document,
    components: { ...document.components, schemas: Object.fromEntries(kept.sort(([a], [b]) => a.localeCompare(b))) }
  }, names)
}

/** Problems are served as application/problem+json; say so, and give every response a real description. */
function describeResponses<T extends OpenApiDocument> (document: T): T {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const code = Number(status)
        if (code >= 400) {
          response.description = PROBLEM_DESCRIPTIONS[code as ProblemStatus] ?? 'Problem'
          const json = response.content?.['application/json']
          if (json) response.content = { 'application/problem+json': json }
        } else if (response.description === 'Default Response') {
          response.description = SUCCESS_DESCRIPTIONS[status] ?? 'Success'
        }
      }
    }
  }
  return document
}

/** OpenAPI 3.1 from the route schemas, served at /openapi.json, with the interactive reference at /docs. */
async function openapiPlugin (fastify: FastifyInstance) {
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      servers: [],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'RS256, ES256 or EdDSA; iss, aud, exp, sub, org and roles claims' },
          streamTicket: { type: 'apiKey', in: 'query', name: 'ticket', description: 'A single-use ticket from POST /v1/events/stream-tickets (60 s), for GET /v1/events/stream from EventSource, which sends no headers' }
        }
      },
      security: [{ bearer: [] }],
      tags: [
        { name: 'projects', description: 'Submission, gating and baselines' },
        { name: 'review', description: 'Assignments, disqualification, risk assessments, letter, response, status reports' },
        { name: 'follow-up', description: 'After the letter: the council\'s portfolio of followed projects per half-year' },
        { name: 'events', description: 'Audit feed, live stream, webhooks and verification' },
        { name: 'reference', description: 'Reference data' },
        { name: 'councils', description: 'The two councils, their dated policy versions and the organisations' },
        { name: 'operations', description: 'Health, metrics and documentation' }
      ]
    },
    transform: withRoles,
    transformObject: (input) => mergeSchemaCopies(describeResponses(jsonSchemaTransformObject(input) as OpenApiDocument))
  })
  await fastify.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CONTENT_SECURITY_POLICY })

  fastify.get('/openapi.json', {
    config: { access: 'public' },
    schema: {
      tags: ['operations'],
      summary: 'This OpenAPI 3.1 document',
      description: 'Every operation names the roles that may call it in `x-roles` (empty when no token is needed). The interactive reference is at /docs.',
      response: { 200: z.looseObject({ openapi: z.string() }).describe('The OpenAPI document'), 429: ProblemSchema.describe(PROBLEM_DESCRIPTIONS[429]) }
    }
  }, async () => fastify.swagger())
}

/**
 * The API reference's pages: only files of ours run, as on /app; swagger-ui sets inline styles as
 * it renders, so styles (never scripts) may be inline here.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'"
].join('; ')

export default fp(openapiPlugin, { name: 'openapi', fastify: '5.x' })
