import { z } from 'zod'
import type { Position, WebhookRow } from '../../repositories/webhooks.ts'
import type { Webhook } from '../../schemas/webhook.ts'
import { CursorInstant, decodeCursor } from '../pagination.ts'

export function toWebhook (row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.eventTypes as Webhook['eventTypes'],
    active: row.active,
    disabledReason: row.disabledReason,
    org: row.org,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    createdBy: row.createdBy,
    createdAt: row.createdAt
  }
}

const PositionCursor = z.object({ createdAt: CursorInstant, id: z.uuid() })

/** The (created_at, id) position a newest-first list continues after, from its cursor. */
export function positionAfter (cursor: string | undefined): Position | undefined {
  return cursor === undefined ? undefined : decodeCursor(cursor, PositionCursor)
}

/** The cursor position of a row read with its full-precision `key`. */
export const positionOf = (row: { key: string, id: string }) => ({ createdAt: row.key, id: row.id })
