import type { FastifyBaseLogger } from 'fastify'

/**
 * The run discipline of a background worker (the sealer, the webhook dispatcher): one run at a
 * time per process, asked for by callers (who wait for it), woken by events and polled while
 * started; `stop()` waits for the run in flight, so the database is never closed under one.
 */
export class WorkerLoop {
  readonly #work: () => Promise<number>
  readonly #pollMs: number
  readonly #log: FastifyBaseLogger | undefined
  readonly #failure: string
  #running: Promise<number> | undefined
  #followUp: Promise<number> | undefined
  #timer: NodeJS.Timeout | undefined
  #stopped = true

  constructor (opts: { work: () => Promise<number>, pollMs: number, log?: FastifyBaseLogger | undefined, failure: string }) {
    this.#work = opts.work
    this.#pollMs = opts.pollMs
    this.#log = opts.log
    this.#failure = opts.failure
  }

  get stopped (): boolean {
    return this.#stopped
  }

  /**
   * A run that starts after the call; resolves with what it did. A run already under way may have
   * looked before the caller's reason to ask: everyone who asks meanwhile shares one more run after it.
   */
  run (): Promise<number> {
    if (this.#running) {
      this.#followUp ??= this.#running.catch(() => 0).then(() => {
        this.#followUp = undefined
        return this.run()
      })
      return this.#followUp
    }
    const run = this.#work().finally(() => { this.#running = undefined })
    this.#running = run
    return run
  }

  /** A run in the background, while started; a failure is logged and the next poll tries again. */
  async background (): Promise<void> {
    if (this.#stopped) return
    try {
      await this.run()
    } catch (error) {
      this.#log?.error({ err: safe(error) }, this.#failure)
    }
  }

  /** Runs now and then every pollMs after the previous run ended. */
  start (): void {
    if (!this.#stopped) return
    this.#stopped = false
    const tick = () => {
      this.#timer = undefined
      this.background().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(tick, this.#pollMs).unref()
      })
    }
    tick()
  }

  /** Stops polling and waits until no run is left. */
  async stop (): Promise<void> {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    // A follow-up run starts as the current one ends, and clears #followUp as it does: wait until
    // neither is left, or the database may close under a run still in flight.
    while (this.#running !== undefined || this.#followUp !== undefined) {
      await this.#running?.catch(() => {})
      await this.#followUp?.catch(() => {})
    }
  }
}

/** What of a database error may be logged (drizzle's messages carry SQL parameters). */
export function safe (error: unknown): Record<string, unknown> {
  const e = error as { name?: string, message?: string, cause?: { code?: string, message?: string } }
  if (e?.cause?.message) return { type: e.name, code: e.cause.code, message: e.cause.message }
  return { type: e?.name, message: e?.message }
}
