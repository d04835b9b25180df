import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/client.ts'
import { notFound } from '../../errors.ts'
import type { Webhook } from '../../schemas/webhook.ts'
import { toWebhook, WEBHOOK_COLUMNS, type WebhookRow } from './representation.ts'
import { toPage } from '../pagination.ts'
import { positionAfter, positionOf } from './rows.ts'

/** GET /v1/webhooks: the endpoints that are not deleted, newest first. */
export async function listWebhooks (db: Db, query: { limit: number, cursor?: string | undefined }): Promise<{ items: Webhook[], nextCursor: string | null }> {
  const after = positionAfter(query.cursor)
  const rows = await queryRows<WebhookRow>(db, sql`
    select ${WEBHOOK_COLUMNS} from webhooks w
    where w.deleted_at is null
    ${after ? sql`and (w.created_at, w.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : sql``}
    order by w.created_at desc, w.id desc
    limit ${query.limit + 1}`)
  return toPage(rows, query.limit, toWebhook, positionOf)
}

/** GET /v1/webhooks/{id}: 404 for an unknown or deleted endpoint. */
export async function getWebhook (db: Db, id: string): Promise<Webhook> {
  const [row] = await queryRows<WebhookRow>(db, sql`select ${WEBHOOK_COLUMNS} from webhooks w where w.id = ${id} and w.deleted_at is null`)
  if (!row) throw notFound('webhook')
  return toWebhook(row)
}
