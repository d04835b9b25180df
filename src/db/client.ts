import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { sql, type SQL } from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import type { Config } from '../config.ts'
import { MIGRATIONS_DIR } from '../paths.ts'
import * as schema from './schema/index.ts'

/** One type for both drivers: use cases never know which one they run on. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface Database {
  kind: 'postgres' | 'pglite'
  db: Db
  /** Applies pending migrations; safe when several processes start at once. */
  migrate (): Promise<void>
  /** Cheap round trip for readiness. */
  ping (): Promise<void>
  /** Pool figures for /metrics (PGlite has one connection). */
  poolStats (): { total: number, idle: number, waiting: number }
  close (): Promise<void>
}

// Any constant shared by every process of the service; migrations serialise on it.
const MIGRATION_LOCK_KEY = 7_202_611

export async function openDatabase (database: Config['database']): Promise<Database> {
  return database.kind === 'postgres'
    ? openPostgres(database.url, database.poolSize, { statementTimeoutMs: database.statementTimeoutMs })
    : openPglite(database.dataDir)
}

export function openPostgres (url: string, poolSize: number, opts: { statementTimeoutMs?: number } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // A full pool answers 503 quickly instead of queueing requests without bound.
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: opts.statementTimeoutMs ?? 10_000,
    idle_in_transaction_session_timeout: 30_000,
    application_name: 'council-gate'
  })
  // An idle client losing its server (restart, pg_terminate_backend) must not crash the process;
  // the pool drops it and the next checkout connects afresh.
  pool.on('error', () => {})
  // A checked-out client has no pool listener: losing its server between two statements of a
  // transaction emits 'error' on the client itself, an uncaught exception that would end the
  // process. Its pending or next query fails instead (→ 503), and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', () => {})
    releaseWhenFirstStatementFails(client)
  })
  pool.on('acquire', (client) => { (client as GuardedClient)[FIRST_STATEMENT] = true })
  const db = drizzlePg(pool, { schema }) as unknown as Db
  let closing: Promise<void> | undefined
  return {
    kind: 'postgres',
    db,
    async migrate () {
      // Migrations run on one dedicated connection that holds the advisory lock throughout.
      const client = await pool.connect()
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
        try {
          await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_DIR })
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
        }
      } finally {
        client.release()
      }
    },
    async ping () {
      await pool.query('select 1')
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => (closing ??= pool.end())
  }
}

const FIRST_STATEMENT = Symbol('first statement after a checkout')
type GuardedClient = pg.PoolClient & { [FIRST_STATEMENT]: boolean }

/**
 * drizzle's transaction() sends BEGIN before it enters its try/finally: when BEGIN fails (a
 * connection that died while idle in the pool, a restarted server) the client is never released,
 * and every such failure leaks a pool slot until no request gets a connection again. So the first
 * statement after a checkout releases the client itself when it fails (the pool discards it), and
 * its user's own release afterwards is a no-op. Callback-style queries (pool.query) release
 * themselves and are left alone. The guard is installed once per connection and armed at every
 * checkout (a flag), so a checkout allocates nothing and the client keeps its shape.
 */
function releaseWhenFirstStatementFails (client: pg.PoolClient): void {
  const guarded = client as GuardedClient
  guarded[FIRST_STATEMENT] = false
  const query = client.query
  client.query = function (...args: unknown[]) {
    const result = (query as (...a: unknown[]) => unknown).apply(client, args)
    if (!guarded[FIRST_STATEMENT]) return result
    guarded[FIRST_STATEMENT] = false
    if (!(result instanceof Promise)) return result
    return result.catch((error: unknown) => {
      client.release(error instanceof Error ? error : new Error(String(error)))
      client.release = () => {}
      throw error
    })
  } as typeof client.query
}

export async function openPglite (dataDir: string | null, loadDataDir?: Blob): Promise<Database> {
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true })
  const client = await PGlite.create(dataDir ?? undefined, loadDataDir ? { loadDataDir } : {})
  return wrapPglite(client)
}

export function wrapPglite (client: PGlite): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db
  return {
    kind: 'pglite',
    db,
    async migrate () {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_DIR })
    },
    async ping () {
      await db.execute(sql`select 1`)
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async close () {
      if (!client.closed) await client.close()
    }
  }
}

/**
 * Runs raw SQL and returns its rows. Both drivers answer `{ rows }`, but the shared `Db` type
 * cannot say so; this is the one place that knows.
 */
export async function queryRows<T = Record<string, unknown>> (db: Pick<Db, 'execute'>, query: SQL): Promise<T[]> {
  const result = await db.execute(query) as unknown as { rows: T[] }
  return result.rows
}
