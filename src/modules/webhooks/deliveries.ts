import { sql } from 'drizzle-orm'
import type { Caller } from '../../auth/caller.ts'
import { queryRows, type Db } from '../../db/client.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError, notFound } from '../../errors.ts'
import type { Delivery, DeliveryStatusName } from '../../schemas/webhook.ts'
import { toPage } from '../pagination.ts'
import { isoText, keyText, positionAfter, positionOf } from './rows.ts'
import { webhookMessageId } from './signature.ts'

interface DeliveryRow {
  id: string
  webhook_id: string
  event_sequence: string
  event_type: string
  status: DeliveryStatusName
  attempts: number
  next_attempt_at: string
  last_status_code: number | null
  last_error: string | null
  created_at: string
  updated_at: string
  key: string
}

interface AttemptRow {
  delivery_id: string
  attempt: number
  at: string
  status_code: number | null
  error: string | null
  duration_ms: number
}

const DELIVERY_COLUMNS = sql`d.id, d.webhook_id, d.event_sequence::text as event_sequence, d.event_type, d.status,
  d.attempts, ${isoText(sql`d.next_attempt_at`)} as next_attempt_at, d.last_status_code, d.last_error,
  ${isoText(sql`d.created_at`)} as created_at, ${isoText(sql`d.updated_at`)} as updated_at, ${keyText(sql`d.created_at`)} as key`

async function assertWebhookExists (db: Db, webhookId: string): Promise<void> {
  const rows = await queryRows(db, sql`select 1 from webhooks where id = ${webhookId} and deleted_at is null`)
  if (rows.length === 0) throw notFound('webhook')
}

async function withAttempts (db: Db, rows: DeliveryRow[]): Promise<Map<string, Delivery['attempts']>> {
  const byDelivery = new Map<string, Delivery['attempts']>()
  if (rows.length === 0) return byDelivery
  const attempts = await queryRows<AttemptRow>(db, sql`
    select delivery_id, attempt, ${isoText(sql`at`)} as at, status_code, error, duration_ms
    from webhook_attempts
    where delivery_id in (${sql.join(rows.map((r) => sql`${r.id}::uuid`), sql`, `)})
    order by delivery_id, attempt`)
  for (const a of attempts) {
    const list = byDelivery.get(a.delivery_id) ?? []
    list.push({ attempt: a.attempt, at: a.at, statusCode: a.status_code, error: a.error, durationMs: a.duration_ms })
    byDelivery.set(a.delivery_id, list)
  }
  return byDelivery
}

function toDelivery (row: DeliveryRow, attempts: Delivery['attempts']): Delivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    webhookMessageId: webhookMessageId(row.id),
    eventSequence: row.event_sequence,
    eventType: row.event_type as Delivery['eventType'],
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    attempts
  }
}

/** GET /v1/webhooks/{id}/deliveries: newest first, each with all its attempts; `status=dead` lists the dead letters. */
export async function listDeliveries (db: Db, webhookId: string, query: { status?: DeliveryStatusName | undefined, limit: number, cursor?: string | undefined }): Promise<{ items: Delivery[], nextCursor: string | null }> {
  await assertWebhookExists(db, webhookId)
  const after = positionAfter(query.cursor)
  const rows = await queryRows<DeliveryRow>(db, sql`
    select ${DELIVERY_COLUMNS} from webhook_deliveries d
    where d.webhook_id = ${webhookId}
    ${query.status ? sql`and d.status = ${query.status}` : sql``}
    ${after ? sql`and (d.created_at, d.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : sql``}
    order by d.created_at desc, d.id desc
    limit ${query.limit + 1}`)
  const attempts = await withAttempts(db, rows.slice(0, query.limit))
  return toPage(rows, query.limit, (row) => toDelivery(row, attempts.get(row.id) ?? []), positionOf)
}

/**
 * POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry: a pending or dead delivery is queued for
 * an attempt now, with the same webhook-id. A dead letter gets one attempt (its 24 h window has
 * run out; retry it again if that fails too); a pending one keeps its window. 409 when the
 * delivery already succeeded or the endpoint is disabled.
 */
export async function retryDelivery (uow: UnitOfWork, caller: Caller, webhookId: string, deliveryId: string): Promise<Delivery> {
  const row = await uow.run(caller, async (tx) => {
    const [webhook] = await queryRows<{ active: boolean, disabled_reason: string | null }>(tx, sql`
      select active, disabled_reason from webhooks where id = ${webhookId} and deleted_at is null`)
    if (!webhook) throw notFound('webhook')
    const [current] = await queryRows<{ status: DeliveryStatusName }>(tx, sql`
      select status from webhook_deliveries where id = ${deliveryId} and webhook_id = ${webhookId} for update`)
    if (!current) throw notFound('delivery')
    if (current.status === 'succeeded') throw new AppError('STATE_CONFLICT', 'the delivery already succeeded')
    if (!webhook.active) throw new AppError('STATE_CONFLICT', `the webhook is disabled (${webhook.disabled_reason ?? 'inactive'})`)
    const [updated] = await queryRows<DeliveryRow>(tx, sql`
      update webhook_deliveries d set status = 'pending', updated_at = now(),
        -- an attempt in flight right now keeps its lease; otherwise the delivery is due at once
        next_attempt_at = case when d.lease_until > now() then d.next_attempt_at else now() end,
        lease_until = case when d.lease_until > now() then d.lease_until else null end
      where d.id = ${deliveryId}
      returning ${DELIVERY_COLUMNS}`)
    return updated!
  })
  const attempts = await withAttempts(uow.db, [row])
  return toDelivery(row, attempts.get(row.id) ?? [])
}
