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

/**
 * The executor every repository runs on: the database itself, or a transaction of it (the same
 * type and the same behaviour). Built without drizzle's relational schema: the service does not
 * use `db.query`, and building that configuration costs ~0.3 ms for every instance, and every
 * transaction is an instance on its own connection.
 */
export type Db = PgDatabase<PgQueryResultHKT>

export interface TransactionOptions {
  isolationLevel?: 'read committed' | 'repeatable read' | 'serializable'
  accessMode?: 'read only' | 'read write'
}

export interface Database {
  kind: 'postgres' | 'pglite'
  db: Db
  /**
   * The one way to run a transaction: `work` gets an executor bound to it; it commits when `work`
   * resolves and rolls back when it throws.
   */
  transaction<T> (work: (tx: Db) => Promise<T>, opts?: TransactionOptions): Promise<T>
  /** Applies pending migrations; safe when several processes start at once. */
  migrate (): Promise<void>
  /** Cheap round trip for readiness. */
  ping (): Promise<void>
  /** Pool figures for /metrics (PGlite has one connection). */
  poolStats (): { total: number, idle: number, waiting: number }
  /** The pg pool or the PGlite instance, for what drizzle cannot say (binary COPY). */
  client: pg.Pool | PGlite
  close (): Promise<void>
}

// Any constant shared by every process of the service; migrations serialise on it.
const MIGRATION_LOCK_KEY = 7_202_611

export async function openDatabase (database: Config['database']): Promise<Database> {
  return database.kind === 'postgres'
    ? openPostgres(database.url, database.poolSize, { statementTimeoutMs: database.statementTimeoutMs, preparedStatements: database.preparedStatements })
    : openPglite(database.dataDir)
}

function beginStatement (opts: TransactionOptions = {}): string {
  return ['begin', opts.isolationLevel && `isolation level ${opts.isolationLevel}`, opts.accessMode].filter(Boolean).join(' ')
}

export function openPostgres (url: string, poolSize: number, opts: { statementTimeoutMs?: number, preparedStatements?: boolean } = {}): Database {
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
  pool.on('connect', (client) => { client.on('error', () => {}) })
  const named = opts.preparedStatements ?? true
  const executor = (client: pg.Pool | pg.PoolClient): Db => {
    const db: Db = drizzlePg(client)
    if (!named) unnamed.add(db)
    return db
  }
  const db = executor(pool)
  // One executor per pooled connection, kept while the pool keeps the connection: the statements
  // `prepared` builds for it are built once per connection, not once per transaction.
  const executors = new WeakMap<pg.PoolClient, Db>()
  const connectionExecutor = (client: pg.PoolClient): Db => {
    let tx = executors.get(client)
    if (tx === undefined) executors.set(client, tx = executor(client))
    return tx
  }
  let closing: Promise<void> | undefined
  return {
    kind: 'postgres',
    db,
    /*
     * The transaction owns its checkout (drizzle's own transaction() sends BEGIN before its
     * try/finally, so a failed BEGIN — a connection that died while idle in the pool — would never
     * be released, and each such failure would leak a pool slot). The connection goes back to
     * the pool only when it is known to be between transactions; otherwise it is discarded.
     */
    async transaction (work, opts) {
      const client = await pool.connect()
      let reusable = false
      try {
        await client.query(beginStatement(opts))
        let result
        try {
          result = await work(connectionExecutor(client))
        } catch (error) {
          reusable = await client.query('rollback').then(() => true, () => false)
          throw error
        }
        await client.query('commit')
        reusable = true
        return result
      } finally {
        client.release(reusable ? undefined : new Error('connection left in an unknown state'))
      }
    },
    async migrate () {
      // Migrations run on one dedicated connection that holds the advisory lock throughout.
      const client = await pool.connect()
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
        try {
          await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_DIR })
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
    client: pool,
    close: () => (closing ??= pool.end())
  }
}

export async function openPglite (dataDir: string | null, loadDataDir?: Blob): Promise<Database> {
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true })
  const client = await PGlite.create(dataDir ?? undefined, loadDataDir ? { loadDataDir } : {})
  return wrapPglite(client)
}

export function wrapPglite (client: PGlite): Database {
  const db: Db = drizzlePglite(client)
  return {
    kind: 'pglite',
    db,
    // PGlite is one connection in the process: drizzle's transaction has no pool slot to leak.
    transaction: (work, opts) => db.transaction(work, opts),
    async migrate () {
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_DIR })
    },
    async ping () {
      await db.execute(sql`select 1`)
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    client,
    async close () {
      if (!client.closed) await client.close()
    }
  }
}

// Executors whose statements go unnamed (DB_PREPARED_STATEMENTS=off).
const unnamed = new WeakSet<Db>()
const statementsOf = new WeakMap<Db, Map<string, unknown>>()

/**
 * A query prepared once per executor with drizzle's `.prepare()`: built once for the database (and
 * once per pooled connection; on PGlite once per transaction), and named, so that PostgreSQL
 * parses and plans it once per connection. With DB_PREPARED_STATEMENTS=off the name is empty: an
 * unnamed statement, which PgBouncer in transaction mode can pass on (a named one lives on one
 * server connection). Measured: building the lookup by id and its letters anew for every request
 * cost ~0.6 ms of CPU of ~1.9 ms; the three inserts of a submission, ~0.35 ms of ~1.3 ms.
 */
export function prepared<T> (db: Db, name: string, prepare: (db: Db, name: string) => T): T {
  let statements = statementsOf.get(db)
  if (statements === undefined) statementsOf.set(db, statements = new Map())
  let statement = statements.get(name) as T | undefined
  if (statement === undefined) statements.set(name, statement = prepare(db, unnamed.has(db) ? '' : name))
  return statement
}

/**
 * Runs raw SQL and returns its rows. Both drivers answer `{ rows }`, but the shared `Db` type
 * cannot say so; this is the one place that knows.
 */
export async function queryRows<T = Record<string, unknown>> (db: Pick<Db, 'execute'>, query: SQL): Promise<T[]> {
  const result = await db.execute(query) as unknown as { rows: T[] }
  return result.rows
}
