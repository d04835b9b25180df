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

/** Environment variables as API.md lists them. Everything the service reads from the environment is here. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_JWKS: jwks.optional(),
  WEBHOOK_ALLOW_PRIVATE: booleanFromEnv.default(false),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).optional(),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  AUDIT_SIGNING_JWK: privateJwk.optional(),
  WORKERS: z.enum(['on', 'off']).default('on')
}).superRefine((env, ctx) => {
  if (env.AUTH_JWKS && env.AUTH_JWKS_URL) {
    ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS'], message: 'set AUTH_JWKS or AUTH_JWKS_URL, not both' })
  }
  const production = env.AUTH_JWKS ?? env.AUTH_JWKS_URL
  if (production && (!env.AUTH_ISSUER || !env.AUTH_AUDIENCE)) {
    ctx.addIssue({ code: 'custom', path: [env.AUTH_ISSUER ? 'AUTH_AUDIENCE' : 'AUTH_ISSUER'], message: 'is required when AUTH_JWKS or AUTH_JWKS_URL is set' })
  }
})

export type AuthConfig =
  | { mode: 'dev', issuer: string, audience: string, keyFile: string }
  | { mode: 'jwks', issuer: string, audience: string, jwks: { keys: Array<Record<string, unknown>> } }
  | { mode: 'jwks-url', issuer: string, audience: string, url: string }

export interface Config {
  port: number
  host: string
  /** `postgres://…` or a PGlite location: `memory` or an absolute folder. */
  /** PostgreSQL: `statementTimeoutMs` bounds every statement (a blocked request ends as 503, not a hang). */
  database: { kind: 'postgres', url: string, poolSize: number, statementTimeoutMs: number } | { kind: 'pglite', dataDir: string | null }
  dataDir: string
  auth: AuthConfig
  webhookAllowPrivate: boolean
  rateLimitPerMinute: number
  logLevel: typeof LOG_LEVELS[number]
  shutdownTimeoutMs: number
  /**
   * The key that signs audit checkpoints: AUDIT_SIGNING_JWK when set (give every process the same
   * one); else a key generated once and kept in the data folder; with `pglite://memory` a key kept
   * in memory, since the data it vouches for does not outlive the process either.
   */
  auditSigningKey: { mode: 'jwk', jwk: Record<string, unknown> } | { mode: 'file', file: string } | { mode: 'memory' }
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
    database = { kind: 'postgres', url, poolSize: e.DB_POOL_SIZE ?? Math.max(8, availableParallelism() * 2), statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS }
  }

  let auth: AuthConfig
  if (e.AUTH_JWKS) {
    auth = { mode: 'jwks', issuer: e.AUTH_ISSUER!, audience: e.AUTH_AUDIENCE!, jwks: e.AUTH_JWKS }
  } else if (e.AUTH_JWKS_URL) {
    auth = { mode: 'jwks-url', issuer: e.AUTH_ISSUER!, audience: e.AUTH_AUDIENCE!, url: e.AUTH_JWKS_URL }
  } else {
    auth = {
      mode: 'dev',
      issuer: e.AUTH_ISSUER ?? DEV_ISSUER,
      audience: e.AUTH_AUDIENCE ?? DEV_AUDIENCE,
      keyFile: resolve(dataDir, 'dev-signing-key.json')
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
    database,
    dataDir,
    auth,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    auditSigningKey,
    workers: e.WORKERS === 'on'
  }
}
