import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose'
import type { Role } from './caller.ts'

export const DEV_ALG = 'ES256'

/**
 * Dev mode signing key: generated on first use and kept in the data folder so that tokens minted
 * by `npm run token` stay valid across restarts. Never used when AUTH_JWKS(_URL) is configured.
 */
export async function loadOrCreateDevKey (file: string): Promise<{ privateJwk: JWK, publicJwk: JWK }> {
  try {
    const privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK
    return { privateJwk, publicJwk: publicPart(privateJwk) }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const { privateKey } = await generateKeyPair(DEV_ALG, { extractable: true })
  const privateJwk = await exportJWK(privateKey)
  privateJwk.alg = DEV_ALG
  privateJwk.use = 'sig'
  privateJwk.kid = await calculateJwkThumbprint(privateJwk)
  mkdirSync(dirname(file), { recursive: true })
  // 'wx' fails if another process created it meanwhile; then use theirs.
  try {
    writeFileSync(file, JSON.stringify(privateJwk), { flag: 'wx', mode: 0o600 })
    chmodSync(file, 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateDevKey(file)
    throw error
  }
  return { privateJwk, publicJwk: publicPart(privateJwk) }
}

export interface DevTokenRequest {
  roles: readonly Role[]
  org: string
  /** Defaults to `dev-<first role>-<org>`. */
  sub?: string | undefined
  name?: string | undefined
  /** Lifetime in seconds; 8 hours unless given. */
  ttlSeconds?: number | undefined
}

export const DEV_TOKEN_TTL_SECONDS = 8 * 60 * 60

/**
 * Mints a bearer token signed by the dev key: the one signing path for `npm run token` and the
 * web pages' dev sign-in (`POST /app/dev-token`). Callers validate roles and org first.
 */
export async function mintDevToken (
  auth: { keyFile: string, issuer: string, audience: string },
  request: DevTokenRequest
): Promise<{ token: string, expiresAt: Date }> {
  const { privateJwk } = await loadOrCreateDevKey(auth.keyFile)
  const key = await importJWK(privateJwk, DEV_ALG)
  const now = Math.floor(Date.now() / 1000)
  const exp = now + (request.ttlSeconds ?? DEV_TOKEN_TTL_SECONDS)
  const token = await new SignJWT({ org: request.org, roles: [...request.roles], ...(request.name ? { name: request.name } : {}) })
    .setProtectedHeader({ alg: DEV_ALG, kid: privateJwk.kid!, typ: 'JWT' })
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setSubject(request.sub ?? `dev-${request.roles[0] ?? 'user'}-${request.org}`)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(key)
  return { token, expiresAt: new Date(exp * 1000) }
}

function publicPart (jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk
  return pub
}
