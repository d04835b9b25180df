import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { PROBLEM_DESCRIPTIONS, type ProblemStatus } from '../schemas/common.ts'

export const OPENAPI_INFO = {
  title: 'council-gate',
  version: '1.0.0',
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
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'RS256, ES256 or EdDSA; iss, aud, exp, sub, org and roles claims' }
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
    transform: jsonSchemaTransform,
    transformObject: (input) => describeResponses(jsonSchemaTransformObject(input) as OpenApiDocument)
  })
  await fastify.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CONTENT_SECURITY_POLICY })

  fastify.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => fastify.swagger())
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
