import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify'
import { z } from 'zod'

/*
 * Requests are validated by the route's zod schema, compiled by zod itself (`z.compile`): a
 * generated parser for the valid input, which is almost all of it, in about half of the runtime
 * parser's time for a submission. An input the compiled parser
 * refuses is parsed again by the runtime parser, so every 400 names the same problems, in the same
 * words, as without compilation. A schema zod cannot compile stays on the runtime parser.
 *
 * Each failure carries its zod issue, parsed with `reportInput` so that a missing field can be told
 * from a wrong one; the error handler words it in the request's language (src/messages.ts).
 */
const compiled = new WeakMap<z.ZodType, z.ZodType>()

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  let schema = compiled.get(route.schema)
  if (schema === undefined) {
    schema = z.compile(route.schema)
    compiled.set(route.schema, schema)
  }
  const parser = schema
  return (data: unknown) => {
    const result = parser.safeParse(data, { reportInput: true })
    return result.success ? { value: result.data } : { error: result.error.issues.map(toValidationError) }
  }
}

/** One failed check as fastify reports it, with the zod issue in `params.issue`. */
export interface RequestValidationError extends FastifySchemaValidationError {
  params: { issue: z.core.$ZodIssue }
}

function toValidationError (issue: z.core.$ZodIssue): RequestValidationError {
  const path = issue.path.join('/')
  return { keyword: issue.code, instancePath: `/${path}`, schemaPath: `#/${path}/${issue.code}`, message: issue.message, params: { issue } }
}

/**
 * A request part checked outside the route's schema (a multipart form, read as it streams) fails
 * as a schema would: the error handler answers it as the same 400 VALIDATION_FAILED.
 */
export function requestValidationError (issues: readonly z.core.$ZodIssue[], context: 'body' | 'querystring' | 'params' | 'headers'): Error {
  return Object.assign(new Error(`${context} is invalid`), { validation: issues.map(toValidationError), validationContext: context })
}

export function isRequestValidationError (value: unknown): value is RequestValidationError {
  const params = (value as { params?: { issue?: unknown } } | null)?.params
  return typeof params?.issue === 'object' && params.issue !== null
}
