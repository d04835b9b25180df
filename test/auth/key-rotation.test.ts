import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import t, { type Test } from 'tap'
import { bearer, build, json, TEST_AUDIENCE, TEST_ISSUER } from '../helpers/build.ts'

// Each test builds its own app on a fresh database: minutes on a busy machine.
t.setTimeout(600_000)

interface SigningKey { kid: string, privateKey: CryptoKey, publicJwk: JWK }

async function signingKey (kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } }
}

function signedBy (key: SigningKey): Promise<string> {
  return new SignJWT({ org: '1084', roles: ['submitter'] })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setSubject(`holder-of-${key.kid}`)
    .setExpirationTime('10m')
    .sign(key.privateKey)
}

/** An identity provider's key set on 127.0.0.1 (port 0): `serve` replaces what it answers; `fetches` counts the requests. */
async function startJwksServer (t: Test, keys: SigningKey[]) {
  let served = keys
  let fetches = 0
  const server = createServer((_req, res) => {
    fetches++
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' })
    res.end(JSON.stringify({ keys: served.map((k) => k.publicJwk) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
    serve: (next: SigningKey[]) => { served = next },
    get fetches () { return fetches }
  }
}

const remoteAuth = (url: string, env: Record<string, string> = {}) => ({ AUTH_JWKS: undefined, AUTH_JWKS_URL: url, ...env })

t.test('a token stops verifying as soon as its key leaves the remote key set', async (t) => {
  const keyA = await signingKey('key-a')
  const keyB = await signingKey('key-b')
  const jwks = await startJwksServer(t, [keyA])
  const { app, config } = await build(t, { env: remoteAuth(jwks.url, { AUTH_JWKS_COOLDOWN_MS: '0' }) })
  t.match(config.auth, { mode: 'jwks-url', url: jwks.url, cooldownMs: 0 })
  const regions = (jwt: string) => app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(jwt) })

  const tokenA = await signedBy(keyA)
  t.equal((await regions(tokenA)).statusCode, 200, 'key A is in the set')

  jwks.serve([keyB])
  const fetchesBeforeB = jwks.fetches
  t.equal((await regions(await signedBy(keyB))).statusCode, 200, 'key B, unknown until now, is fetched and accepted')
  t.ok(jwks.fetches > fetchesBeforeB, 'the set was fetched again for the unknown kid')

  const refused = await regions(tokenA)
  t.equal(refused.statusCode, 401, 'the same token A, verified before, is refused once key A is gone')
  t.equal(json(refused).detail, 'token is signed with an unknown key')
  t.equal(refused.headers['www-authenticate'], 'Bearer error="invalid_token"')
})

t.test('AUTH_JWKS_MAX_AGE_MS: a set older than this is fetched again before a token is verified', async (t) => {
  const keyA = await signingKey('key-a')
  const jwks = await startJwksServer(t, [keyA])
  // Max age 0: the set is never fresh, so every verification sees what the server serves now,
  // even for a kid the cached set still holds.
  const { app } = await build(t, { env: remoteAuth(jwks.url, { AUTH_JWKS_MAX_AGE_MS: '0' }) })
  const tokenA = await signedBy(keyA)

  t.equal((await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(tokenA) })).statusCode, 200)
  jwks.serve([await signingKey('key-b')])
  t.equal((await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(tokenA) })).statusCode, 401)
})

t.test('AUTH_JWKS_COOLDOWN_MS: within the cooldown an unknown kid does not fetch the set again', async (t) => {
  const keyA = await signingKey('key-a')
  const keyB = await signingKey('key-b')
  const jwks = await startJwksServer(t, [keyA])
  // An hour: the whole test runs inside it however slow the machine is.
  const { app } = await build(t, { env: remoteAuth(jwks.url, { AUTH_JWKS_COOLDOWN_MS: '3600000' }) })

  t.equal((await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(await signedBy(keyA)) })).statusCode, 200)
  t.equal(jwks.fetches, 1)
  jwks.serve([keyB])
  const res = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(await signedBy(keyB)) })
  t.equal(res.statusCode, 401)
  t.equal(json(res).detail, 'token is signed with an unknown key')
  t.equal(jwks.fetches, 1, 'no second fetch within the cooldown')
})
