import { sql } from 'drizzle-orm'
import type { Webhook } from '../../schemas/webhook.ts'
import { isoText, keyText } from './rows.ts'

export interface WebhookRow {
  id: string
  url: string
  event_types: string[]
  active: boolean
  disabled_reason: string | null
  created_by: string
  created_at: string
  key: string
}

/** The columns of a webhook as its representation needs them (never the secret). */
export const WEBHOOK_COLUMNS = sql`w.id, w.url, w.event_types, w.active, w.disabled_reason, w.created_by,
  ${isoText(sql`w.created_at`)} as created_at, ${keyText(sql`w.created_at`)} as key`

export function toWebhook (row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.event_types as Webhook['eventTypes'],
    active: row.active,
    disabledReason: row.disabled_reason,
    createdBy: row.created_by,
    createdAt: row.created_at
  }
}
