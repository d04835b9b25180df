import { z } from 'zod'
import { EVENT_TYPES } from '../db/unit-of-work.ts'
import { rule } from '../messages.ts'
import { Cursor, Instant, Limit, wellFormed } from './common.ts'

const EventTypeOrAll = z.union([z.enum(EVENT_TYPES), z.literal('*')])

const WebhookUrl = wellFormed(z.url({ protocol: /^https?$/ }).max(2048)).describe(
  'Where to POST the events. https only, unless the service runs with WEBHOOK_ALLOW_PRIVATE=true ' +
  '(then http too). No credentials, no fragment; literal loopback/private/link-local addresses and ' +
  'localhost are refused (400, naming WEBHOOK_ALLOW_PRIVATE), and every delivery checks the address the name ' +
  'resolves to at connect time. Redirects are not followed.')

const EventTypes = z.array(EventTypeOrAll).min(1).max(EVENT_TYPES.length).superRefine((types, ctx) => {
  if (new Set(types).size !== types.length) ctx.addIssue({ code: 'custom', message: rule('eventTypesDistinct') })
  if (types.includes('*') && types.length > 1) ctx.addIssue({ code: 'custom', message: rule('starOnlyEntry') })
}).describe('The event types to deliver: a non-empty list of distinct types, or `["*"]` for every type (including types added later). ' +
  'An unknown type is 400, and the answer lists the valid ones.')

export const WebhookCreateSchema = z.strictObject({
  // The URL goes into the registration's audit event, whose canonical JSON holds well-formed Unicode only.
  url: WebhookUrl,
  eventTypes: EventTypes
}).meta({ id: 'WebhookCreate' })

export const WebhookChangeSchema = z.strictObject({
  url: WebhookUrl,
  eventTypes: EventTypes,
  active: z.boolean().describe('false stops deliveries (pending ones become dead letters); true starts them again, also after a 410 Gone')
}).partial().refine((value) => Object.keys(value).length > 0, rule('atLeastOneField'))
  .meta({ id: 'WebhookChange', description: 'Any of url, eventTypes and active; at least one' })

export const WebhookSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  eventTypes: z.array(EventTypeOrAll),
  active: z.boolean().describe('false once the endpoint answered 410 Gone or was deactivated (PATCH); it then receives nothing'),
  disabledReason: z.string().nullable(),
  org: z.string().nullable().describe('The organisation the endpoint belongs to: the registering caller\'s `org`. Null for endpoints registered before v1.1 (only admins see those)'),
  previousSecretExpiresAt: Instant.nullable().describe('After a rotation: until when deliveries are signed with the previous secret too; null when only the current secret signs'),
  createdBy: z.string().describe('Token subject of the caller who registered it'),
  createdAt: Instant
}).meta({ id: 'Webhook', description: 'A webhook endpoint. The signing secret is shown once, in the response to its registration or rotation.' })

export const WebhookCreatedSchema = WebhookSchema.extend({
  secret: z.string().describe('Standard Webhooks signing secret, `whsec_` + base64 of 32 random bytes. Shown only in this response.')
}).meta({ id: 'WebhookCreated' })

export const WebhookSecretSchema = WebhookSchema.extend({
  secret: z.string().describe('The new signing secret, `whsec_` + base64 of 32 random bytes. Shown only in this response.'),
  previousSecretExpiresAt: Instant.describe('Until when deliveries carry a signature by the previous secret beside the new one: 24 hours from the rotation')
}).meta({ id: 'WebhookSecret' })

export const DeliveryAttemptSchema = z.object({
  attempt: z.number().int().describe('1 for the first attempt'),
  at: Instant.describe('When the attempt started (RFC 3339 UTC)'),
  statusCode: z.number().int().nullable().describe('HTTP status of the answer; null when there was none (refused address, timeout, connection error)'),
  error: z.string().nullable().describe('Why the attempt failed; null on success'),
  durationMs: z.number().int()
}).meta({ id: 'WebhookDeliveryAttempt' })

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'dead'] as const

export const DeliverySchema = z.object({
  id: z.uuid(),
  webhookId: z.uuid(),
  webhookMessageId: z.string().describe('The `webhook-id` header of every attempt: msg_<delivery id>, stable across retries'),
  eventSequence: z.string().describe('`sequence` of the delivered event'),
  eventType: z.enum(EVENT_TYPES),
  status: z.enum(DELIVERY_STATUSES).describe('pending (waiting for its next attempt), succeeded (a 2xx answer), dead (a dead letter: the retry window of 24 h ran out, or the endpoint answered 410 or was deleted)'),
  attemptCount: z.number().int(),
  nextAttemptAt: Instant.nullable().describe('When a pending delivery is tried next; null unless pending'),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
  attempts: z.array(DeliveryAttemptSchema).describe('Every attempt, oldest first')
}).meta({ id: 'WebhookDelivery' })

export const WebhookParams = z.object({ id: z.uuid() })
export const DeliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() })

export const ListQuery = z.object({ limit: Limit, cursor: Cursor.optional() })
export const DeliveriesQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional().describe('Only deliveries in this state (`dead` lists the dead letters)'),
  limit: Limit,
  cursor: Cursor.optional()
})

export type WebhookCreate = z.infer<typeof WebhookCreateSchema>
export type WebhookChange = z.output<typeof WebhookChangeSchema>
export type WebhookSecret = z.infer<typeof WebhookSecretSchema>
export type Webhook = z.infer<typeof WebhookSchema>
export type WebhookCreated = z.infer<typeof WebhookCreatedSchema>
export type Delivery = z.infer<typeof DeliverySchema>
export type DeliveryStatusName = typeof DELIVERY_STATUSES[number]
