import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { AppError, toProblem, type ErrorCode } from '../errors.ts'

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

function toAppError (error: FastifyError | AppError | Error): AppError {
  if (error instanceof AppError) return error
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body'
    const errors = error.validation.map((v) => ({ path: v.instancePath === '' ? '/' : v.instancePath, message: v.message ?? 'invalid' }))
    const first = errors[0]
    const detail = first ? `${where} ${first.path}: ${first.message}` : `${where} is invalid`
    return new AppError('VALIDATION_FAILED', detail, { errors })
  }
  const fastifyError = error as FastifyError
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined
  if (mapped) return new AppError(mapped, mapped === 'MALFORMED_JSON' ? 'request body is not valid JSON' : undefined)
  if (isDatabaseUnavailable(error)) return new AppError('UNAVAILABLE', 'the database is unreachable; try again shortly', { headers: { 'retry-after': '2' } })
  const status = fastifyError.statusCode
  if (status === 429) return new AppError('RATE_LIMITED', fastifyError.message)
  if (status !== undefined && status >= 400 && status < 500 && !isResponseSerializationError(error)) {
    return new AppError(status === 404 ? 'NOT_FOUND' : status === 405 ? 'METHOD_NOT_ALLOWED' : 'BAD_REQUEST', fastifyError.message)
  }
  return new AppError('INTERNAL', 'an internal error occurred; it has been logged', { cause: error })
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (error.headers) reply.headers(error.headers)
  if (error.status === 401 && !reply.hasHeader('www-authenticate')) reply.header('www-authenticate', 'Bearer')
  return reply.code(error.status).type('application/problem+json').send(toProblem(error, request.url.split('?')[0]))
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
    return sendProblem(request, reply, new AppError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`))
  })
}

export default fp(errorsPlugin, { name: 'errors', fastify: '5.x' })
