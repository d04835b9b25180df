import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { msg } from '../messages.ts'
import { etagOf, parseIfMatch, requireIfMatch } from '../modules/etag.ts'
import { changeWebhook } from '../modules/webhooks/change.ts'
import { deleteWebhook } from '../modules/webhooks/delete.ts'
import { listDeliveries, retryDelivery } from '../modules/webhooks/deliveries.ts'
import { getWebhook, listWebhooks } from '../modules/webhooks/list.ts'
import { registerWebhook } from '../modules/webhooks/register.ts'
import { toWebhook } from '../modules/webhooks/representation.ts'
import { rotateWebhookSecret } from '../modules/webhooks/rotate-secret.ts'
import { BODY_STATUSES, pageOf, problemResponses } from '../schemas/common.ts'
import { IfMatchHeadersSchema } from '../schemas/project.ts'
import {
  DeliveriesQuery, DeliveryParams, DeliverySchema, ListQuery, WebhookChangeSchema, WebhookCreatedSchema, WebhookCreateSchema, WebhookParams,
  WebhookSchema, WebhookSecretSchema
} from '../schemas/webhook.ts'

const WEBHOOK_ROLES = { access: { roles: ['integration', 'admin'] as const } }

// Said once in every operation's description (API.md v1.1: "Own webhooks").
const OWN = 'An integration works on its own organisation\'s endpoints only (another org\'s endpoint is 404, as if it did not exist); an admin on all.'

const webhooksRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post('/v1/webhooks', {
    config: WEBHOOK_ROLES,
    schema: {
      tags: ['events'],
      summary: 'Register a webhook endpoint',
      description: [
        'The endpoint belongs to the caller\'s organisation (`org` of the token).',
        'Every event of the listed types sealed after registration is POSTed to `url` following Standard Webhooks:',
        'headers `webhook-id` (msg_<delivery id>, the same on every retry), `webhook-timestamp` (unix seconds) and',
        '`webhook-signature` (`v1,` + base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the',
        'base64-decoded part of the secret after `whsec_`; for 24 h after a secret rotation a second, space-separated',
        '`v1,` signature by the previous secret follows); the body is the CloudEvent JSON',
        '(`content-type: application/cloudevents+json`). Delivery is at least once: deduplicate by webhook-id.',
        '',
        'A 2xx answer within 10 s is success. 410 Gone disables the endpoint and dead-letters its deliveries. Anything',
        'else (other statuses, 3xx — redirects are not followed —, timeouts, refused addresses) is retried with',
        'full-jitter exponential backoff: the first retry within 10 s, then growing up to an hour apart, until 24 h after',
        'the first attempt; then the delivery is a dead letter (see the deliveries list; retry it by hand).',
        'An unknown event type is 400 and the answer lists the valid ones; an `http:` URL or a private address is 400',
        'naming WEBHOOK_ALLOW_PRIVATE, the setting that allows them in development.',
        'Emits `itraad.webhook.registered`. The `secret` is in this response only.'
      ].join('\n'),
      body: WebhookCreateSchema,
      response: { 201: WebhookCreatedSchema, ...problemResponses(...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const created = await registerWebhook(fastify.uow, request.caller, request.body, { allowPrivate: fastify.webhookAllowPrivate })
    return reply.code(201).header('location', `/v1/webhooks/${created.id}`).header('etag', etagOf(1)).send(created)
  })

  fastify.get('/v1/webhooks', {
    config: WEBHOOK_ROLES,
    schema: {
      tags: ['events'],
      summary: 'List webhook endpoints',
      description: `Endpoints that are not deleted, newest first. Secrets are never shown again. ${OWN}`,
      querystring: ListQuery,
      response: { 200: pageOf(WebhookSchema), ...problemResponses() }
    }
  }, async (request) => listWebhooks(fastify.db, request.caller, request.query))

  fastify.get('/v1/webhooks/:id', {
    config: WEBHOOK_ROLES,
    schema: {
      tags: ['events'],
      summary: 'A webhook endpoint',
      description: `Without its secret, with \`ETag: "<version>"\` for PATCH and rotation. 404 once deleted. ${OWN}`,
      params: WebhookParams,
      response: { 200: WebhookSchema, ...problemResponses(404) }
    }
  }, async (request, reply) => {
    const webhook = await getWebhook(fastify.db, request.caller, request.params.id)
    reply.header('etag', etagOf(webhook.version))
    return toWebhook(webhook)
  })

  fastify.patch('/v1/webhooks/:id', {
    config: WEBHOOK_ROLES,
    schema: {
      tags: ['events'],
      summary: 'Change a webhook endpoint',
      description: [
        'Any of `url`, `eventTypes` and `active` (at least one). `If-Match` is required (428 without it, and for `*`);',
        'a stale tag is 412. The url passes the same checks as at registration; pending deliveries go to the new url.',
        'New event types apply to events sealed from now on. `active: false` stops deliveries and makes the pending',
        'ones dead letters; `active: true` starts them again — also for an endpoint disabled by 410 Gone — with the',
        'events sealed from then on: events sealed while it was inactive are not delivered, and its dead letters stay',
        `dead (retry them by hand). Emits \`itraad.webhook.changed\`. Answers with the new \`ETag\`. ${OWN}`
      ].join('\n'),
      params: WebhookParams,
      headers: IfMatchHeadersSchema(true),
      body: WebhookChangeSchema,
      response: { 200: WebhookSchema, ...problemResponses(404, 412, 428, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const ifMatch = requireIfMatch(request.headers['if-match'], { missing: msg('ifMatchRequiredHere'), any: msg('ifMatchRequiredHere') })
    const webhook = await changeWebhook(fastify.uow, request.caller, request.params.id, request.body, ifMatch, { allowPrivate: fastify.webhookAllowPrivate })
    reply.header('etag', etagOf(webhook.version))
    return toWebhook(webhook)
  })

  fastify.post('/v1/webhooks/:id/secret', {
    config: WEBHOOK_ROLES,
    schema: {
      tags: ['events'],
      summary: 'Rotate the signing secret of a webhook endpoint',
      description: [
        'No body. Answers 200 with the new `secret` (shown in this response only) and `previousSecretExpiresAt`: for',
        '24 hours every delivery carries two signatures in `webhook-signature`, `v1,<by the new secret> v1,<by the',
        'previous one>` (Standard Webhooks allows several; a receiver accepts a delivery when one of them verifies),',
        'so the receiver can switch secrets at its own pace. A second rotation within those 24 hours drops the oldest',
        'secret at once: only the secret current until then becomes the previous one, with a fresh 24 hours.',
        '`If-Match` is optional (a rotation replaces nothing the caller has edited); when given, it must match the',
        'current ETag or the request is 412. The version goes up by one; the new `ETag` is in the answer.',
        `Emits \`itraad.webhook.secret_rotated\` (without any secret). ${OWN}`
      ].join('\n'),
      params: WebhookParams,
      headers: IfMatchHeadersSchema(false),
      response: { 200: WebhookSecretSchema, ...problemResponses(404, 412) }
    }
  }, async (request, reply) => {
    const header = request.headers['if-match']
    const { webhook, version } = await rotateWebhookSecret(fastify.uow, request.caller, request.params.id, header === undefined ? undefined : parseIfMatch(header))
    reply.header('etag', etagOf(version))
    return webhook
  })

  fastify.delete('/v1/webhooks/:id', {
    config: WEBHOOK_ROLES,
    schema: {
      tags: ['events'],
      summary: 'Delete a webhook endpoint',
      description: 'A soft delete: nothing more is delivered, pending deliveries become dead letters, and the endpoint answers 404 ' +
        `from now on. Emits \`itraad.webhook.deleted\`. ${OWN}`,
      params: WebhookParams,
      response: { 204: z.null().describe('Deleted'), ...problemResponses(404) }
    }
  }, async (request, reply) => {
    await deleteWebhook(fastify.uow, request.caller, request.params.id)
    return reply.code(204).send(null)
  })

  fastify.get('/v1/webhooks/:id/deliveries', {
    config: WEBHOOK_ROLES,
    schema: {
      tags: ['events'],
      summary: 'Deliveries of a webhook endpoint, with every attempt',
      description: 'Newest first. `status=dead` lists the dead letters. Each delivery lists its attempts with status code, error and time. ' + OWN,
      params: WebhookParams,
      querystring: DeliveriesQuery,
      response: { 200: pageOf(DeliverySchema), ...problemResponses(404) }
    }
  }, async (request) => listDeliveries(fastify.db, request.caller, request.params.id, request.query))

  fastify.post('/v1/webhooks/:id/deliveries/:deliveryId/retry', {
    config: WEBHOOK_ROLES,
    schema: {
      tags: ['events'],
      summary: 'Retry a delivery now',
      description: [
        'Queues a pending or dead delivery for an attempt now, with the same webhook-id. A dead letter gets one more',
        'attempt (if it fails it is dead again; retry again later). 409 when it already succeeded or the endpoint is',
        `inactive (410 Gone, or deactivated: activate it first with PATCH). ${OWN}`
      ].join('\n'),
      params: DeliveryParams,
      response: { 202: DeliverySchema, ...problemResponses(404, 409) }
    }
  }, async (request, reply) => {
    const delivery = await retryDelivery(fastify.uow, request.caller, request.params.id, request.params.deliveryId)
    fastify.webhookDispatcher.wake()
    return reply.code(202).send(delivery)
  })
}

export default webhooksRoutes
