import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose'

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

function publicPart (jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk
  return pub
}
