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
 * Fetches a file from the API with the session's bearer token (`accept` chooses its form, e.g.
 * application/pdf) and hands it to the browser as a download under the name the answer's
 * Content-Disposition gives, else `filename`: a plain link cannot carry the token. Answers the
 * file's Blob; a refusal throws an ApiError as `request` does.
 * @param {string} path e.g. /v1/projects/ITR-2026-0001/letter
 * @param {{ accept: string, filename: string }} options
 * @returns {Promise<Blob>}
 */
export async function download (path, { accept, filename }) {
  const token = currentSession()?.token
  /** @type {Record<string, string>} */
  const headers = { accept: `${accept}, application/problem+json;q=0.1`, 'accept-language': 'da' }
  if (token) headers.authorization = `Bearer ${token}`
  let response
  try {
    response = await fetch(path, { headers, credentials: 'omit', cache: 'no-store' })
  } catch {
    throw new ApiError(0, { detail: 'Serveren kunne ikke nås. Tjek forbindelsen og prøv igen.' })
  }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null))
  const blob = await response.blob()
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filenameOf(response.headers.get('content-disposition')) ?? filename
  document.body.append(link)
  link.click()
  link.remove()
  // The browser has started the download from the URL; it may let go of it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
  return blob
}

/**
 * Sends a form with a file (multipart/form-data; the browser writes the boundary) with the
 * session's bearer token, and answers the JSON body; a refusal throws an ApiError as `request` does.
 * @param {string} path e.g. /v1/projects/ITR-2026-0001/documents
 * @param {FormData} form
 * @returns {Promise<any>}
 */
export async function sendForm (path, form) {
  const token = currentSession()?.token
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json, application/problem+json', 'accept-language': 'da' }
  if (token) headers.authorization = `Bearer ${token}`
  let response
  try {
    response = await fetch(path, { method: 'POST', headers, body: form, credentials: 'omit', cache: 'no-store' })
  } catch {
    throw new ApiError(0, { detail: 'Serveren kunne ikke nås. Tjek forbindelsen og prøv igen.' })
  }
  const data = await response.json().catch(() => null)
  if (!response.ok) throw new ApiError(response.status, data)
  return data
}

/**
 * The file name of a Content-Disposition (RFC 6266): `filename*=UTF-8''…` before `filename="…"`.
 * @param {string | null} disposition
 */
function filenameOf (disposition) {
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition ?? '')
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim())
    } catch {}
  }
  return /filename\s*=\s*"([^"]*)"/i.exec(disposition ?? '')?.[1] ?? null
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

/**
 * @typedef {{ code: string, name: string, kind: 'region' | 'state_authority' | 'secretariat' | 'other', council: 'regions' | 'state' | null, active: boolean }} Organisation
 * @typedef {{ code: 'regions' | 'state', name: string, secretariatOrg: string }} Council
 * @typedef {{ id: string, council: string, version: number, effectiveFrom: string,
 *   rule: { minEligibleCostDkk: number, requireAllRegions: boolean },
 *   reviewWorkingDays: { project: number, programme: number },
 *   followUp: Record<'costPct' | 'financialBenefitsPct' | 'scheduleDays', { yellow: number, red: number }> }} Policy
 */

/**
 * A promise asked once per page load and kept; forgotten again when it fails (the next page asks
 * anew) or when the data changes (forget()).
 * @template T
 * @param {() => Promise<T>} load
 */
function cached (load) {
  /** @type {Promise<T> | null} */
  let promise = null
  /** @type {T | null} */
  let value = null
  return {
    /** @returns {Promise<T>} */
    get () {
      promise ??= load()
        .then((loaded) => {
          value = loaded
          return loaded
        })
        .catch((error) => {
          promise = null
          throw error
        })
      return promise
    },
    /** The value once it has arrived (for what renders without waiting, the header), else null. */
    known: () => value,
    forget () {
      promise = null
      value = null
    }
  }
}

const regionCache = cached(async () => {
  const body = await api('/v1/regions')
  return /** @type {Record<string, string>} */ (Object.fromEntries(body.items.map((/** @type {{ code: string, name: string }} */ r) => [r.code, r.name])))
})

/** Region names by DAGI code, from GET /v1/regions (asked once per page load). */
export function regions () {
  return regionCache.get()
}

const organisationCache = cached(async () => {
  const body = await api('/v1/organisations')
  return /** @type {Organisation[]} */ (body.items)
})

/** Every organisation (GET /v1/organisations), asked once per page load. */
export function organisations () {
  return organisationCache.get()
}

/** The organisations once they have arrived, else null: for what renders without waiting. */
export function knownOrganisations () {
  return organisationCache.known()
}

/**
 * Organisation names by code (regions, secretariats, state authorities …), for orgName(). The
 * pages show these names wherever the API gives a code.
 * @returns {Promise<Record<string, string>>}
 */
export async function organisationNames () {
  return Object.fromEntries((await organisations()).map((o) => [o.code, o.name]))
}

/** After an organisation is registered or changed: the next page asks again. */
export function forgetOrganisations () {
  organisationCache.forget()
}

const councilCache = cached(async () => /** @type {Council[]} */ ((await api('/v1/councils')).items))

/** The two councils (GET /v1/councils), asked once per page load. */
export function councils () {
  return councilCache.get()
}

/** The councils once they have arrived, else null. */
export function knownCouncils () {
  return councilCache.known()
}

/**
 * A council's policy versions, oldest first (GET /v1/councils/{code}/policies).
 * @param {string} council
 * @returns {Promise<Policy[]>}
 */
export async function policies (council) {
  return (await api(`/v1/councils/${encodeURIComponent(council)}/policies`)).items
}

/**
 * The version in force on `date` (YYYY-MM-DD): the latest effectiveFrom on or before it, as the API decides.
 * @param {Policy[]} versions
 * @param {string} date
 * @returns {Policy | null}
 */
export function policyInForce (versions, date) {
  /** @type {Policy | null} */
  let found = null
  for (const policy of versions) {
    if (policy.effectiveFrom <= date && (found === null || policy.effectiveFrom > found.effectiveFrom)) found = policy
  }
  return found
}

/**
 * @typedef {{ sub: string, name: string, email: string | null, org: string, council: 'regions' | 'state', active: boolean }} Member
 */

/**
 * The council members' directory (GET /v1/members), ordered by name: a secretariat or a member
 * gets its own council's, an admin every council's (or `council`'s alone). Asked afresh each
 * time: the directory changes while the pages are open.
 * @param {'regions' | 'state' | string} [council]
 * @returns {Promise<Member[]>}
 */
export async function members (council) {
  const query = council ? `?${new URLSearchParams({ council })}` : ''
  return (await api(`/v1/members${query}`)).items
}

export function forgetCachedData () {
  regionCache.forget()
  organisationCache.forget()
  councilCache.forget()
}
