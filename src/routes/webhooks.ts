import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { BODY_STATUSES, pageOf, problemResponses } from '../schemas/common.ts'
import {
  DeliveriesQuery, DeliveryParams, DeliverySchema, ListQuery, WebhookCreatedSchema, WebhookCreateSchema, WebhookParams, WebhookSchema
} from '../schemas/webhook.ts'
import { deleteWebhook } from '../modules/webhooks/delete.ts'
import { listDeliveries, retryDelivery } from '../modules/webhooks/deliveries.ts'
import { getWebhook, listWebhooks } from '../modules/webhooks/list.ts'
import { registerWebhook } from '../modules/webhooks/register.ts'

const ADMIN = { access: { roles: ['admin'] as const } }

const webhooksRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.post('/v1/webhooks', {
    config: ADMIN,
    schema: {
      tags: ['events'],
      summary: 'Register a webhook endpoint',
      description: [
        'Every event of the listed types sealed after registration is POSTed to `url` following Standard Webhooks:',
        'headers `webhook-id` (msg_<delivery id>, the same on every retry), `webhook-timestamp` (unix seconds) and',
        '`webhook-signature` (`v1,` + base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the',
        'base64-decoded part of the secret after `whsec_`); the body is the CloudEvent JSON',
        '(`content-type: application/cloudevents+json`). Delivery is at least once: deduplicate by webhook-id.',
        '',
        'A 2xx answer within 10 s is success. 410 Gone disables the endpoint and dead-letters its deliveries. Anything',
        'else (other statuses, 3xx — redirects are not followed —, timeouts, refused addresses) is retried with',
        'full-jitter exponential backoff: the first retry within 10 s, then growing up to an hour apart, until 24 h after',
        'the first attempt; then the delivery is a dead letter (see the deliveries list; retry it by hand).',
        'Emits `itraad.webhook.registered`. The `secret` is in this response only.'
      ].join('\n'),
      body: WebhookCreateSchema,
      response: { 201: WebhookCreatedSchema, ...problemResponses(...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const created = await registerWebhook(fastify.uow, request.caller, request.body, { allowPrivate: fastify.webhookAllowPrivate })
    return reply.code(201).header('location', `/v1/webhooks/${created.id}`).send(created)
  })

  fastify.get('/v1/webhooks', {
    config: ADMIN,
    schema: {
      tags: ['events'],
      summary: 'List webhook endpoints',
      description: 'Endpoints that are not deleted, newest first. Secrets are never shown again.',
      querystring: ListQuery,
      response: { 200: pageOf(WebhookSchema), ...problemResponses() }
    }
  }, async (request) => listWebhooks(fastify.db, request.query))

  fastify.get('/v1/webhooks/:id', {
    config: ADMIN,
    schema: {
      tags: ['events'],
      summary: 'A webhook endpoint',
      description: 'Without its secret. 404 once deleted.',
      params: WebhookParams,
      response: { 200: WebhookSchema, ...problemResponses(404) }
    }
  }, async (request) => getWebhook(fastify.db, request.params.id))

  fastify.delete('/v1/webhooks/:id', {
    config: ADMIN,
    schema: {
      tags: ['events'],
      summary: 'Delete a webhook endpoint',
      description: 'A soft delete: nothing more is delivered, pending deliveries become dead letters, and the endpoint answers 404 from now on.',
      params: WebhookParams,
      response: { 204: z.null().describe('Deleted'), ...problemResponses(404) }
    }
  }, async (request, reply) => {
    await deleteWebhook(fastify.uow, request.caller, request.params.id)
    return reply.code(204).send(null)
  })

  fastify.get('/v1/webhooks/:id/deliveries', {
    config: ADMIN,
    schema: {
      tags: ['events'],
      summary: 'Deliveries of a webhook endpoint, with every attempt',
      description: 'Newest first. `status=dead` lists the dead letters. Each delivery lists its attempts with status code, error and time.',
      params: WebhookParams,
      querystring: DeliveriesQuery,
      response: { 200: pageOf(DeliverySchema), ...problemResponses(404) }
    }
  }, async (request) => listDeliveries(fastify.db, request.params.id, request.query))

  fastify.post('/v1/webhooks/:id/deliveries/:deliveryId/retry', {
    config: ADMIN,
    schema: {
      tags: ['events'],
      summary: 'Retry a delivery now',
      description: [
        'Queues a pending or dead delivery for an attempt now, with the same webhook-id. A dead letter gets one more',
        'attempt (if it fails it is dead again; retry again later). 409 when it already succeeded or the endpoint is',
        'disabled (410 Gone).'
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
