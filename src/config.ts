import { createPublicKey, type JsonWebKey } from 'node:crypto'
import { BlockList, isIP } from 'node:net'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { z } from 'zod'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const booleanFromEnv = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

const databaseUrl = z.string().refine(
  (v) => /^postgres(ql)?:\/\//.test(v) || /^pglite:\/\/(memory|\/.+|\.\/.+)$/.test(v),
  'must be postgres://…, pglite://memory, pglite:///abs/path or pglite://./rel/path'
)

const jwks = z.string().transform((raw, ctx) => {
  try {
    const parsed: unknown = JSON.parse(raw)
    const keys = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).parse(parsed)
    return keys
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key Set: {"keys":[…]}' })
    return z.NEVER
  }
})

const privateJwk = z.string().transform((raw, ctx) => {
  try {
    const parsed: unknown = JSON.parse(raw)
    return z.object({ kty: z.enum(['OKP', 'EC']), d: z.string().min(1) }).loose().parse(parsed)
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a private JSON Web Key (OKP Ed25519 or EC P-256, with "d")' })
    return z.NEVER
  }
})

// Dev-mode auth mints admin tokens for anyone who can reach POST /app/dev-token: it is chosen, never
// fallen into. Without AUTH_MODE it runs only when the service listens on loopback.
const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/** 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) or localhost: a HOST nothing outside this machine can reach. */
export function isLoopbackHost (host: string): boolean {
  if (/^localhost\.?$/i.test(host)) return true
  const family = isIP(host)
  return family !== 0 && LOOPBACK.check(host, family === 6 ? 'ipv6' : 'ipv4')
}

/** The longest a token may claim to live (exp − iat) unless AUTH_MAX_TOKEN_LIFETIME_S says otherwise: 12 h. */
export const DEFAULT_MAX_TOKEN_LIFETIME_S = 43_200

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']
const AUDIT_KEY_ALGORITHMS: Record<string, string> = { 'OKP/Ed25519': 'EdDSA', 'EC/P-256': 'ES256' }

/**
 * Public keys that once signed audit checkpoints, so those still verify after a rotation. Each is
 * checked here, at start-up, as the key it claims to be: a set that would fail only when someone
 * runs GET /v1/audit/verify is found too late.
 */
const retiredAuditJwks = z.string().transform((raw, ctx) => {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message })
    return z.NEVER
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return fail('must be a JSON Web Key Set: {"keys":[…]} of public Ed25519 (OKP) or P-256 (EC) keys, each with a "kid"')
  }
  const set = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).safeParse(parsed)
  if (!set.success) return fail('must be a JSON Web Key Set: {"keys":[…]} of public Ed25519 (OKP) or P-256 (EC) keys, each with a "kid"')
  const kids = new Set<string>()
  for (const [i, key] of set.data.keys.entries()) {
    const kid = key.kid
    if (typeof kid !== 'string' || kid === '') return fail(`key ${i + 1} has no "kid"`)
    if (kids.has(kid)) return fail(`lists kid "${kid}" twice`)
    kids.add(kid)
    const secret = PRIVATE_JWK_MEMBERS.find((member) => member in key)
    // A retired key only verifies; its private part has no business in the environment.
    if (secret !== undefined) return fail(`must list public keys only: key "${kid}" has a private part ("${secret}")`)
    const alg = AUDIT_KEY_ALGORITHMS[`${String(key.kty)}/${String(key.crv)}`]
    if (alg === undefined) return fail(`key "${kid}" is not an Ed25519 (OKP) or P-256 (EC) key`)
    if (key.alg !== undefined && key.alg !== alg) return fail(`key "${kid}" says alg ${String(key.alg)}, but its curve signs ${alg}`)
    if (key.use !== undefined && key.use !== 'sig') return fail(`key "${kid}" says use ${String(key.use)}, not sig`)
    try {
      createPublicKey({ key: key as JsonWebKey, format: 'jwk' })
    } catch {
      return fail(`key "${kid}" is not a valid public key`)
    }
  }
  return set.data
})

/** Environment variables as API.md lists them. Everything the service reads from the environment is here. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DATABASE_URL: databaseUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_JWKS: jwks.optional(),
  AUTH_MODE: z.enum(['dev', 'jwks']).optional(),
  AUTH_MAX_TOKEN_LIFETIME_S: z.coerce.number().int().min(60).default(DEFAULT_MAX_TOKEN_LIFETIME_S),
  AUTH_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  AUTH_JWKS_MAX_AGE_MS: z.coerce.number().int().min(0).default(600_000),
  WEBHOOK_ALLOW_PRIVATE: booleanFromEnv.default(false),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).optional(),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  DB_PREPARED_STATEMENTS: z.enum(['on', 'off']).default('on'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(5_000),
  AUDIT_SIGNING_JWK: privateJwk.optional(),
  AUDIT_RETIRED_JWKS: retiredAuditJwks.optional(),
  WORKERS: z.enum(['on', 'off']).default('on')
}).superRefine((env, ctx) => {
  if (env.AUTH_JWKS && env.AUTH_JWKS_URL) {
    ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS'], message: 'set AUTH_JWKS or AUTH_JWKS_URL, not both' })
  }
  const production = env.AUTH_JWKS ?? env.AUTH_JWKS_URL
  const keysNamed = env.AUTH_JWKS ? 'AUTH_JWKS' : 'AUTH_JWKS_URL'
  if (env.AUTH_MODE === 'dev' && production) {
    ctx.addIssue({ code: 'custom', path: ['AUTH_MODE'], message: `dev contradicts ${keysNamed}: dev mode trusts only its own signing key; unset one of them` })
  }
  if (env.AUTH_MODE === 'jwks' && !production) {
    ctx.addIssue({ code: 'custom', path: ['AUTH_MODE'], message: 'jwks requires AUTH_JWKS or AUTH_JWKS_URL' })
  }
  if (env.AUTH_MODE === undefined && !production && !isLoopbackHost(env.HOST)) {
    // The path names the first variable, the message the second: one line naming both.
    ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS'], message: `or AUTH_JWKS_URL is required when HOST is not loopback (HOST is ${env.HOST}; set AUTH_MODE=dev to run dev-mode auth on purpose)` })
  }
  if (production && (!env.AUTH_ISSUER || !env.AUTH_AUDIENCE)) {
    ctx.addIssue({ code: 'custom', path: [env.AUTH_ISSUER ? 'AUTH_AUDIENCE' : 'AUTH_ISSUER'], message: 'is required when AUTH_JWKS or AUTH_JWKS_URL is set' })
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT === env.PORT) {
    ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: `must differ from PORT (${env.PORT})` })
  }
  // The timeout counts from the signal and the grace period is its first part; the rest is for
  // finishing the requests in flight.
  if (env.SHUTDOWN_GRACE_MS >= env.SHUTDOWN_TIMEOUT_MS) {
    ctx.addIssue({ code: 'custom', path: ['SHUTDOWN_GRACE_MS'], message: `must be less than SHUTDOWN_TIMEOUT_MS (${env.SHUTDOWN_TIMEOUT_MS}): the timeout counts from the signal, the grace period included` })
  }
})

/** `maxTokenLifetimeS`: AUTH_MAX_TOKEN_LIFETIME_S, the most `exp − (iat ?? now)` a token may claim. */
export type AuthConfig = { maxTokenLifetimeS: number } & (
  | { mode: 'dev', issuer: string, audience: string, keyFile: string }
  | { mode: 'jwks', issuer: string, audience: string, jwks: { keys: Array<Record<string, unknown>> } }
  /**
   * `cooldownMs`: how soon after a fetch a token with an unknown `kid` may fetch the set again (a
   * flood of forged kids cannot hammer the identity provider); `maxAgeMs`: after this long the set is
   * fetched again before use, so a key the provider withdrew stops verifying within it.
   */
  | { mode: 'jwks-url', issuer: string, audience: string, url: string, cooldownMs: number, maxAgeMs: number }
)

export interface Config {
  port: number
  host: string
  /** METRICS_PORT: /metrics without a token on a port of its own (same HOST), for Prometheus inside the network. */
  metricsPort: number | undefined
  /** `postgres://…` or a PGlite location: `memory` or an absolute folder. */
  /** PostgreSQL: `statementTimeoutMs` bounds every statement (a blocked request ends as 503, not a hang). */
  /** PostgreSQL: `preparedStatements` (DB_PREPARED_STATEMENTS) names the hot reads' statements; off behind PgBouncer in transaction mode. */
  database: { kind: 'postgres', url: string, poolSize: number, statementTimeoutMs: number, preparedStatements: boolean } | { kind: 'pglite', dataDir: string | null }
  dataDir: string
  auth: AuthConfig
  webhookAllowPrivate: boolean
  rateLimitPerMinute: number
  logLevel: typeof LOG_LEVELS[number]
  /** From the signal to the exit at the latest (close-with-grace's delay), the grace period included. */
  shutdownTimeoutMs: number
  /**
   * The first part of a shutdown: /health/ready answers 503 while requests, also on new
   * connections, are still served; then the server stops listening and finishes what is in flight.
   */
  shutdownGraceMs: number
  /**
   * The key that signs audit checkpoints: AUDIT_SIGNING_JWK when set (give every process the same
   * one); else a key generated once and kept in the data folder; with `pglite://memory` a key kept
   * in memory, since the data it vouches for does not outlive the process either.
   */
  auditSigningKey: { mode: 'jwk', jwk: Record<string, unknown> } | { mode: 'file', file: string } | { mode: 'memory' }
  /**
   * AUDIT_RETIRED_JWKS: public keys (each with a `kid`) that signed checkpoints before the current
   * key. Checkpoints verify against these and the current key only, never a key the database names.
   */
  auditRetiredKeys: Array<Record<string, unknown>>
  /** WORKERS=off: no background loops (sealer, webhook dispatcher, checkpoints); tests drive them by hand. */
  workers: boolean
}

export const DEV_ISSUER = 'council-gate-dev'
export const DEV_AUDIENCE = 'council-gate'

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Validates the environment once; a bad value throws one line naming the variable and the problem. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const name = issue.path[0] === undefined ? 'environment' : String(issue.path[0])
    throw new ConfigError(`invalid configuration: ${name} ${issue.message}`)
  }
  const e = parsed.data
  const dataDir = resolve(e.DATA_DIR)

  let database: Config['database']
  const url = e.DATABASE_URL
  if (url === undefined) {
    database = { kind: 'pglite', dataDir: resolve(dataDir, 'pglite') }
  } else if (url.startsWith('pglite://')) {
    const location = url.slice('pglite://'.length)
    database = { kind: 'pglite', dataDir: location === 'memory' ? null : resolve(location) }
  } else {
    database = { kind: 'postgres', url, poolSize: e.DB_POOL_SIZE ?? Math.max(8, availableParallelism() * 2), statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS, preparedStatements: e.DB_PREPARED_STATEMENTS === 'on' }
  }

  let auth: AuthConfig
  if (e.AUTH_JWKS) {
    auth = { mode: 'jwks', issuer: e.AUTH_ISSUER!, audience: e.AUTH_AUDIENCE!, jwks: e.AUTH_JWKS, maxTokenLifetimeS: e.AUTH_MAX_TOKEN_LIFETIME_S }
  } else if (e.AUTH_JWKS_URL) {
    auth = { mode: 'jwks-url', issuer: e.AUTH_ISSUER!, audience: e.AUTH_AUDIENCE!, url: e.AUTH_JWKS_URL, cooldownMs: e.AUTH_JWKS_COOLDOWN_MS, maxAgeMs: e.AUTH_JWKS_MAX_AGE_MS, maxTokenLifetimeS: e.AUTH_MAX_TOKEN_LIFETIME_S }
  } else {
    auth = {
      mode: 'dev',
      issuer: e.AUTH_ISSUER ?? DEV_ISSUER,
      audience: e.AUTH_AUDIENCE ?? DEV_AUDIENCE,
      keyFile: resolve(dataDir, 'dev-signing-key.json'),
      maxTokenLifetimeS: e.AUTH_MAX_TOKEN_LIFETIME_S
    }
  }

  const auditSigningKey: Config['auditSigningKey'] = e.AUDIT_SIGNING_JWK
    ? { mode: 'jwk', jwk: e.AUDIT_SIGNING_JWK }
    : database.kind === 'pglite' && database.dataDir === null
      ? { mode: 'memory' }
      : { mode: 'file', file: resolve(dataDir, 'audit-signing-key.json') }

  return {
    port: e.PORT,
    host: e.HOST,
    metricsPort: e.METRICS_PORT,
    database,
    dataDir,
    auth,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    auditSigningKey,
    auditRetiredKeys: e.AUDIT_RETIRED_JWKS?.keys ?? [],
    workers: e.WORKERS === 'on'
  }
}
