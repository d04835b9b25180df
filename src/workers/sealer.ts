import { sql, type Placeholder, type SQL } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.ts'
import { preparedStatement } from '../db/statements.ts'
import type { UnitOfWork } from '../db/unit-of-work.ts'
import { chainHash, GENESIS_HASH } from '../modules/audit/chain.ts'
import { safe, WorkerLoop } from './loop.ts'

// Any constant shared by every process of the service: one sealer at a time, across processes.
export const SEALER_LOCK_KEY = 7_202_612

export interface SealerOptions {
  db: Db
  log?: FastifyBaseLogger | undefined
  /** Events per sealing transaction. */
  batchSize?: number
  /** How often to look for events committed by other processes, in ms. */
  pollMs?: number
  /**
   * Least time between the starts of two sealing runs that local commits ask for, in ms: under
   * load a run takes what committed meanwhile as one batch instead of a transaction of six
   * statements per handful of events. It is also the most a local event waits to be sealed under
   * load; a commit after a quiet spell is sealed at once. Each run costs the event loop ~0.65 ms
   * whatever its size (six round trips); against 20 ms, 50 ms lowered the service's CPU per
   * submission by ~5 % in five of six alternated pairs (bench/README.md, session 6).
   */
  coalesceMs?: number
}

export type SealedListener = (sealed: { events: number, deliveries: number }) => void

type BatchResult = { events: number, deliveries: number } | 'locked'

/**
 * Gives committed events their place in the feed (DESIGN.md guarantees 2–4). Writers only insert
 * events and queue them in `audit_unsealed`; the sealer, one at a time across all processes
 * (transaction-scoped advisory lock), takes a batch of committed events, numbers them after the
 * current head, chains their hashes and queues webhook deliveries, all in one transaction. Only
 * committed events can be taken, and batches commit in sequence order, so a reader paging by
 * `sequence` never skips an event; no writer ever waits for the sealer.
 */
export class Sealer {
  readonly #db: Db
  readonly #log: FastifyBaseLogger | undefined
  readonly #batchSize: number
  readonly #coalesceMs: number
  readonly #listeners = new Set<SealedListener>()
  readonly #loop: WorkerLoop
  #lastRunAt = 0
  #kickTimer: NodeJS.Timeout | undefined
  #unsubscribe: (() => void) | undefined
  #sealed = 0

  constructor (opts: SealerOptions) {
    this.#db = opts.db
    this.#log = opts.log
    this.#batchSize = opts.batchSize ?? 1000
    this.#coalesceMs = opts.coalesceMs ?? 50
    this.#loop = new WorkerLoop({
      work: () => {
        this.#lastRunAt = Date.now()
        return this.#drain()
      },
      pollMs: opts.pollMs ?? 200,
      log: opts.log,
      failure: 'sealing audit events failed; retrying'
    })
  }

  /** Events sealed by this instance since it was created. */
  get sealed (): number {
    return this.#sealed
  }

  /** Called after every sealing transaction that sealed something (SSE hub, webhook dispatcher). */
  onSealed (listener: SealedListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /**
   * Seals every event committed before the call (and any committed meanwhile); resolves with
   * the number sealed by this process. Calls in one process share one run.
   */
  sealPending (): Promise<number> {
    return this.#loop.run()
  }

  /** Starts polling and listening for local commits. */
  start (uow: UnitOfWork): void {
    if (!this.#loop.stopped) return
    this.#unsubscribe = uow.onEventsCommitted(() => this.#kick())
    this.#loop.start()
  }

  /** Stops the loops and waits for a sealing transaction in flight. */
  async stop (): Promise<void> {
    this.#unsubscribe?.()
    if (this.#kickTimer) clearTimeout(this.#kickTimer)
    this.#kickTimer = undefined
    await this.#loop.stop()
  }

  // The commits of a burst become one sealing run, at most one every coalesceMs.
  #kick (): void {
    if (this.#loop.stopped || this.#kickTimer) return
    const wait = Math.max(0, this.#lastRunAt + this.#coalesceMs - Date.now())
    this.#kickTimer = setTimeout(() => {
      this.#kickTimer = undefined
      void this.#loop.background()
    }, wait)
  }

  async #drain (): Promise<number> {
    // An idle poll costs one cheap read, not a sealing transaction.
    const queued = await queuedStatement(this.#db, {})
    if (queued.length === 0) return 0
    let total = 0
    let lockedRetries = 0
    for (;;) {
      const result = await this.#sealBatch()
      if (result === 'locked') {
        // Another process is sealing; it will take what we were asked to seal. Wait for it to
        // finish so that "everything committed before the call is sealed" still holds.
        if (++lockedRetries > 500) throw new Error('the sealer lock was held by another process for too long')
        await new Promise((resolve) => setTimeout(resolve, 10))
        continue
      }
      lockedRetries = 0
      total += result.events
      this.#sealed += result.events
      if (result.events > 0) this.#notify(result)
      if (result.events < this.#batchSize) return total
    }
  }

  #notify (result: { events: number, deliveries: number }): void {
    for (const listener of this.#listeners) {
      try {
        listener(result)
      } catch (error) {
        this.#log?.error({ err: safe(error) }, 'a listener of the sealer failed')
      }
    }
  }

  async #sealBatch (): Promise<BatchResult> {
    return this.#db.transaction(async (tx) => {
      const [lock] = await lockStatement(tx, {})
      if (!lock?.locked) return 'locked' as const
      // A new statement after the lock, so its snapshot includes the previous sealer's commit.
      const events = await takeStatement(tx, { batchSize: this.#batchSize })
      if (events.length === 0) return { events: 0, deliveries: 0 }
      let sequence = Number(events[0]!.head_sequence ?? 0)
      let prevhash = events[0]!.head_hash ?? GENESIS_HASH
      const links: ChainLinks = { sequences: [], positions: [], hashes: [], prevhashes: [] }
      for (const event of events) {
        sequence++
        const hash = chainHash(prevhash, sequence, event.body)
        links.sequences.push(sequence)
        links.positions.push(event.pos)
        links.hashes.push(hash)
        links.prevhashes.push(prevhash)
        prevhash = hash
      }
      const [deliveries] = await chainStatement(tx, links)
      return { events: events.length, deliveries: deliveries?.n ?? 0 }
    })
  }
}

// The statements of a sealing run: each prepared once per connection, the same text whatever the batch.

/**
 * Whether anything is queued, by the queue's index: every taken event leaves a dead row in the
 * table until autovacuum comes by (a minute or more), and a sequential scan for "any row" read
 * them all (151 pages, 0.7 ms, after 20 s of submissions). Exported so that a test can check its plan.
 */
export const QUEUED = sql`select 1 from audit_unsealed order by pos limit 1`

const queuedStatement = preparedStatement<Record<string, never>>('sealer_queued', () => QUEUED)

const lockStatement = preparedStatement<Record<string, never>, { locked: boolean }>('sealer_lock',
  () => sql`select pg_try_advisory_xact_lock(${SEALER_LOCK_KEY}) as locked`)

// Takes a batch off the queue, with the chain's head. Only committed rows are visible to it, and
// SKIP LOCKED passes over none of them while we hold the lock (writers never lock queue rows after
// their commit). The batch's positions are looked up by `= any(array(…))`, an index lookup each,
// whatever the planner expects of the queue: as a join with the batch, PostgreSQL merge-joined the
// whole events index from its start (13 ms for 50 events at 19,000, growing with the table).
// The head is a materialized CTE: inlined, PostgreSQL looked it up again for every event.
const takeStatement = preparedStatement<{ batchSize: number }, { pos: string, body: string, head_sequence: string | null, head_hash: string | null }>('sealer_take',
  () => takeBatch(sql.placeholder('batchSize')))

/** The take's SQL for a batch size; exported so that a test can check its plan. */
export function takeBatch (batchSize: SQL | Placeholder): SQL {
  return sql`
  with taken as (
    delete from audit_unsealed
    where pos = any(array(select pos from audit_unsealed order by pos limit ${batchSize} for update skip locked))
    returning pos
  ),
  head as materialized (select c.sequence::text as sequence, c.hash from audit_chain c order by c.sequence desc limit 1)
  select e.pos::text as pos, e.body, head.sequence as head_sequence, head.hash as head_hash
  from audit_events e left join head on true
  where e.pos = any(array(select pos from taken))
    and not exists (select 1 from audit_chain c where c.event_pos = e.pos)
  order by e.pos`
}

type ChainLinks = { sequences: number[], positions: string[], hashes: string[], prevhashes: string[] }

// The links, and the outbox: one delivery per subscribed, active endpoint, in the same transaction.
const chainStatement = preparedStatement<ChainLinks, { n: number }>('sealer_chain', () => sql`
  with chain as (
    insert into audit_chain (sequence, event_pos, hash, prevhash)
    select * from unnest(${sql.placeholder('sequences')}::bigint[], ${sql.placeholder('positions')}::bigint[], ${sql.placeholder('hashes')}::text[], ${sql.placeholder('prevhashes')}::text[])
    returning sequence, event_pos
  ),
  inserted as (
    insert into webhook_deliveries (id, webhook_id, event_sequence, event_type)
    select gen_random_uuid(), w.id, c.sequence, e.type
    from chain c
    join audit_events e on e.pos = c.event_pos
    join webhooks w on w.active and w.deleted_at is null and (e.type = any(w.event_types) or '*' = any(w.event_types))
    returning 1
  )
  select count(*)::int as n from inserted`)
