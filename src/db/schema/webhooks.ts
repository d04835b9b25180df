import { sql } from 'drizzle-orm'
import { bigint, boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { instant } from './columns.ts'

export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey(),
  url: text('url').notNull(),
  eventTypes: text('event_types').array().notNull(),
  /** Standard Webhooks signing secret (`whsec_` + base64); needed in clear to sign. */
  secret: text('secret').notNull(),
  /** After a rotation: the secret before it, still signing beside the new one until it expires (24 h). */
  previousSecret: text('previous_secret'),
  previousSecretExpiresAt: instant('previous_secret_expires_at'),
  /** The registering caller's organisation: integrators see and change their own org's endpoints. Null for endpoints from before v1.1 (admin's). */
  org: text('org'),
  /** Starts at 1, +1 on every change (PATCH, rotation): the ETag for If-Match. */
  version: integer('version').notNull().default(1),
  active: boolean('active').notNull().default(true),
  disabledReason: text('disabled_reason'),
  createdBy: text('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  deletedAt: instant('deleted_at')
}, (t) => [index('webhooks_org_idx').on(t.org, t.createdAt.desc())])

/**
 * Single-use tickets for `GET /v1/events/stream?ticket=` (EventSource sends no headers). Only the
 * sha256 of a ticket is stored; using one deletes it.
 */
export const streamTickets = pgTable('stream_tickets', {
  hash: text('hash').primaryKey(),
  sub: text('sub').notNull(),
  org: text('org').notNull(),
  roles: text('roles').array().notNull(),
  expiresAt: instant('expires_at').notNull()
}, (t) => [index('stream_tickets_expires_idx').on(t.expiresAt)])

export type DeliveryStatus = 'pending' | 'succeeded' | 'dead'

/** The webhook outbox: one row per (endpoint, event); claimed with FOR UPDATE SKIP LOCKED and a lease. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: uuid('id').primaryKey(),
  webhookId: uuid('webhook_id').notNull().references(() => webhooks.id),
  eventSequence: bigint('event_sequence', { mode: 'number' }).notNull(),
  eventType: text('event_type').notNull(),
  status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: instant('next_attempt_at').notNull().defaultNow(),
  leaseUntil: instant('lease_until'),
  lastStatusCode: integer('last_status_code'),
  lastError: text('last_error'),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow()
}, (t) => [
  index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
  index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt.desc())
])

export const webhookAttempts = pgTable('webhook_attempts', {
  deliveryId: uuid('delivery_id').notNull().references(() => webhookDeliveries.id),
  attempt: integer('attempt').notNull(),
  at: instant('at').notNull().defaultNow(),
  statusCode: integer('status_code'),
  error: text('error'),
  durationMs: integer('duration_ms').notNull()
}, (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt)])
