import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import type { Test } from 'tap'
import { buildApp } from '../../src/app.ts'
import type { Role } from '../../src/auth/caller.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import type { Database } from '../../src/db/client.ts'
import { createTestDatabase } from './database.ts'

export const TEST_ISSUER = 'https://idp.test.council-gate'
export const TEST_AUDIENCE = 'council-gate-test'

// One signing key per test process; the app trusts it through AUTH_JWKS like a production key set.
const { privateKey, publicKey } = await generateKeyPair('ES256')
export const TEST_KID = 'test-key-1'
export const testPrivateKey = privateKey
export const testPublicJwk = { ...(await exportJWK(publicKey)), kid: TEST_KID, alg: 'ES256', use: 'sig' }

/** `env` overrides the defaults; a variable given as `undefined` is unset (e.g. AUTH_JWKS, for AUTH_JWKS_URL). */
export function testConfig (env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    DATABASE_URL: 'pglite://memory',
    AUTH_JWKS: JSON.stringify({ keys: [testPublicJwk] }),
    AUTH_ISSUER: TEST_ISSUER,
    AUTH_AUDIENCE: TEST_AUDIENCE,
    RATE_LIMIT_PER_MINUTE: '0',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    LOG_LEVEL: 'silent',
    ...env
  })
}

/** Dev-mode auth (no AUTH_JWKS): the service signs with a key it keeps in `dataDir`, as `npm start` does. */
export function devTestConfig (dataDir: string, env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    DATABASE_URL: 'pglite://memory',
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: '0',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    LOG_LEVEL: 'silent',
    ...env
  })
}

export interface TokenOptions {
  sub?: string
  name?: string
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number
  claims?: Record<string, unknown>
}

/** A valid token for the test key. */
export async function token (roles: Role | Role[], org: string, opts: TokenOptions = {}): Promise<string> {
  const roleList = Array.isArray(roles) ? roles : [roles]
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ org, roles: roleList, ...(opts.name ? { name: opts.name } : {}), ...opts.claims })
    .setProtectedHeader({ alg: 'ES256', kid: TEST_KID, typ: 'JWT' })
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setSubject(opts.sub ?? `${roleList[0]}-${org}`)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.expiresIn ?? 600))
    .sign(privateKey)
}

export const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` })

export interface TestApp {
  app: FastifyInstance
  database: Database
  /** `postgres://…` of this test's database (undefined on PGlite). */
  databaseUrl: string | undefined
  config: Config
}

/** The same app the server runs, on a fresh database, closed in teardown. */
export async function build (t: Test, opts: { env?: Record<string, string | undefined>, poolSize?: number, routes?: (app: FastifyInstance) => void, devAuthDir?: string } = {}): Promise<TestApp> {
  const { database, url, dispose } = await createTestDatabase(t, { poolSize: opts.poolSize, register: false })
  // devAuthDir: dev-mode auth with its signing key in that folder (test/helpers' token() does not apply).
  const config = opts.devAuthDir === undefined ? testConfig(opts.env) : devTestConfig(opts.devAuthDir, opts.env)
  const app = await buildApp({ config, database, logger: false })
  t.teardown(async () => {
    await app.close()
    await dispose()
  })
  opts.routes?.(app)
  await app.ready()
  return { app, database, databaseUrl: url, config }
}

export function json<T = any> (response: LightMyRequestResponse): T {
  return response.json() as T
}
