import { hash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import { queryRows, type Db } from '../db/client.ts'
import type { UnitOfWork } from '../db/unit-of-work.ts'
import { safe, WorkerLoop } from './loop.ts'

/** prevhash of the first event in the chain. */
export const GENESIS_HASH = '0'.repeat(64)

// Any constant shared by every process of the service: one sealer at a time, across processes.
export const SEALER_LOCK_KEY = 7_202_612

/** hash = sha256hex(prevhash + "\n" + sequence + "\n" + body): the one definition, shared with verification. */
export function chainHash (prevhash: string, sequence: number | string, body: string): string {
  // One-shot hash(): no Hash object per link (verification runs this a million times).
  return hash('sha256', `${prevhash}\n${sequence}\n${body}`, 'hex')
}

export interface SealerOptions {
  db: Db
  log?: FastifyBaseLogger | undefined
  /** Events per sealing transaction. */
  batchSize?: number
  /** How often to look for events committed by other processes, in ms. */
  pollMs?: number
  /**
   * Least time between the starts of two sealing runs that local commits ask for, in ms: under
   * load a run takes what committed meanwhile as one batch instead of one transaction of eight
   * statements per handful of events. It is also the most a local event waits to be sealed.
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
    this.#coalesceMs = opts.coalesceMs ?? 20
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
    const queued = await queryRows(this.#db, sql`select 1 from audit_unsealed limit 1`)
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
      const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${SEALER_LOCK_KEY}) as locked`)
      if (!lock?.locked) return 'locked' as const
      // Only committed rows are visible to this statement, and SKIP LOCKED passes over none of
      // them while we hold the lock (writers never lock queue rows after their commit).
      const events = await queryRows<{ pos: string, body: string }>(tx, sql`
        with taken as (
          delete from audit_unsealed
          where pos in (select pos from audit_unsealed order by pos limit ${this.#batchSize} for update skip locked)
          returning pos
        )
        select e.pos::text as pos, e.body from audit_events e join taken using (pos)
        where not exists (select 1 from audit_chain c where c.event_pos = e.pos)
        order by e.pos`)
      if (events.length === 0) return { events: 0, deliveries: 0 }
      // A new statement, so its snapshot includes the previous sealer's commit (we hold its lock now).
      const [head] = await queryRows<{ sequence: string, hash: string }>(tx, sql`
        select c.sequence::text as sequence, c.hash from audit_chain c order by c.sequence desc limit 1`)
      let sequence = head ? Number(head.sequence) : 0
      let prevhash = head?.hash ?? GENESIS_HASH
      const first = sequence + 1
      const rows = events.map((event) => {
        sequence++
        const hash = chainHash(prevhash, sequence, event.body)
        const row = sql`(${sequence}::bigint, ${event.pos}::bigint, ${hash}, ${prevhash})`
        prevhash = hash
        return row
      })
      await tx.execute(sql`insert into audit_chain (sequence, event_pos, hash, prevhash) values ${sql.join(rows, sql`, `)}`)
      // The outbox: one delivery per subscribed, active endpoint, in the same transaction.
      const deliveries = await queryRows<{ n: number }>(tx, sql`
        with inserted as (
          insert into webhook_deliveries (id, webhook_id, event_sequence, event_type)
          select gen_random_uuid(), w.id, c.sequence, e.type
          from audit_chain c
          join audit_events e on e.pos = c.event_pos
          join webhooks w on w.active and w.deleted_at is null and (e.type = any(w.event_types) or '*' = any(w.event_types))
          where c.sequence between ${first} and ${sequence}
          returning 1
        )
        select count(*)::int as n from inserted`)
      return { events: events.length, deliveries: deliveries[0]?.n ?? 0 }
    })
  }
}
