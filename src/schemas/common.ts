import { z } from 'zod'
import { ERRORS, type ErrorCode } from '../errors.ts'
import { rule } from '../messages.ts'

export const ProblemSchema = z.object({
  type: z.string().describe('URI reference naming the problem, relative to the service: `/problems/<kind>`, e.g. `/problems/not-found`; `GET` on it describes the kind'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  code: z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]),
  errors: z.array(z.object({
    path: z.string().describe('JSON pointer into the request part that failed, e.g. /budgetLines/0/amountDkk'),
    message: z.string()
  })).optional()
}).meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json); `title`, `detail` and `errors[].message` in Danish with `Accept-Language: da`, otherwise in English' })

export type ProblemStatus = 400 | 401 | 403 | 404 | 406 | 409 | 412 | 413 | 415 | 422 | 428 | 429 | 500 | 503

export const PROBLEM_DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'Malformed JSON, schema violation or unknown property',
  401: 'Missing, invalid or expired bearer token',
  403: 'The caller\'s role may not perform this operation',
  404: 'No such object, or not visible to the caller',
  406: 'The Accept header allows none of the media types this route answers with',
  409: 'The object\'s state does not allow this',
  412: 'If-Match does not match the current ETag',
  413: 'Body over 1 MiB (a document upload: a file over 25 MiB)',
  415: 'Body is not application/json (a document upload: not multipart/form-data, or a file that is not PDF, DOCX, XLSX, ODT or ODS by its bytes)',
  422: 'Idempotency-Key reused with a different body',
  428: 'If-Match missing',
  429: 'Rate limit exceeded (see Retry-After)',
  500: 'Internal error (details are logged, never returned)',
  503: 'Not ready: the database is unreachable, or the service is shutting down'
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

/** A project's reference as people use it: `ITR-2026-0001` (any case; at least four digits). */
export const PROJECT_REFERENCE = /^(ITR|SIR)-\d{4}-\d{4,9}$/i

/**
 * A project in a path: its id or its reference. Routes under /v1/projects/{id} resolve a reference
 * to the id before the handler runs (src/modules/projects/project-key.ts), so modules see only ids.
 */
export const ProjectParams = z.object({
  id: z.string()
    .regex(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(ITR|SIR)-\d{4}-\d{4,9})$/i,
      rule('projectIdOrReference'))
    .describe('The project\'s id (UUID) or its reference, e.g. ITR-2026-0001')
})

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
export const wellFormed = <T extends z.ZodType<string>>(schema: T) => schema.refine((v) => !LONE_SURROGATE.test(v), rule('wellFormedUnicode'))

// Beyond C0: C1 controls and the Unicode line and paragraph separators break a line too; the
// bidirectional controls (marks, embeddings, overrides, isolates) reorder how it is shown, so that
// a title, a name or a token's subject could show one text and hold another ("Trojan Source").
const INVISIBLE_CONTROL = /[\u0080-\u009F\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/
/** A letter, digit, punctuation mark or symbol: something a reader sees. */
export const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u

/**
 * The one-line rule on any string schema: no control characters, line separators or bidirectional
 * controls, well-formed Unicode (also for token claims).
 */
export const oneLine = <T extends z.ZodType<string>>(schema: T) => wellFormed(schema
  .refine((v) => !CONTROL.test(v), rule('oneLine'))
  .refine((v) => !INVISIBLE_CONTROL.test(v), rule('noInvisibleControls')))

/** A one-line string: trimmed, 1…max characters, no control characters, well-formed Unicode. */
export const line = (max: number) => oneLine(text(max))
/** A title or a name: a line with at least one visible character (not only invisible or combining ones). */
export const title = (max: number) => line(max).refine((v) => VISIBLE.test(v), rule('visibleCharacter'))
/** Free text: trimmed, 1…max characters; tabs and line breaks allowed, other control characters not. */
export const prose = (max: number) => wellFormed(text(max)
  .refine((v) => !CONTROL_EXCEPT_LINE_BREAKS.test(v), rule('noControlCharacters')))

/** A PDF document in a response (`application/pdf`): bytes, not JSON. */
export const PdfSchema = z.string().meta({ format: 'binary', description: 'A PDF document' })

export const Instant = z.string().describe('RFC 3339 UTC')
export const IsoDate = z.iso.date().describe('YYYY-MM-DD')
