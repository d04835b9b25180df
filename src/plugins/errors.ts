import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import fp from 'fastify-plugin'
import { isResponseSerializationError } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import { AppError, toProblem, type ErrorCode, type FieldError } from '../errors.ts'
import { issueMessage, msg, negotiateLanguage, type Language, type RequestPart } from '../messages.ts'
import { isRequestValidationError } from '../validator.ts'

// Fastify's own request errors, mapped onto our catalogue.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST'
}

// Connection-level failures mean the database is unreachable: 503, not 500.
// 08xxx connection exceptions, 57P01-57P03 admin shutdown / crash shutdown / cannot connect now,
// 53300 too many connections, 57014 statement_timeout: the database cannot serve us right now.
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300|57014)/
const UNAVAILABLE_MESSAGES = /(Connection terminated|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|Client has encountered a connection error|Connection terminated unexpectedly|terminating connection)/

export function isDatabaseUnavailable (error: unknown): boolean {
  const e = error as { code?: unknown, message?: unknown, cause?: unknown } | null
  if (!e || typeof e !== 'object') return false
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET')) return true
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true
  return e.cause !== undefined && e.cause !== error && isDatabaseUnavailable(e.cause)
}

/**
 * What of an unexpected error may be logged: drizzle's query errors carry the SQL text and its
 * parameters (personal data, tokens); log the database's own code and message instead.
 */
function safeError (error: Error): Record<string, unknown> {
  const cause = (error as { cause?: unknown }).cause as { code?: string, message?: string, constructor?: { name: string } } | undefined
  if (error.name === 'DrizzleQueryError' || error.message.startsWith('Failed query:')) {
    return { type: 'DrizzleQueryError', code: cause?.code, message: cause?.message }
  }
  return { type: error.name, message: error.message, stack: error.stack, code: (error as { code?: unknown }).code }
}

/**
 * The field errors of a failed validation, one per zod issue. An integer beyond its documented
 * limit fails zod's safe-integer bound too; the schema's own limit is the one to name.
 */
export function fieldErrors (issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const bounded = (issue: z.core.$ZodIssue) => issue.code === 'too_big' || issue.code === 'too_small'
  const safeIntegerBound = (issue: z.core.$ZodIssue) => bounded(issue) && issue.origin === 'int'
  const pathOf = (issue: z.core.$ZodIssue) => `/${issue.path.join('/')}`
  return issues
    .filter((issue) => !safeIntegerBound(issue) ||
      !issues.some((other) => other !== issue && bounded(other) && !safeIntegerBound(other) && pathOf(other) === pathOf(issue)))
    .map((issue) => ({ path: pathOf(issue), message: issueMessage(issue) }))
}

function toAppError (error: FastifyError | AppError | Error): AppError {
  if (error instanceof AppError) return error
  const validation = (error as { validation?: unknown }).validation
  if (Array.isArray(validation) && validation.length > 0 && validation.every(isRequestValidationError)) {
    const where = ((error as { validationContext?: string }).validationContext ?? 'body') as RequestPart
    const errors = fieldErrors(validation.map((v) => v.params.issue))
    const first = errors[0]
    const detail = first ? msg('validation', { where, path: first.path, message: first.message }) : msg('validationInvalid', { where })
    return new AppError('VALIDATION_FAILED', detail, { errors })
  }
  const fastifyError = error as FastifyError
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined
  if (mapped) return new AppError(mapped, mapped === 'MALFORMED_JSON' ? msg('malformedJson') : undefined)
  if (isDatabaseUnavailable(error)) return new AppError('UNAVAILABLE', msg('databaseUnreachableRetry'), { headers: { 'retry-after': '2' } })
  const status = fastifyError.statusCode
  if (status === 429) return new AppError('RATE_LIMITED', msg('requestRefused', { message: fastifyError.message }))
  if (status !== undefined && status >= 400 && status < 500 && !isResponseSerializationError(error)) {
    return new AppError(status === 404 ? 'NOT_FOUND' : status === 405 ? 'METHOD_NOT_ALLOWED' : 'BAD_REQUEST', msg('requestRefused', { message: fastifyError.message }))
  }
  return new AppError('INTERNAL', msg('internal'), { cause: error })
}

/** The language a request's problems are answered in, from its `Accept-Language`. */
export function languageOf (request: FastifyRequest): Language {
  return negotiateLanguage(request.headers['accept-language'])
}

/** Answers in the request's language, and says so: `Content-Language`, and `Vary: Accept-Language` for caches. */
export function varyByLanguage (reply: FastifyReply, language: Language): void {
  reply.header('content-language', language)
  const vary = reply.getHeader('vary')
  const present = vary === undefined ? [] : String(vary).split(',').map((v) => v.trim()).filter((v) => v !== '')
  if (!present.some((v) => v === '*' || v.toLowerCase() === 'accept-language')) reply.header('vary', [...present, 'Accept-Language'].join(', '))
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const language = languageOf(request)
  if (error.headers) reply.headers(error.headers)
  if (error.status === 401 && !reply.hasHeader('www-authenticate')) reply.header('www-authenticate', 'Bearer')
  varyByLanguage(reply, language)
  return reply.code(error.status).type('application/problem+json').send(toProblem(error, language, request.url.split('?')[0]))
}

/** One root error handler: everything leaves as RFC 9457 problem+json; 5xx details go to the log only. */
async function errorsPlugin (fastify: FastifyInstance) {
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error)
    if (appError.status >= 500) {
      request.log.error({ err: appError.code === 'INTERNAL' ? safeError(error) : undefined, code: appError.code }, appError.code === 'INTERNAL' ? 'request failed' : appError.message)
    }
    return sendProblem(request, reply, appError)
  })

  fastify.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!
    // The router's own matching says which methods the path has. A wildcard route (the files
    // under /app and /docs) makes no path known; and a route that hands over here with a method
    // it has found nothing to answer with: both are 404.
    const allowed = fastify.supportedMethods.filter((method) => {
      const route = fastify.findRoute({ method: method as HTTPMethods, url: request.url })
      return route !== null && !('*' in route.params)
    })
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      return sendProblem(request, reply, new AppError('METHOD_NOT_ALLOWED', msg('methodNotAllowed', { method: request.method, path, allowed }), { headers: { allow: allowed.join(', ') } }))
    }
    return sendProblem(request, reply, new AppError('ROUTE_NOT_FOUND', msg('noRoute', { method: request.method, path })))
  })
}

export default fp(errorsPlugin, { name: 'errors', fastify: '5.x' })
