import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import { hasRole, type Caller } from '../auth/caller.ts'
import { queryRows, type Db } from '../db/client.ts'
import { webhookAttempts, webhookDeliveries, webhooks, type DeliveryStatus } from '../db/schema/index.ts'
import { notFound } from '../errors.ts'
import { cursorInstant, isoText } from './instants.ts'

/** How long the previous secret keeps signing after a rotation. */
const SECRET_OVERLAP = sql`interval '24 hours'`

/** The previous secret's expiry while it still signs; null otherwise. */
const previousSecretExpiresAt = sql<string | null>`case when ${webhooks.previousSecretExpiresAt} > now() then ${isoText(webhooks.previousSecretExpiresAt)} end`

/** A webhook as its representation needs it (never a secret), with its version and its cursor position `key`. */
const WEBHOOK_FIELDS = {
  id: webhooks.id,
  url: webhooks.url,
  eventTypes: webhooks.eventTypes,
  active: webhooks.active,
  disabledReason: webhooks.disabledReason,
  org: webhooks.org,
  previousSecretExpiresAt,
  version: webhooks.version,
  createdBy: webhooks.createdBy,
  createdAt: isoText(webhooks.createdAt),
  key: cursorInstant(webhooks.createdAt)
}

/** A delivery as its representation needs it, with its cursor position `key`. */
const DELIVERY_FIELDS = {
  id: webhookDeliveries.id,
  webhookId: webhookDeliveries.webhookId,
  // Text: a bigint sequence is a string in the API, as in the feed.
  eventSequence: sql<string>`${webhookDeliveries.eventSequence}::text`,
  eventType: webhookDeliveries.eventType,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  nextAttemptAt: isoText(webhookDeliveries.nextAttemptAt),
  lastStatusCode: webhookDeliveries.lastStatusCode,
  lastError: webhookDeliveries.lastError,
  createdAt: isoText(webhookDeliveries.createdAt),
  updatedAt: isoText(webhookDeliveries.updatedAt),
  key: cursorInstant(webhookDeliveries.createdAt)
}

export interface WebhookRow {
  id: string
  url: string
  eventTypes: string[]
  active: boolean
  disabledReason: string | null
  org: string | null
  /** RFC 3339 UTC, milliseconds; null unless a previous secret still signs. */
  previousSecretExpiresAt: string | null
  version: number
  createdBy: string
  /** RFC 3339 UTC, milliseconds. */
  createdAt: string
  /** created_at at full precision, the cursor position. */
  key: string
}

export interface DeliveryRow {
  id: string
  webhookId: string
  eventSequence: string
  eventType: string
  status: DeliveryStatus
  /** Attempts claimed so far. */
  attempts: number
  nextAttemptAt: string
  lastStatusCode: number | null
  lastError: string | null
  createdAt: string
  updatedAt: string
  key: string
}

export interface AttemptRow {
  deliveryId: string
  attempt: number
  at: string
  statusCode: number | null
  error: string | null
  durationMs: number
}

export interface NewWebhook {
  id: string
  url: string
  eventTypes: string[]
  secret: string
  org: string
  createdBy: string
}

/** A change to an endpoint (PATCH): the fields given. */
export interface WebhookChangeValues {
  url?: string | undefined
  eventTypes?: string[] | undefined
  active?: boolean | undefined
  disabledReason?: string | null | undefined
}

/** A (created_at, id) position in a newest-first list. */
export interface Position {
  createdAt: string
  id: string
}

/** A delivery claimed by the dispatcher, with what its POST needs: endpoint, secret and the sealed event. */
export interface ClaimedDelivery {
  id: string
  webhookId: string
  /** The number of this attempt (1-based): the fence its outcome is recorded under. */
  attempts: number
  url: string
  secret: string
  /** The secret before the last rotation while it still signs (24 h); null otherwise. */
  previousSecret: string | null
  sequence: string
  hash: string
  prevhash: string
  body: string
}

/** The attempt an outcome belongs to: the delivery as claimed. */
export interface ClaimFence {
  id: string
  attempts: number
}

/**
 * Webhook endpoints and their outbox: deliveries (one per endpoint and sealed event, queued by the
 * database function `audit_seal`) and the attempts made at each. Built with the caller: an
 * integration sees its own org's endpoints only (and their deliveries), an admin every endpoint
 * (DESIGN.md guarantee 9); every query that names an endpoint carries that condition, so what the
 * caller may not see is 404. The dispatcher works as SYSTEM_CALLER.
 */
export class WebhookRepository {
  readonly #db: Db
  /** The caller's condition on `webhooks`; undefined for admins. Endpoints with no org match no integration. */
  readonly #visible: SQL | undefined

  constructor (db: Db, caller: Caller) {
    this.#db = db
    this.#visible = hasRole(caller, 'admin') ? undefined : eq(webhooks.org, caller.org)
  }

  /** The condition for endpoint `id`: not deleted, and visible to the caller. */
  #endpoint (id: string): SQL {
    return and(eq(webhooks.id, id), isNull(webhooks.deletedAt), this.#visible)!
  }

  async insert (webhook: NewWebhook): Promise<WebhookRow> {
    const [row] = await this.#db.insert(webhooks).values(webhook).returning(WEBHOOK_FIELDS)
    return row!
  }

  /** A page of the endpoints that are not deleted, newest first, `limit + 1` rows (the extra one says there is more). */
  async page (page: { after?: Position | undefined, limit: number }): Promise<WebhookRow[]> {
    return this.#db.select(WEBHOOK_FIELDS).from(webhooks)
      .where(and(
        isNull(webhooks.deletedAt),
        this.#visible,
        page.after === undefined
          ? undefined
          : sql`(${webhooks.createdAt}, ${webhooks.id}) < (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
      ))
      .orderBy(desc(webhooks.createdAt), desc(webhooks.id))
      .limit(page.limit + 1)
  }

  /** An endpoint the caller may see that is not deleted, or 404. */
  async get (id: string): Promise<WebhookRow> {
    const [row] = await this.#db.select(WEBHOOK_FIELDS).from(webhooks).where(this.#endpoint(id))
    if (!row) throw notFound('webhook')
    return row
  }

  /** Like `get`, locked for the rest of the transaction. */
  async lock (id: string): Promise<WebhookRow> {
    const [row] = await this.#db.select(WEBHOOK_FIELDS).from(webhooks).where(this.#endpoint(id)).for('update')
    if (!row) throw notFound('webhook')
    return row
  }

  /** Changes an endpoint locked with `lock`; its version goes up by one. */
  async update (id: string, change: WebhookChangeValues): Promise<WebhookRow> {
    const [row] = await this.#db.update(webhooks)
      .set({ ...change, version: sql`${webhooks.version} + 1` })
      .where(this.#endpoint(id))
      .returning(WEBHOOK_FIELDS)
    return row!
  }

  /**
   * Rotates the secret of an endpoint locked with `lock`: the current secret becomes the previous
   * one, signing beside the new one for SECRET_OVERLAP from now. A secret that was previous
   * already is dropped, whether or not its overlap had run out. Its version goes up by one.
   */
  async rotateSecret (id: string, secret: string): Promise<WebhookRow> {
    const [row] = await this.#db.update(webhooks)
      .set({
        previousSecret: webhooks.secret,
        previousSecretExpiresAt: sql`now() + ${SECRET_OVERLAP}`,
        secret,
        version: sql`${webhooks.version} + 1`
      })
      .where(this.#endpoint(id))
      .returning(WEBHOOK_FIELDS)
    return row!
  }

  /**
   * Soft-deletes an endpoint the caller may see (the row and its delivery history stay for audit)
   * and dead-letters its pending deliveries. Undefined when it is unknown, not the caller's or
   * deleted already.
   */
  async softDelete (id: string): Promise<WebhookRow | undefined> {
    const [deleted] = await this.#db.update(webhooks)
      .set({ deletedAt: sql`now()`, active: false, disabledReason: sql`coalesce(${webhooks.disabledReason}, 'deleted')` })
      .where(this.#endpoint(id))
      .returning(WEBHOOK_FIELDS)
    if (deleted === undefined) return undefined
    await this.#db.update(webhookDeliveries)
      .set({
        status: 'dead',
        lastError: sql`coalesce(${webhookDeliveries.lastError} || '; ', '') || 'webhook deleted'`,
        leaseUntil: null,
        updatedAt: sql`now()`
      })
      .where(and(eq(webhookDeliveries.webhookId, id), eq(webhookDeliveries.status, 'pending')))
    return deleted
  }

  /**
   * Disables an active endpoint (it receives nothing more) and dead-letters its pending
   * deliveries with `deliveryError`; resolves with the number dead-lettered.
   */
  async disable (id: string, reason: string, deliveryError: string): Promise<number> {
    await this.#db.update(webhooks).set({ active: false, disabledReason: reason })
      .where(and(eq(webhooks.id, id), eq(webhooks.active, true)))
    return this.deadLetterPending(id, deliveryError)
  }

  /** Makes an endpoint's pending deliveries dead letters with `error`; resolves with how many. */
  async deadLetterPending (webhookId: string, error: string): Promise<number> {
    const dead = await this.#db.update(webhookDeliveries)
      .set({ status: 'dead', leaseUntil: null, lastError: error, updatedAt: sql`now()` })
      .where(and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.status, 'pending')))
      .returning({ id: webhookDeliveries.id })
    return dead.length
  }

  /** The deliveries of endpoints the caller may see. */
  #deliveriesVisible (): SQL | undefined {
    return this.#visible === undefined
      ? undefined
      : inArray(webhookDeliveries.webhookId, this.#db.select({ id: webhooks.id }).from(webhooks).where(this.#visible))
  }

  /** A page of the deliveries of an endpoint the caller may see, newest first, `limit + 1` rows. */
  async deliveries (webhookId: string, page: { status?: DeliveryStatus | undefined, after?: Position | undefined, limit: number }): Promise<DeliveryRow[]> {
    return this.#db.select(DELIVERY_FIELDS).from(webhookDeliveries)
      .where(and(
        eq(webhookDeliveries.webhookId, webhookId),
        this.#deliveriesVisible(),
        page.status === undefined ? undefined : eq(webhookDeliveries.status, page.status),
        page.after === undefined
          ? undefined
          : sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
      ))
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(page.limit + 1)
  }

  /** The attempts of these deliveries, by delivery, oldest first. */
  async attempts (deliveryIds: readonly string[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return []
    return this.#db.select({
      deliveryId: webhookAttempts.deliveryId,
      attempt: webhookAttempts.attempt,
      at: isoText(webhookAttempts.at),
      statusCode: webhookAttempts.statusCode,
      error: webhookAttempts.error,
      durationMs: webhookAttempts.durationMs
    }).from(webhookAttempts)
      .where(inArray(webhookAttempts.deliveryId, [...deliveryIds]))
      .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attempt))
  }

  /** The status of an endpoint's delivery, locked for the rest of the transaction; undefined when there is none. */
  async lockDelivery (webhookId: string, deliveryId: string): Promise<{ status: DeliveryStatus } | undefined> {
    const [row] = await this.#db.select({ status: webhookDeliveries.status }).from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, webhookId), this.#deliveriesVisible()))
      .for('update')
    return row
  }

  /**
   * Queues a (locked) delivery for an attempt now, with its attempt count unchanged. An attempt in
   * flight right now keeps its lease (its outcome is then recorded as usual); otherwise the
   * delivery is due at once.
   */
  async requeue (deliveryId: string): Promise<DeliveryRow> {
    const leased = sql`${webhookDeliveries.leaseUntil} > now()`
    const [row] = await this.#db.update(webhookDeliveries)
      .set({
        status: 'pending',
        updatedAt: sql`now()`,
        nextAttemptAt: sql`case when ${leased} then ${webhookDeliveries.nextAttemptAt} else now() end`,
        leaseUntil: sql`case when ${leased} then ${webhookDeliveries.leaseUntil} else null end`
      })
      .where(eq(webhookDeliveries.id, deliveryId))
      .returning(DELIVERY_FIELDS)
    return row!
  }

  /**
   * Claims up to `limit` due deliveries of active endpoints, oldest due first, for `leaseMs`: the
   * attempt count goes up (it fences the outcome) and the delivery is not due again until the
   * lease runs out. One statement, so the lease is committed before any HTTP call starts; SKIP
   * LOCKED lets concurrent dispatchers take disjoint batches. Raw SQL: drizzle's builder cannot
   * say data-modifying CTEs joined to the event they deliver.
   */
  async claimDue (limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return queryRows<ClaimedDelivery>(this.#db, sql`
      with due as (
        select d.id from webhook_deliveries d
        join webhooks w on w.id = d.webhook_id and w.active and w.deleted_at is null
        where d.status = 'pending' and d.next_attempt_at <= now()
        order by d.next_attempt_at, d.id
        limit ${limit}
        for update of d skip locked
      ), claimed as (
        update webhook_deliveries d
        set attempts = d.attempts + 1,
            lease_until = now() + ${leaseMs} * interval '1 millisecond',
            next_attempt_at = now() + ${leaseMs} * interval '1 millisecond',
            updated_at = now()
        from due where d.id = due.id
        returning d.id, d.webhook_id, d.event_sequence, d.attempts
      )
      select cl.id, cl.webhook_id as "webhookId", cl.attempts, w.url, w.secret,
        case when w.previous_secret_expires_at > now() then w.previous_secret end as "previousSecret",
        c.sequence::text as sequence, c.hash, c.prevhash, e.body
      from claimed cl
      join webhooks w on w.id = cl.webhook_id
      join audit_chain c on c.sequence = cl.event_sequence
      join audit_events e on e.pos = c.event_pos`)
  }

  async insertAttempt (attempt: AttemptRow): Promise<void> {
    await this.#db.insert(webhookAttempts).values(attempt)
  }

  /** When the delivery's first attempt started, in epoch milliseconds; null before any. */
  async firstAttemptAt (deliveryId: string): Promise<number | null> {
    const [row] = await this.#db.select({ ms: sql<string | null>`(extract(epoch from min(${webhookAttempts.at})) * 1000)::bigint::text` })
      .from(webhookAttempts)
      .where(eq(webhookAttempts.deliveryId, deliveryId))
    return row?.ms == null ? null : Number(row.ms)
  }

  /*
   * The outcome of a claimed attempt is fenced on the attempt number: if the lease ran out and
   * another process claimed the delivery again, or it was retried or deleted meanwhile, it is no
   * longer pending at this count and the update touches nothing.
   */

  #fenced (claim: ClaimFence): SQL {
    return and(eq(webhookDeliveries.id, claim.id), eq(webhookDeliveries.attempts, claim.attempts), eq(webhookDeliveries.status, 'pending'))!
  }

  async succeed (claim: ClaimFence, statusCode: number | null): Promise<void> {
    await this.#db.update(webhookDeliveries)
      .set({ status: 'succeeded', leaseUntil: null, lastStatusCode: statusCode, lastError: null, updatedAt: sql`now()` })
      .where(this.#fenced(claim))
  }

  /** Makes the claimed delivery a dead letter; false when the fence no longer holds. */
  async deadLetter (claim: ClaimFence, statusCode: number | null, error: string): Promise<boolean> {
    const dead = await this.#db.update(webhookDeliveries)
      .set({ status: 'dead', leaseUntil: null, lastStatusCode: statusCode, lastError: error, updatedAt: sql`now()` })
      .where(this.#fenced(claim))
      .returning({ id: webhookDeliveries.id })
    return dead.length > 0
  }

  /** Releases the claimed delivery's lease and makes it due again at `nextAttemptAt` (ISO 8601). */
  async scheduleRetry (claim: ClaimFence, nextAttemptAt: string, statusCode: number | null, error: string): Promise<void> {
    await this.#db.update(webhookDeliveries)
      .set({ leaseUntil: null, nextAttemptAt, lastStatusCode: statusCode, lastError: error, updatedAt: sql`now()` })
      .where(this.#fenced(claim))
  }
}
