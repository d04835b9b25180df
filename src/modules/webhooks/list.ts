import type { Db } from '../../db/client.ts'
import { WebhookRepository } from '../../repositories/webhooks.ts'
import type { Webhook } from '../../schemas/webhook.ts'
import { toPage } from '../pagination.ts'
import { positionAfter, positionOf, toWebhook } from './representation.ts'

/** GET /v1/webhooks: the endpoints that are not deleted, newest first. */
export async function listWebhooks (db: Db, query: { limit: number, cursor?: string | undefined }): Promise<{ items: Webhook[], nextCursor: string | null }> {
  const rows = await new WebhookRepository(db).page({ after: positionAfter(query.cursor), limit: query.limit })
  return toPage(rows, query.limit, toWebhook, positionOf)
}

/** GET /v1/webhooks/{id}: 404 for an unknown or deleted endpoint. */
export async function getWebhook (db: Db, id: string): Promise<Webhook> {
  return toWebhook(await new WebhookRepository(db).get(id))
}
