import { sql } from 'drizzle-orm'
import type { PgInsertValue } from 'drizzle-orm/pg-core'
import { prepared, queryRows, type Db } from '../db/client.ts'
import { auditEvents, auditUnsealed } from '../db/schema/index.ts'

/** An audit event as a writer stores it: its canonical body, not yet in the chain. */
export interface NewAuditEvent {
  id: string
  projectId: string | null
  type: string
  body: string
}

/** A stored event with its place in the chain once sealed (`sequence` null until then). */
export interface StoredEvent {
  body: string
  sequence: string | null
  hash: string | null
  prevhash: string | null
}

// The events and their queue rows in one statement: `with events as (insert … returning pos)
// insert into audit_unsealed select pos from events`.
const EVENT_PLACEHOLDERS = { id: sql.placeholder('id'), projectId: sql.placeholder('projectId'), type: sql.placeholder('type'), body: sql.placeholder('body') }

function appendQuery (db: Db, values: Array<PgInsertValue<typeof auditEvents>>) {
  const inserted = db.$with('events').as(db.insert(auditEvents).values(values).returning({ pos: auditEvents.pos }))
  return db.with(inserted).insert(auditUnsealed).select(db.select({ pos: inserted.pos }).from(inserted))
}

export interface CheckpointRow {
  sequence: string
  hash: string
  jws: string
  /** RFC 3339 UTC, milliseconds. */
  time: string
}

const CHECKPOINT_COLUMNS = sql`sequence::text as sequence, hash, jws,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as time`

export interface SealedRow {
  sequence: string
  hash: string
  prevhash: string
  body: string
}

/**
 * The audit log's data: events as their writers append them, the feed (the chain the sealer
 * builds) and the sealer's queue. The chain itself is written only by the database function
 * `audit_seal` (migrations/0002_audit_seal.sql), so that the bodies are hashed where they are stored.
 */
export class AuditRepository {
  readonly #db: Db

  constructor (db: Db) {
    this.#db = db
  }

  /**
   * Appends events, each queued for the sealer, in one statement (a data-modifying CTE). Rows are
   * numbered (`pos`) in the order given. One event, the usual case, is a prepared statement.
   */
  async append (events: readonly NewAuditEvent[]): Promise<void> {
    if (events.length === 0) return
    if (events.length === 1) {
      const [{ id, projectId, type, body }] = events as [NewAuditEvent]
      await prepared(this.#db, 'append_event', (db, name) => appendQuery(db, [EVENT_PLACEHOLDERS]).prepare(name)).execute({ id, projectId, type, body })
      return
    }
    await appendQuery(this.#db, [...events])
  }

  /** Every event of one project, oldest first, sealed or not yet (the project row lock orders them). */
  async projectEvents (projectId: string): Promise<StoredEvent[]> {
    return queryRows<StoredEvent>(this.#db, sql`
      select e.body, c.sequence::text as sequence, c.hash, c.prevhash
      from audit_events e left join audit_chain c on c.event_pos = e.pos
      where e.project_id = ${projectId}
      order by e.pos`)
  }

  /** Sealed events after `after`, in sequence order. */
  async sealedAfter (after: string, limit: number): Promise<SealedRow[]> {
    return queryRows<SealedRow>(this.#db, sql`
      select c.sequence::text as sequence, c.hash, c.prevhash, e.body
      from audit_chain c join audit_events e on e.pos = c.event_pos
      where c.sequence > ${after}::bigint
      order by c.sequence
      limit ${limit}`)
  }

  /** The sequence of the newest sealed event, "0" when there is none. */
  async head (): Promise<string> {
    const [row] = await queryRows<{ sequence: string }>(this.#db, sql`select coalesce(max(sequence), 0)::text as sequence from audit_chain`)
    return row?.sequence ?? '0'
  }

  /** The newest link of the chain, or undefined. */
  async headLink (): Promise<{ sequence: string, hash: string } | undefined> {
    const [row] = await queryRows<{ sequence: string, hash: string }>(this.#db, sql`
      select c.sequence::text as sequence, c.hash from audit_chain c order by c.sequence desc limit 1`)
    return row
  }

  /**
   * Takes the checkpoint writers' advisory lock for this transaction: `wait` blocks for it,
   * otherwise false when another process holds it.
   */
  async lockCheckpoints (lockKey: number, wait: boolean): Promise<boolean> {
    if (wait) {
      await this.#db.execute(sql`select pg_advisory_xact_lock(${lockKey})`)
      return true
    }
    const [lock] = await queryRows<{ locked: boolean }>(this.#db, sql`select pg_try_advisory_xact_lock(${lockKey}) as locked`)
    return lock?.locked === true
  }

  /** Checkpoints, newest first, below `before` (a sequence) when given. */
  async checkpoints (page: { before?: string | undefined, limit: number }): Promise<CheckpointRow[]> {
    return queryRows<CheckpointRow>(this.#db, sql`
      select ${CHECKPOINT_COLUMNS} from audit_checkpoints k
      ${page.before === undefined ? sql`` : sql`where k.sequence < ${page.before}::bigint`}
      order by k.sequence desc
      limit ${page.limit}`)
  }

  async insertCheckpoint (checkpoint: CheckpointRow): Promise<CheckpointRow> {
    const [row] = await queryRows<CheckpointRow>(this.#db, sql`
      insert into audit_checkpoints (sequence, hash, jws, created_at)
      values (${checkpoint.sequence}::bigint, ${checkpoint.hash}, ${checkpoint.jws}, ${checkpoint.time}::timestamptz)
      returning ${CHECKPOINT_COLUMNS}`)
    return row!
  }

  /**
   * Whether anything waits for the sealer, by the queue's index: every taken event leaves a dead
   * row until autovacuum comes by, and a sequential scan for "any row" reads them all.
   */
  async anyUnsealed (): Promise<boolean> {
    return (await queryRows(this.#db, UNSEALED_PROBE)).length > 0
  }

  /**
   * What waits for the sealer: the committed events in its queue, and the age in seconds of the
   * first of them (0 when none). By the queue's primary key and the events' (SEALING_BACKLOG):
   * cheap however long the log, since sealed events leave the queue.
   */
  async sealingBacklog (): Promise<{ events: number, oldestAgeSeconds: number }> {
    const [row] = await queryRows<{ events: number, age: number }>(this.#db, SEALING_BACKLOG)
    return { events: row!.events, oldestAgeSeconds: row!.age }
  }

  /**
   * One sealing run (migrations/0002_audit_seal.sql): the advisory lock, a batch off the queue,
   * the chain links and the webhook outbox, in one transaction.
   */
  async seal (lockKey: number, batchSize: number): Promise<{ locked: boolean, events: number, deliveries: number }> {
    const [run] = await queryRows<{ locked: boolean, events: number, deliveries: number }>(this.#db,
      sql`select locked, events, deliveries from audit_seal(${lockKey}, ${batchSize})`)
    return run!
  }

  /**
   * Events that are neither chained nor queued: they did not come from the service's writers.
   * Counted from the three tables' indexes first (one snapshot); searching the events for one
   * scans the whole table, so that is done only to name the first. Returns it, or undefined.
   */
  async firstOrphan (): Promise<{ id: string, nextSequence: string | null } | undefined> {
    const [counted] = await queryRows<{ orphans: number }>(this.#db, sql`
      select ((select count(*) from audit_events) - (select count(*) from audit_chain) - (select count(*) from audit_unsealed)
        + (select count(*) from audit_unsealed u join audit_chain c on c.event_pos = u.pos))::int as orphans`)
    if (counted!.orphans === 0) return undefined
    const [orphan] = await queryRows<{ id: string, next_sequence: string | null }>(this.#db, sql`
      select e.id, (select min(c.sequence)::text from audit_chain c where c.event_pos > e.pos) as next_sequence
      from audit_events e
      where not exists (select 1 from audit_chain c where c.event_pos = e.pos)
        and not exists (select 1 from audit_unsealed u where u.pos = e.pos)
      order by e.pos limit 1`)
    return orphan && { id: orphan.id, nextSequence: orphan.next_sequence }
  }
}

/** The sealer's idle probe; exported so that a test can check its plan. */
export const UNSEALED_PROBE = sql`select 1 from audit_unsealed order by pos limit 1`

/** The sealing backlog for /metrics; exported so that a test can check its plan. */
export const SEALING_BACKLOG = sql`select
  (select count(*) from audit_unsealed)::float8 as events,
  coalesce((select greatest(0, extract(epoch from now() - e.created_at))
    from audit_unsealed u join audit_events e on e.pos = u.pos
    order by u.pos limit 1), 0)::float8 as age`

/** The select of a batch of links from `from` on, for binary COPY (verification hashes the bodies as stored bytes). */
export function chainBatchSelect (from: bigint, batchSize: number): string {
  return `select c.sequence::text, c.hash, c.prevhash, e.body
      from audit_chain c left join audit_events e on e.pos = c.event_pos
      where c.sequence >= ${from} order by c.sequence limit ${batchSize}`
}
