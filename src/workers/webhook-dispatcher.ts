import type { FastifyBaseLogger } from 'fastify'
import ipaddr from 'ipaddr.js'
import { Agent, request } from 'undici'
import { SYSTEM_CALLER } from '../auth/caller.ts'
import type { Database } from '../db/client.ts'
import { toCloudEvent } from '../modules/audit/cloud-event.ts'
import { webhookHeaders, webhookMessageId } from '../modules/webhooks/signature.ts'
import { bareHost, BlockedAddressError, createGuardedLookup, isPublicAddress, type Resolver } from '../modules/webhooks/ssrf-guard.ts'
import { WebhookRepository, type ClaimedDelivery } from '../repositories/webhooks.ts'
import { safe, WorkerLoop } from './loop.ts'

const SECOND = 1000
const HOUR = 3600 * SECOND

/**
 * Full-jitter exponential backoff after failed attempt `attempt` (1-based): a random delay up to
 * 8 s, 16 s, 32 s … capped at one hour, never below 1 s. With the dispatcher's 1 s poll the first
 * retry comes within 10 s.
 */
export function fullJitterBackoff (attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(HOUR, 8 * SECOND * 2 ** Math.min(attempt - 1, 20))
  return Math.round(SECOND + random() * (ceiling - SECOND))
}

export interface DispatcherOptions {
  /** Claims run on its pool; each attempt's outcome is recorded in a transaction of its own. */
  database: Database
  log?: FastifyBaseLogger | undefined
  /** WEBHOOK_ALLOW_PRIVATE: skip the address guard and allow plain http. */
  allowPrivate: boolean
  pollMs?: number
  /** Deliveries claimed and attempted at once by this process. */
  concurrency?: number
  /** Whole attempt: connect, request, answer. */
  timeoutMs?: number
  /** Bytes of an answer that are read; the rest is discarded with the connection. */
  maxResponseBytes?: number
  /** How long a claimed delivery stays ours before another process may take it over. */
  leaseMs?: number
  /** Retries stop this long after the first attempt; the delivery is then a dead letter. */
  retryWindowMs?: number
  backoff?: (attempt: number) => number
  /** DNS for the address guard (tests inject one). */
  resolver?: Resolver
}

/**
 * What became of one attempt: `succeeded` (2xx), `gone` (410: the endpoint is disabled),
 * `http_error` (any other status), `timeout`, `connection_error` (refused, reset, DNS …),
 * `refused` (not sent: an invalid, non-https or private address) or `aborted` (the service shut down).
 */
export type DeliveryOutcome = 'succeeded' | 'gone' | 'http_error' | 'timeout' | 'connection_error' | 'refused' | 'aborted'

export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = ['succeeded', 'gone', 'http_error', 'timeout', 'connection_error', 'refused', 'aborted']

/**
 * Called after every attempt with its outcome and the number of deliveries its recording made
 * dead letters (committed): the retry window ran out, or 410 Gone with what the endpoint had queued.
 */
export type AttemptListener = (attempt: { outcome: DeliveryOutcome, deadLetters: number }) => void

interface Outcome {
  kind: DeliveryOutcome
  statusCode: number | null
  error: string | null
  startedAt: Date
  durationMs: number
}

/**
 * Delivers the webhook outbox (DESIGN.md guarantees 7 and 8). Due deliveries are claimed with
 * FOR UPDATE SKIP LOCKED and a lease in one committed statement; the HTTP POST runs outside any
 * transaction; the attempt and its outcome are recorded afterwards, fenced on the attempt number
 * so that a delivery whose lease ran out and was taken over is not overwritten. Safe with any
 * number of processes; at least once, the `webhook-id` stable across retries.
 */
export class WebhookDispatcher {
  readonly #database: Database
  readonly #log: FastifyBaseLogger | undefined
  readonly #allowPrivate: boolean
  readonly #concurrency: number
  readonly #timeoutMs: number
  readonly #maxResponseBytes: number
  readonly #leaseMs: number
  readonly #retryWindowMs: number
  readonly #backoff: (attempt: number) => number
  readonly #agent: Agent
  readonly #abort = new AbortController()
  readonly #loop: WorkerLoop
  readonly #listeners = new Set<AttemptListener>()

  constructor (opts: DispatcherOptions) {
    this.#database = opts.database
    this.#log = opts.log
    this.#allowPrivate = opts.allowPrivate
    this.#loop = new WorkerLoop({ work: () => this.#drain(), pollMs: opts.pollMs ?? 1000, log: opts.log, failure: 'webhook dispatch failed; retrying' })
    this.#concurrency = opts.concurrency ?? 8
    this.#timeoutMs = opts.timeoutMs ?? 10_000
    this.#maxResponseBytes = opts.maxResponseBytes ?? 64 * 1024
    this.#leaseMs = opts.leaseMs ?? 60_000
    this.#retryWindowMs = opts.retryWindowMs ?? 24 * HOUR
    this.#backoff = opts.backoff ?? fullJitterBackoff
    this.#agent = new Agent({
      connect: {
        timeout: this.#timeoutMs,
        // The guard runs on the addresses the socket connects to: no DNS rebinding window.
        ...(this.#allowPrivate ? {} : { lookup: createGuardedLookup(opts.resolver) })
      },
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
      keepAliveTimeout: 10_000
    })
  }

  /** Attempts every delivery due now (and any that fall due meanwhile); resolves with the number attempted. */
  dispatchDue (): Promise<number> {
    return this.#loop.run()
  }

  /** New deliveries were queued: look now instead of at the next tick. */
  wake (): void {
    void this.#loop.background()
  }

  start (): void {
    this.#loop.start()
  }

  /** Listens to every attempt's outcome (the metrics); returns the way to stop. */
  onAttempt (listener: AttemptListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Stops polling, aborts attempts in flight (they are recorded and retried later) and closes connections. */
  async stop (): Promise<void> {
    const stopping = this.#loop.stop()
    this.#abort.abort(new Error('the service is shutting down'))
    await stopping
    await this.#agent.destroy().catch(() => {})
  }

  async #drain (): Promise<number> {
    let total = 0
    for (;;) {
      if (this.#abort.signal.aborted) return total
      const claimed = await this.#claim()
      await Promise.all(claimed.map((delivery) => this.#deliver(delivery)))
      total += claimed.length
      if (claimed.length < this.#concurrency) return total
    }
  }

  async #claim (): Promise<ClaimedDelivery[]> {
    // One statement on its own (no transaction around it), so the lease is committed before any HTTP call starts.
    return new WebhookRepository(this.#database.db, SYSTEM_CALLER).claimDue(this.#concurrency, this.#leaseMs)
  }

  async #deliver (delivery: ClaimedDelivery): Promise<void> {
    const outcome = await this.#post(delivery)
    let deadLetters = 0
    try {
      deadLetters = await this.#record(delivery, outcome)
    } catch (error) {
      // The lease runs out and the delivery is attempted again: at least once.
      this.#log?.error({ err: safe(error), delivery: delivery.id }, 'recording a webhook attempt failed')
    }
    for (const listener of this.#listeners) {
      try {
        listener({ outcome: outcome.kind, deadLetters })
      } catch (error) {
        this.#log?.error({ err: safe(error) }, 'a listener of the webhook dispatcher failed')
      }
    }
  }

  /** The HTTP POST, outside any transaction. Never throws: every failure is an outcome. */
  async #post (delivery: ClaimedDelivery): Promise<Outcome> {
    const startedAt = new Date()
    const done = (kind: DeliveryOutcome, statusCode: number | null, error: string | null): Outcome =>
      ({ kind, statusCode, error: error === null ? null : error.slice(0, 500), startedAt, durationMs: Date.now() - startedAt.getTime() })
    let url: URL
    try {
      url = new URL(delivery.url)
    } catch {
      return done('refused', null, 'the webhook URL is not a valid URL')
    }
    if (!this.#allowPrivate) {
      if (url.protocol !== 'https:') return done('refused', null, 'refused: only https is allowed without WEBHOOK_ALLOW_PRIVATE')
      // A literal address is connected to without a lookup, so the guard must see it here.
      const host = bareHost(url)
      if (ipaddr.isValid(host) && !isPublicAddress(host)) return done('refused', null, `refused: ${new BlockedAddressError(host, host).message}`)
    }
    const body = JSON.stringify(toCloudEvent(delivery))
    // During the 24 h after a rotation the previous secret signs too (Standard Webhooks allows several signatures).
    const secrets = delivery.previousSecret === null ? [delivery.secret] : [delivery.secret, delivery.previousSecret]
    const headers = webhookHeaders(secrets, webhookMessageId(delivery.id), body, startedAt)
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#timeoutMs)])
    try {
      const response = await request(url, { method: 'POST', headers, body, dispatcher: this.#agent, signal })
      // Read at most maxResponseBytes of the answer, then drop the connection: nothing in it matters.
      await response.body.dump({ limit: this.#maxResponseBytes, signal }).catch(() => {})
      const status = response.statusCode
      if (status >= 200 && status < 300) return done('succeeded', status, null)
      if (status >= 300 && status < 400) return done('http_error', status, `HTTP ${status}: redirects are not followed`)
      return done(status === 410 ? 'gone' : 'http_error', status, `HTTP ${status}`)
    } catch (error) {
      const failure = describeFailure(error, this.#abort.signal.aborted, this.#timeoutMs)
      return done(failure.kind, null, failure.error)
    }
  }

  /** Records the attempt and its consequence; resolves with the number of deliveries it made dead letters. */
  async #record (delivery: ClaimedDelivery, outcome: Outcome): Promise<number> {
    return this.#database.transaction(async (tx) => {
      const webhooks = new WebhookRepository(tx, SYSTEM_CALLER)
      await webhooks.insertAttempt({
        deliveryId: delivery.id,
        attempt: delivery.attempts,
        at: outcome.startedAt.toISOString(),
        statusCode: outcome.statusCode,
        error: outcome.error,
        durationMs: outcome.durationMs
      })
      // Every outcome below is fenced on the attempt number (see the repository): if our lease
      // ran out and another process claimed the delivery again, or it was retried or deleted
      // meanwhile, only the attempt is recorded.
      if (outcome.error === null) {
        await webhooks.succeed(delivery, outcome.statusCode)
        return 0
      }
      if (outcome.kind === 'gone') {
        // 410 Gone: the receiver says the endpoint is no more. Disable it and dead-letter what it had queued.
        const reason = `the endpoint answered 410 Gone at ${outcome.startedAt.toISOString()}`
        if (!await webhooks.deadLetter(delivery, 410, outcome.error + '; endpoint disabled')) return 0
        return 1 + await webhooks.disable(delivery.webhookId, reason, 'endpoint disabled: 410 Gone')
      }
      const firstAttemptAt = (await webhooks.firstAttemptAt(delivery.id)) ?? outcome.startedAt.getTime()
      const next = Date.now() + this.#backoff(delivery.attempts)
      if (next > firstAttemptAt + this.#retryWindowMs) {
        return await webhooks.deadLetter(delivery, outcome.statusCode, outcome.error + '; retry window exhausted') ? 1 : 0
      }
      await webhooks.scheduleRetry(delivery, new Date(next).toISOString(), outcome.statusCode, outcome.error)
      return 0
    })
  }
}

/** A failed attempt's outcome and one line on it, without anything from the request (no secret, no body). */
function describeFailure (error: unknown, shuttingDown: boolean, timeoutMs: number): { kind: DeliveryOutcome, error: string } {
  const e = error as { name?: string, code?: string, message?: string, cause?: unknown }
  if (e instanceof BlockedAddressError || (e?.cause instanceof BlockedAddressError)) {
    return { kind: 'refused', error: `refused: ${(e instanceof BlockedAddressError ? e : e.cause as BlockedAddressError).message}` }
  }
  if (shuttingDown) return { kind: 'aborted', error: 'aborted: the service was shutting down' }
  if (e?.name === 'TimeoutError' || e?.code === 'UND_ERR_CONNECT_TIMEOUT' || e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT') {
    return { kind: 'timeout', error: `timed out after ${timeoutMs} ms` }
  }
  const code = typeof e?.code === 'string' ? `${e.code}: ` : ''
  return { kind: 'connection_error', error: `${code}${e?.message ?? String(error)}` }
}
