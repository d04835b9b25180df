import { msg, text, TITLES, type Language, type Message, type Thing } from './messages.ts'

/**
 * The error catalogue: every error the service answers with and its HTTP status; the titles and
 * details, in English and Danish, are in src/messages.ts. Code throws `AppError`s from here; the
 * root error handler renders them as RFC 9457 problem+json in the request's language.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400 },
  MALFORMED_JSON: { status: 400 },
  BAD_REQUEST: { status: 400 },
  POSITION_BEYOND_HEAD: { status: 400 },
  UNAUTHENTICATED: { status: 401 },
  FORBIDDEN: { status: 403 },
  UNKNOWN_ORGANISATION: { status: 403 },
  NOT_FOUND: { status: 404 },
  ROUTE_NOT_FOUND: { status: 404 },
  METHOD_NOT_ALLOWED: { status: 405 },
  NOT_ACCEPTABLE: { status: 406 },
  STATE_CONFLICT: { status: 409 },
  DUPLICATE: { status: 409 },
  CONFLICT_OF_INTEREST: { status: 409 },
  IDEMPOTENCY_IN_PROGRESS: { status: 409 },
  PRECONDITION_FAILED: { status: 412 },
  PAYLOAD_TOO_LARGE: { status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415 },
  IDEMPOTENCY_KEY_REUSED: { status: 422 },
  RULE_VIOLATION: { status: 422 },
  PRECONDITION_REQUIRED: { status: 428 },
  RATE_LIMITED: { status: 429 },
  INTERNAL: { status: 500 },
  UNAVAILABLE: { status: 503 }
} as const satisfies Record<string, { status: number }>

export type ErrorCode = keyof typeof ERRORS

export interface FieldError { path: string, message: Message }

/**
 * An error the service answers with: a catalogued code and, for the detail, a catalogue message
 * (the code's title without one). `message` is the detail in English, for logs.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly detail: Message | undefined
  readonly errors: FieldError[] | undefined
  readonly headers: Record<string, string> | undefined

  constructor (code: ErrorCode, detail?: Message, options: { errors?: FieldError[], headers?: Record<string, string>, cause?: unknown } = {}) {
    super(detail === undefined ? TITLES[code].en : text(detail, 'en'), options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = ERRORS[code].status
    this.detail = detail
    this.errors = options.errors
    this.headers = options.headers
  }
}

/**
 * The `type` of a problem: a URI reference relative to the service, `/problems/<code in kebab
 * case>`, stable, and answered by `GET /problems/{type}` (src/routes/problems.ts).
 */
export function problemType (code: ErrorCode): string {
  return `/problems/${problemSlug(code)}`
}

export const problemSlug = (code: ErrorCode) => code.toLowerCase().replaceAll('_', '-')

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  instance?: string
  code: ErrorCode
  errors?: Array<{ path: string, message: string }>
}

/** The problem details of an error, in `language`: the same type, code and status in each. */
export function toProblem (error: AppError, language: Language, instance?: string): Problem {
  const problem: Problem = {
    type: problemType(error.code),
    title: TITLES[error.code][language],
    status: error.status,
    detail: error.detail === undefined ? TITLES[error.code][language] : text(error.detail, language),
    code: error.code
  }
  if (instance !== undefined) problem.instance = instance
  if (error.errors) problem.errors = error.errors.map((e) => ({ path: e.path, message: text(e.message, language) }))
  return problem
}

export const notFound = (what: Thing = 'resource') => new AppError('NOT_FOUND', msg('notFound', { what }))
