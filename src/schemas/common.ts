import { z } from 'zod'
import { ERRORS, type ErrorCode } from '../errors.ts'

export const ProblemSchema = z.object({
  type: z.string().describe('URN naming the problem, e.g. urn:council-gate:problem:not-found'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  code: z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]),
  errors: z.array(z.object({
    path: z.string().describe('JSON pointer into the request part that failed, e.g. /budgetLines/0/amountDkk'),
    message: z.string()
  })).optional()
}).meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' })

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 428 | 429 | 500 | 503

export const PROBLEM_DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'Malformed JSON, schema violation or unknown property',
  401: 'Missing, invalid or expired bearer token',
  403: 'The caller\'s role may not perform this operation',
  404: 'No such object, or not visible to the caller',
  409: 'The object\'s state does not allow this',
  412: 'If-Match does not match the current ETag',
  413: 'Body over 1 MiB',
  415: 'Body is not application/json',
  422: 'Idempotency-Key reused with a different body',
  428: 'If-Match missing',
  429: 'Rate limit exceeded (see Retry-After)',
  500: 'Internal error (details are logged, never returned)',
  503: 'Not ready: the database is unreachable'
}

const problem = (status: ProblemStatus) => ProblemSchema.describe(PROBLEM_DESCRIPTIONS[status])

/** Every authenticated route can answer these. */
const BASE_STATUSES = [400, 401, 403, 429, 500, 503] as const

/** Response schemas for the problem statuses of a route: the common ones plus `extra`. */
export function problemResponses (...extra: ProblemStatus[]) {
  const statuses = new Set<ProblemStatus>([...BASE_STATUSES, ...extra])
  return Object.fromEntries([...statuses].sort().map((s) => [s, problem(s)])) as Record<ProblemStatus, typeof ProblemSchema>
}

/** Problem statuses for routes that take a JSON body. */
export const BODY_STATUSES = [413, 415] as const

export const UuidParams = z.object({ id: z.uuid() })

export const Cursor = z.string().min(1).max(512).describe('Opaque cursor from the previous page\'s nextCursor')
export const Limit = z.coerce.number().int().min(1).max(200).default(50)

export function pageOf<T extends z.ZodType> (item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() })
}

/** Bounded strings: every string a client sends has a maximum length. */
export const text = (max: number) => z.string().trim().min(1).max(max)

// PostgreSQL text and jsonb cannot hold NUL, jsonb refuses the escape of a lone UTF-16 surrogate
// (the baseline and the audit event hold these fields as JSON), and a title or name is one line:
// all are refused here so that bad input never reaches the database as an error (DESIGN.md 10).
export const CONTROL = /[\u0000-\u001F\u007F]/ // eslint-disable-line no-control-regex
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/ // eslint-disable-line no-control-regex
// With the u flag a surrogate range matches only unpaired surrogates (a pair is one code point).
const LONE_SURROGATE = /[\uD800-\uDFFF]/u

/** Refuses a lone UTF-16 surrogate: every string a client sends, and the token claims that reach the audit events. */
export const wellFormed = <T extends z.ZodType<string>>(schema: T) => schema.refine((v) => !LONE_SURROGATE.test(v), 'must be well-formed Unicode')

/** A one-line string: trimmed, 1…max characters, no control characters, well-formed Unicode. */
export const line = (max: number) => wellFormed(text(max)
  .refine((v) => !CONTROL.test(v), 'must be one line without control characters'))
/** Free text: trimmed, 1…max characters; tabs and line breaks allowed, other control characters not. */
export const prose = (max: number) => wellFormed(text(max)
  .refine((v) => !CONTROL_EXCEPT_LINE_BREAKS.test(v), 'must not contain control characters'))

export const Instant = z.string().describe('RFC 3339 UTC')
export const IsoDate = z.iso.date().describe('YYYY-MM-DD')
