import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError, notFound } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { WebhookRepository, type DeliveryRow } from '../../repositories/webhooks.ts'
import type { Delivery, DeliveryStatusName } from '../../schemas/webhook.ts'
import { toPage } from '../pagination.ts'
import { positionAfter, positionOf } from './representation.ts'
import { webhookMessageId } from './signature.ts'

/** The attempts of these deliveries, oldest first, by delivery. */
async function withAttempts (repository: WebhookRepository, rows: DeliveryRow[]): Promise<Map<string, Delivery['attempts']>> {
  const byDelivery = new Map<string, Delivery['attempts']>()
  for (const a of await repository.attempts(rows.map((r) => r.id))) {
    const list = byDelivery.get(a.deliveryId) ?? []
    list.push({ attempt: a.attempt, at: a.at, statusCode: a.statusCode, error: a.error, durationMs: a.durationMs })
    byDelivery.set(a.deliveryId, list)
  }
  return byDelivery
}

function toDelivery (row: DeliveryRow, attempts: Delivery['attempts']): Delivery {
  return {
    id: row.id,
    webhookId: row.webhookId,
    webhookMessageId: webhookMessageId(row.id),
    eventSequence: row.eventSequence,
    eventType: row.eventType as Delivery['eventType'],
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    attempts
  }
}

/** GET /v1/webhooks/{id}/deliveries (an endpoint the caller may see): newest first, each with all its attempts; `status=dead` lists the dead letters. */
export async function listDeliveries (db: Db, caller: Caller, webhookId: string, query: { status?: DeliveryStatusName | undefined, limit: number, cursor?: string | undefined }): Promise<{ items: Delivery[], nextCursor: string | null }> {
  const repository = new WebhookRepository(db, caller)
  await repository.get(webhookId)
  const rows = await repository.deliveries(webhookId, { status: query.status, after: positionAfter(query.cursor), limit: query.limit })
  const attempts = await withAttempts(repository, rows.slice(0, query.limit))
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
    const repository = new WebhookRepository(tx, caller)
    const webhook = await repository.get(webhookId)
    const current = await repository.lockDelivery(webhookId, deliveryId)
    if (!current) throw notFound('delivery')
    if (current.status === 'succeeded') throw new AppError('STATE_CONFLICT', msg('deliverySucceeded'))
    if (!webhook.active) throw new AppError('STATE_CONFLICT', msg('webhookDisabled', { reason: webhook.disabledReason }))
    return repository.requeue(deliveryId)
  })
  const attempts = await withAttempts(new WebhookRepository(uow.db, caller), [row])
  return toDelivery(row, attempts.get(row.id) ?? [])
}
