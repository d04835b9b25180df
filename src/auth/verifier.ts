import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwksCache, jwtVerify, type ExportedJWKSCache, type JSONWebKeySet, type JWKSCacheInput, type JWTVerifyGetKey, type RemoteJWKSet } from 'jose'
import { z } from 'zod'
import type { AuthConfig } from '../config.ts'
import { AppError } from '../errors.ts'
import { issueMessage, msg, rule, type Message } from '../messages.ts'
import { oneLine, VISIBLE } from '../schemas/common.ts'
import { ORG_PATTERN, ROLES, type Caller, type Role } from './caller.ts'
import { loadOrCreateDevKey } from './dev-key.ts'

/** Asymmetric algorithms only: an HS256 token "signed" with a public key must never verify. */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256', 'EdDSA']
const CLOCK_TOLERANCE_SECONDS = 30

// sub and name go into the audit events (authid), the stored rows and the Danish event
// descriptions: they keep the one-line rule of body strings (src/schemas/common.ts: no control
// characters, so no NUL that PostgreSQL refuses, no line separators or bidirectional controls that
// would make an authid or a name read as something else; well-formed Unicode). They are not
// trimmed, since that would change who a token names: sub must already be without surrounding
// white space.
const claimText = (max: number) => oneLine(z.string().max(max))

const claimsSchema = z.object({
  sub: claimText(255)
    .refine((v) => VISIBLE.test(v), rule('visibleCharacter'))
    .refine((v) => v.trim() === v, rule('noSurroundingSpace')),
  name: claimText(255).optional(),
  org: z.string().regex(ORG_PATTERN),
  roles: z.array(z.string().max(64)).max(20).default([])
})

// RFC 8725 3.11 / RFC 9068: a JWT says `JWT` or `at+jwt` when it says anything; another `typ` (an ID
// token's, a logout token's…) is a token of another kind and is refused. The `application/` prefix
// is optional (RFC 7515 4.1.9), and the comparison ignores case.
const ACCEPTED_TYPES = new Set(['jwt', 'at+jwt'])
const normalizedTyp = (typ: string) => typ.toLowerCase().replace(/^application\//, '')

const unauthenticated = (message: Message) =>
  new AppError('UNAUTHENTICATED', message, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })

export type VerifyToken = (token: string) => Promise<Caller>

/*
 * Verified tokens, by their exact text, each tied to the key set it was verified against. A client
 * sends the same token with every request, and its signature check is the costliest step of a
 * request (~0.35 ms of CPU for ES256 here, a fifth of a lookup by id). A hit answers exactly as
 * verifying afresh would: it counts only while the key set is the one that verified it (a local
 * set never changes; a remote one is the same fetch, `uat`, and still fresh, or jose would fetch
 * it anew) and until the token's own `exp`. Only successes are kept.
 */
const VERIFIED_MAX = 1000

export async function createTokenVerifier (auth: AuthConfig): Promise<VerifyToken> {
  let keys: JWTVerifyGetKey
  // The version of the key set: constant for a local set; the time of the fetch for a remote one.
  let keySetVersion: () => number | undefined = () => 0
  if (auth.mode === 'jwks') {
    keys = createLocalJWKSet(auth.jwks as unknown as JSONWebKeySet)
  } else if (auth.mode === 'jwks-url') {
    // jose keeps the fetched set for cacheMaxAge and refetches it early when a token names an unknown
    // `kid` (at most once per cooldown), so a rotated-in key works at once. It records each fetch in
    // `fetched` (its public jwksCache option).
    const fetched: JWKSCacheInput = {}
    const remote: RemoteJWKSet = createRemoteJWKSet(new URL(auth.url), { timeoutDuration: 5_000, cooldownDuration: auth.cooldownMs, cacheMaxAge: auth.maxAgeMs, [jwksCache]: fetched })
    keys = remote
    keySetVersion = () => remote.fresh ? (fetched as Partial<ExportedJWKSCache>).uat : undefined
  } else {
    const { publicJwk } = await loadOrCreateDevKey(auth.keyFile)
    keys = createLocalJWKSet({ keys: [publicJwk] })
  }

  const verified = new Map<string, { caller: Caller, keySet: number, until: number }>()

  return async function verifyToken (token) {
    const hit = verified.get(token)
    if (hit !== undefined) {
      if (hit.keySet === keySetVersion() && Date.now() < hit.until) return hit.caller
      verified.delete(token)
    }
    const { caller, expiresAt } = await verifyAfresh(token)
    const keySet = keySetVersion()
    if (keySet !== undefined) {
      if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!)
      verified.set(token, { caller, keySet, until: expiresAt })
    }
    return caller
  }

  async function verifyAfresh (token: string): Promise<{ caller: Caller, expiresAt: number }> {
    let payload, protectedHeader
    try {
      ({ payload, protectedHeader } = await jwtVerify(token, keys, {
        issuer: auth.issuer,
        audience: auth.audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub']
      }))
    } catch (error) {
      throw unauthenticated(describeJoseError(error))
    }
    const { typ } = protectedHeader
    if (typ !== undefined && (typeof typ !== 'string' || !ACCEPTED_TYPES.has(normalizedTyp(typ)))) {
      throw unauthenticated(msg('tokenTypeInvalid'))
    }
    // jose has checked that exp is a number and has not passed, and that iat, if present, is a number.
    const now = Math.floor(Date.now() / 1000)
    if (payload.iat !== undefined && payload.iat > now + CLOCK_TOLERANCE_SECONDS) {
      throw unauthenticated(msg('tokenClaimInvalid', { claim: 'iat', reason: msg('tokenIssuedInFuture') }))
    }
    if (payload.exp! - (payload.iat ?? now) > auth.maxTokenLifetimeS) {
      throw unauthenticated(msg('tokenClaimInvalid', { claim: 'exp', reason: msg('tokenLifetimeExceeds', { maxSeconds: auth.maxTokenLifetimeS }) }))
    }
    const claims = claimsSchema.safeParse(payload, { reportInput: true })
    if (!claims.success) {
      // Names the claim and the rule, never the value (no token material in the answer or the log).
      const issue = claims.error.issues[0]!
      const claim = String(issue.path[0] ?? 'sub')
      throw unauthenticated(msg('tokenClaimInvalid', { claim, reason: issueMessage(issue) }))
    }
    const roles = Object.freeze(claims.data.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)))
    const caller: Caller = Object.freeze({ sub: claims.data.sub, name: claims.data.name ?? null, org: claims.data.org, roles, kind: 'user' })
    // Valid until exp plus the clock tolerance, as jwtVerify judges it.
    return { caller, expiresAt: (payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000 }
  }
}

/** A short reason that names the failed check without echoing token material. */
function describeJoseError (error: unknown): Message {
  if (error instanceof joseErrors.JWTExpired) return msg('tokenExpired')
  if (error instanceof joseErrors.JWTClaimValidationFailed) return msg('tokenClaimInvalid', { claim: error.claim, reason: msg('joseReason', { reason: error.reason }) })
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return msg('tokenAlgorithmNotAllowed')
  if (error instanceof joseErrors.JWKSNoMatchingKey) return msg('tokenUnknownKey')
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return msg('tokenSignatureInvalid')
  if (error instanceof joseErrors.JWKSTimeout) return msg('tokenKeysTimeout')
  return msg('tokenMalformed')
}
