/**
 * The error catalogue: every error the service answers with, its HTTP status and title. Code
 * throws `AppError`s from here; the root error handler renders them as RFC 9457 problem+json.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, title: 'Request does not match the schema' },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON body' },
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  UNAUTHENTICATED: { status: 401, title: 'Missing or invalid bearer token' },
  FORBIDDEN: { status: 403, title: 'Your role may not perform this operation' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  STATE_CONFLICT: { status: 409, title: 'The current state does not allow this' },
  DUPLICATE: { status: 409, title: 'Already exists' },
  CONFLICT_OF_INTEREST: { status: 409, title: 'Conflict of interest' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  PRECONDITION_FAILED: { status: 412, title: 'If-Match does not match the current ETag' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body is larger than 1 MiB' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Request body must be application/json' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency-Key reused with a different body' },
  PRECONDITION_REQUIRED: { status: 428, title: 'If-Match is required' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' }
} as const satisfies Record<string, { status: number, title: string }>

export type ErrorCode = keyof typeof ERRORS

export interface FieldError { path: string, message: string }

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly errors: FieldError[] | undefined
  readonly headers: Record<string, string> | undefined

  constructor (code: ErrorCode, detail?: string, options: { errors?: FieldError[], headers?: Record<string, string>, cause?: unknown } = {}) {
    super(detail ?? ERRORS[code].title, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = ERRORS[code].status
    this.errors = options.errors
    this.headers = options.headers
  }
}

/** The `type` URI of a problem: stable, documented in the OpenAPI document. */
export function problemType (code: ErrorCode): string {
  return `urn:council-gate:problem:${code.toLowerCase().replaceAll('_', '-')}`
}

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  instance?: string
  code: ErrorCode
  errors?: FieldError[]
}

export function toProblem (error: AppError, instance?: string): Problem {
  const problem: Problem = {
    type: problemType(error.code),
    title: ERRORS[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code
  }
  if (instance !== undefined) problem.instance = instance
  if (error.errors) problem.errors = error.errors
  return problem
}

export const notFound = (what = 'resource') => new AppError('NOT_FOUND', `${what} not found`)
