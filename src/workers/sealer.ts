import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client.ts'
import type { UnitOfWork } from '../db/unit-of-work.ts'
import { AuditRepository } from '../repositories/audit.ts'
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
   * load a run takes what committed meanwhile as one batch instead of a sealing transaction per
   * handful of events. It is also the most a local event waits to be sealed under load; a commit
   * after a quiet spell is sealed at once.
   */
  coalesceMs?: number
}

export type SealedListener = (sealed: { events: number, deliveries: number }) => void

type BatchResult = { events: number, deliveries: number } | 'locked'

/**
 * Gives committed events their place in the feed (DESIGN.md guarantees 2–4). Writers only insert
 * events and queue them in `audit_unsealed`; the sealer, one at a time across all processes
 * (transaction-scoped advisory lock), takes a batch of committed events, numbers them after the
 * current head, chains their hashes and queues webhook deliveries, all in one transaction: one
 * call of the database function `audit_seal` (migrations/0002_audit_seal.sql). Only committed
 * events can be taken, and batches commit in sequence order, so a reader paging by `sequence`
 * never skips an event; no writer ever waits for the sealer.
 */
export class Sealer {
  readonly #audit: AuditRepository
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
    this.#audit = new AuditRepository(opts.db)
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
    if (!await this.#audit.anyUnsealed()) return 0
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
    const run = await this.#audit.seal(SEALER_LOCK_KEY, this.#batchSize)
    if (run.locked) return 'locked'
    return { events: run.events, deliveries: run.deliveries }
  }
}
