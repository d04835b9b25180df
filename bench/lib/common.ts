import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import pg from 'pg'

/** The repository root and the bench folders, wherever the bench is started from. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BENCH_DIR = resolve(ROOT, 'bench')
export const RESULTS_DIR = resolve(BENCH_DIR, 'results')

export function ensureResultsDir (): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  return RESULTS_DIR
}

/** The local PostgreSQL (trust auth); BENCH_PG_URL overrides the maintenance connection. */
export const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export function databaseUrl (name: string): string {
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return url.toString()
}

/** Connection parameters for pgbench / psql, from a postgres:// URL. */
export function libpqEnv (url: string): Record<string, string> {
  const u = new URL(url)
  return {
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username || 'postgres'),
    ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}),
    PGDATABASE: u.pathname.slice(1)
  }
}

/** Drops (terminating its sessions) and creates a database. */
export async function recreateDatabase (name: string): Promise<string> {
  await adminStatements(name, `drop database if exists ${name} with (force)`, `create database ${name}`)
  return databaseUrl(name)
}

export async function dropDatabase (name: string): Promise<void> {
  await adminStatements(name, `drop database if exists ${name} with (force)`)
}

/**
 * Before each measured run: PostgreSQL's dirty pages written out (CHECKPOINT) and no autovacuum
 * worker busy (waits up to `maxWaitMs`), so that the background work one run leaves behind (a
 * checkpoint's writes, the vacuum after pgbench's inserts) is not billed to whichever run comes
 * next. Needs a superuser or pg_checkpoint for CHECKPOINT; without, it only waits for autovacuum.
 */
export async function settlePostgres (maxWaitMs = 10_000): Promise<{ ms: number, checkpointed: boolean }> {
  const started = Date.now()
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    let checkpointed = true
    await client.query('checkpoint').catch(() => { checkpointed = false })
    while (Date.now() - started < maxWaitMs) {
      const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where backend_type = 'autovacuum worker'")
      if (rows[0]!.n === 0) break
      await sleep(100)
    }
    return { ms: Date.now() - started, checkpointed }
  } finally {
    await client.end()
  }
}

async function adminStatements (name: string, ...statements: string[]): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`)
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    for (const statement of statements) await client.query(statement)
  } finally {
    await client.end()
  }
}

export const ISSUER = 'https://idp.bench.council-gate'
export const AUDIENCE = 'council-gate-bench'
const KID = 'bench-key-1'

export interface BenchAuth {
  /** The inline JWKS the service trusts (AUTH_JWKS). */
  jwks: string
  token (roles: string[], org: string, sub?: string): Promise<string>
}

/** A key pair made for this run: the service gets the public half as AUTH_JWKS, like production. */
export async function benchAuth (): Promise<BenchAuth> {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const publicJwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'ES256', use: 'sig' }
  return {
    jwks: JSON.stringify({ keys: [publicJwk] }),
    token: (roles, org, sub) => signToken(privateKey, roles, org, sub)
  }
}

async function signToken (key: CryptoKey, roles: string[], org: string, sub?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ org, roles, name: 'Bench Bruger' })
    .setProtectedHeader({ alg: 'ES256', kid: KID, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(sub ?? `bench-${roles[0]}-${org}`)
    .setIssuedAt(now)
    .setExpirationTime(now + 6 * 3600)
    .sign(key)
}

const DESCRIPTION = 'Én fælles platform til booking af ambulante tider i alle fem regioner. Platformen erstatter ' +
  'fem lokale løsninger, samler patientens aftaler ét sted og giver afdelingerne et fælles overblik over ' +
  'kapacitet. Projektet omfatter udbud, integration til de regionale EPJ-systemer (Sundhedsplatformen og ' +
  'Columna Clinical Information System), sikkerhedsgodkendelse, uddannelse af personale og gradvis ' +
  'udrulning fra 2027. Driftsomkostningerne efter idriftsættelse indgår ikke i det vurderede beløb.'

/**
 * A realistic submission of about 1 KB: gated (10,000,000 DKK eligible, all five regions) or not
 * gated (the same money, four regions).
 */
export function submission (gated: boolean): Record<string, unknown> {
  return {
    title: gated ? 'Fælles regional booking-platform' : 'Regional booking-platform (fire regioner)',
    description: DESCRIPTION,
    participatingRegions: gated ? ['1081', '1082', '1083', '1084', '1085'] : ['1081', '1082', '1083', '1084'],
    phase: 'analysis',
    budgetLines: [
      { category: 'supplier', year: 2027, amountDkk: 4_000_000 },
      { category: 'supplier', year: 2028, amountDkk: 2_000_000 },
      { category: 'consultant', year: 2027, amountDkk: 1_500_000 },
      { category: 'internal', year: 2027, amountDkk: 1_500_000 },
      { category: 'internal', year: 2028, amountDkk: 1_000_000 },
      { category: 'operations', year: 2029, amountDkk: 900_000 }
    ],
    plannedStart: '2027-01-01',
    plannedEnd: '2029-06-30',
    contact: { name: 'Mette Hansen', email: 'mette.hansen@regionh.dk' },
    reviewRequested: false
  }
}

/** The median of the finite values (a failed run's NaN is left out). */
export function median (values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Nearest-rank percentile of a sorted array. */
export function percentile (sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
