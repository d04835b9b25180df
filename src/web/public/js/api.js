// The pages use only the public API (/v1, API.md). Errors arrive as RFC 9457 problem+json.
import { currentSession } from './session.js'

/**
 * @typedef {{ type?: string, title?: string, status?: number, detail?: string, code?: string,
 *   errors?: Array<{ path: string, message: string }> }} Problem
 */

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the server could not be reached
   * @param {Problem | null} problem
   */
  constructor (status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`)
    this.name = 'ApiError'
    this.status = status
    this.problem = problem
  }
}

/**
 * Calls the API with the session's bearer token (or `token` when given, at sign-in) and answers
 * the body together with the response's headers (an ETag for a later If-Match). Every call asks
 * for Danish (`Accept-Language: da`): problem titles, details and field messages come in Danish.
 * @param {string} path e.g. /v1/projects/ITR-2026-0001
 * @param {{ method?: string, body?: unknown, token?: string, headers?: Record<string, string> }} [options]
 * @returns {Promise<{ body: any, headers: Headers, status: number }>}
 */
export async function request (path, options = {}) {
  const token = options.token ?? currentSession()?.token
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json, application/problem+json', 'accept-language': 'da', ...options.headers }
  if (token) headers.authorization = `Bearer ${token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  let response
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
      cache: 'no-store'
    })
  } catch {
    throw new ApiError(0, { detail: 'Serveren kunne ikke nås. Tjek forbindelsen og prøv igen.' })
  }
  const type = response.headers.get('content-type') ?? ''
  const data = type.includes('json') && response.status !== 204 ? await response.json().catch(() => null) : null
  if (!response.ok) throw new ApiError(response.status, data)
  return { body: data, headers: response.headers, status: response.status }
}

/**
 * Calls the API (as `request`) and answers the body.
 * @param {string} path e.g. /v1/projects?status=under_assessment
 * @param {{ method?: string, body?: unknown, token?: string, headers?: Record<string, string> }} [options]
 * @returns {Promise<any>}
 */
export async function api (path, options = {}) {
  return (await request(path, options)).body
}

/**
 * A fresh key for a POST that must not be repeated (Idempotency-Key): a UUID v4. From
 * crypto.randomUUID where the page is a secure context, else from crypto.getRandomValues.
 */
export function idempotencyKey () {
  const crypto = window.crypto
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * Every item of a list endpoint, following nextCursor (at most `max` items).
 * @param {string} path without limit/cursor
 * @param {Record<string, string | undefined>} [query]
 * @param {number} [max]
 * @returns {Promise<any[]>}
 */
export async function listAll (path, query = {}, max = 1000) {
  /** @type {any[]} */
  const items = []
  /** @type {string | null} */
  let cursor = null
  do {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) if (value) params.set(key, value)
    params.set('limit', '200')
    if (cursor) params.set('cursor', cursor)
    const page = await api(`${path}?${params}`)
    items.push(...page.items)
    cursor = page.nextCursor
  } while (cursor && items.length < max)
  return items
}

/**
 * An optional part of a page: null when the API does not offer it (no such route) or the caller
 * may not see it, so that the rest of the page still shows.
 * @param {string} path
 */
export async function optional (path) {
  try {
    return await api(path)
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404 || error.status === 405)) return null
    throw error
  }
}

/** @type {Promise<Record<string, string>> | null} */
let regionNames = null

/** Region names by DAGI code, from GET /v1/regions (asked once per page load). */
export function regions () {
  regionNames ??= api('/v1/regions')
    .then((body) => Object.fromEntries(body.items.map((/** @type {{ code: string, name: string }} */ r) => [r.code, r.name])))
    .catch((error) => {
      regionNames = null
      throw error
    })
  return regionNames
}

export function forgetCachedData () {
  regionNames = null
}
