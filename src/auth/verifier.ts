import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose'
import { z } from 'zod'
import type { AuthConfig } from '../config.ts'
import { AppError } from '../errors.ts'
import { ORG_PATTERN, ROLES, type Caller, type Role } from './caller.ts'
import { loadOrCreateDevKey } from './dev-key.ts'

/** Asymmetric algorithms only: an HS256 token "signed" with a public key must never verify. */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256', 'EdDSA']
const CLOCK_TOLERANCE_SECONDS = 30

const claimsSchema = z.object({
  sub: z.string().min(1).max(255),
  name: z.string().max(255).optional(),
  org: z.string().regex(ORG_PATTERN),
  roles: z.array(z.string().max(64)).max(20).default([])
})

export type VerifyToken = (token: string) => Promise<Caller>

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

  return async function verifyToken (token) {
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
      throw new AppError('UNAUTHENTICATED', 'token lacks a valid org or roles claim', { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
    }
    const roles = claims.data.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r))
    return { sub: claims.data.sub, name: claims.data.name ?? null, org: claims.data.org, roles, kind: 'user' }
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
