import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose'
import { z } from 'zod'
import type { AuthConfig } from '../config.ts'
import { AppError } from '../errors.ts'
import { wellFormed } from '../schemas/common.ts'
import { ORG_PATTERN, ROLES, type Caller, type Role } from './caller.ts'
import { loadOrCreateDevKey } from './dev-key.ts'

/** Asymmetric algorithms only: an HS256 token "signed" with a public key must never verify. */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256', 'EdDSA']
const CLOCK_TOLERANCE_SECONDS = 30

// sub and name go into the audit events (authid) and the stored rows: well-formed Unicode only,
// like every string a client sends (src/canonical-json.ts).
const claimText = (min: number) => wellFormed(z.string().min(min).max(255))

const claimsSchema = z.object({
  sub: claimText(1),
  name: claimText(0).optional(),
  org: z.string().regex(ORG_PATTERN),
  roles: z.array(z.string().max(64)).max(20).default([])
})

/** A token seen before and still valid answers at once; any other is verified (a promise). */
export type VerifyToken = (token: string) => Caller | Promise<Caller>

/*
 * Verified tokens, by their exact text. A client sends the same token with every request until it
 * expires, and checking its signature again each time is the costliest step of a request (an
 * ES256 verification is ~0.1 ms of CPU). A hit skips the signature check only: it is valid until
 * the token's own `exp` (plus the clock tolerance), so an expired token is verified afresh and
 * refused as before, and for at most VERIFIED_TTL_MS, like jose's own cache of a remote key set.
 * Only successes are kept; a failed token is verified (and refused) every time.
 */
const VERIFIED_MAX = 1000
const VERIFIED_TTL_MS = 60_000

export async function createTokenVerifier (auth: AuthConfig): Promise<VerifyToken> {
  let keys: JWTVerifyGetKey
  if (auth.mode === 'jwks') {
    keys = createLocalJWKSet(auth.jwks as unknown as JSONWebKeySet)
  } else if (auth.mode === 'jwks-url') {
    // jose caches the set and refetches it when a token names an unknown `kid`.
    keys = createRemoteJWKSet(new URL(auth.url), { timeoutDuration: 5_000, cooldownDuration: 30_000 })
  } else {
    const { publicJwk } = await loadOrCreateDevKey(auth.keyFile)
    keys = createLocalJWKSet({ keys: [publicJwk] })
  }

  const verified = new Map<string, { caller: Caller, until: number }>()

  return function verifyToken (token) {
    const hit = verified.get(token)
    if (hit !== undefined) {
      if (Date.now() < hit.until) return hit.caller
      verified.delete(token)
    }
    return verify(token)
  }

  async function verify (token: string): Promise<Caller> {
    let payload
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: auth.issuer,
        audience: auth.audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub']
      }))
    } catch (error) {
      throw new AppError('UNAUTHENTICATED', describeJoseError(error), { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
    }
    const claims = claimsSchema.safeParse(payload)
    if (!claims.success) {
      throw new AppError('UNAUTHENTICATED', 'token lacks a valid sub, name, org or roles claim', { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
    }
    const roles = Object.freeze(claims.data.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)))
    const caller: Caller = Object.freeze({ sub: claims.data.sub, name: claims.data.name ?? null, org: claims.data.org, roles, kind: 'user' })
    // requiredClaims makes `exp` present; the oldest entry goes first when the cache is full.
    const until = Math.min(Date.now() + VERIFIED_TTL_MS, ((payload.exp ?? 0) + CLOCK_TOLERANCE_SECONDS) * 1000)
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!)
    verified.set(token, { caller, until })
    return caller
  }
}

/** A short reason that names the failed check without echoing token material. */
function describeJoseError (error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'token has expired'
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `token claim "${error.claim}" is invalid (${error.reason})`
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'token algorithm is not allowed'
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'token is signed with an unknown key'
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature is invalid'
  if (error instanceof joseErrors.JWKSTimeout) return 'token keys could not be fetched in time'
  return 'token is malformed or cannot be verified'
}
