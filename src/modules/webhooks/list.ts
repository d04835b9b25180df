import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { WebhookRepository, type WebhookRow } from '../../repositories/webhooks.ts'
import type { Webhook } from '../../schemas/webhook.ts'
import { toPage } from '../pagination.ts'
import { positionAfter, positionOf, toWebhook } from './representation.ts'

/** GET /v1/webhooks: the endpoints the caller may see that are not deleted, newest first. */
export async function listWebhooks (db: Db, caller: Caller, query: { limit: number, cursor?: string | undefined }): Promise<{ items: Webhook[], nextCursor: string | null }> {
  const rows = await new WebhookRepository(db, caller).page({ after: positionAfter(query.cursor), limit: query.limit })
  return toPage(rows, query.limit, toWebhook, positionOf)
}

/** GET /v1/webhooks/{id}: 404 for an unknown or deleted endpoint, or another org's. The row carries the version (ETag). */
export async function getWebhook (db: Db, caller: Caller, id: string): Promise<WebhookRow> {
  return new WebhookRepository(db, caller).get(id)
}
