// The signed-in user's bearer token. Kept in sessionStorage only: it lives as long as the tab,
// is never written to localStorage, and never appears in a URL.

const KEY = 'council-gate.token'

/**
 * @typedef {object} Session
 * @property {string} token
 * @property {string} sub
 * @property {string | null} name
 * @property {string} org
 * @property {string[]} roles
 * @property {number | null} exp seconds since the epoch
 */

/**
 * The claims of a JWT, decoded for display and for choosing what to show. The API verifies
 * the token on every call; nothing here is trusted for access.
 * @param {string} token
 * @returns {Record<string, unknown> | null}
 */
export function decodeClaims (token) {
  const part = token.split('.')[1]
  if (!part) return null
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=')
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    const claims = JSON.parse(new TextDecoder().decode(bytes))
    return claims !== null && typeof claims === 'object' ? claims : null
  } catch {
    return null
  }
}

/**
 * @param {string} token
 * @returns {Session | null}
 */
export function sessionFromToken (token) {
  const claims = decodeClaims(token)
  if (!claims || typeof claims.sub !== 'string' || typeof claims.org !== 'string') return null
  return {
    token,
    sub: claims.sub,
    name: typeof claims.name === 'string' ? claims.name : null,
    org: claims.org,
    roles: Array.isArray(claims.roles) ? claims.roles.filter((r) => typeof r === 'string') : [],
    exp: typeof claims.exp === 'number' ? claims.exp : null
  }
}

/** @returns {Session | null} the current session, or null when signed out or expired */
export function currentSession () {
  const token = sessionStorage.getItem(KEY)
  if (!token) return null
  const session = sessionFromToken(token)
  if (!session || (session.exp !== null && session.exp * 1000 < Date.now())) {
    sessionStorage.removeItem(KEY)
    return null
  }
  return session
}

/** @param {string} token */
export function saveToken (token) {
  sessionStorage.setItem(KEY, token)
}

export function signOut () {
  sessionStorage.removeItem(KEY)
}

/**
 * @param {Session | null} session
 * @param {...string} roles
 */
export function hasRole (session, ...roles) {
  return session !== null && session.roles.some((r) => roles.includes(r))
}
