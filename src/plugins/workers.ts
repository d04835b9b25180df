import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import { checkpointSigner, trustedAuditKeys, type AuditPublicKey, type CheckpointSigner } from '../modules/audit/checkpoints.ts'
import { EventStreamHub } from '../modules/audit/event-stream.ts'
import { CheckpointWorker } from '../workers/checkpoints.ts'
import { Sealer } from '../workers/sealer.ts'
import { WebhookDispatcher } from '../workers/webhook-dispatcher.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Assigns feed sequences and chain hashes; `sealPending()` seals everything committed so far. */
    sealer: Sealer
    /** Delivers the webhook outbox; `dispatchDue()` attempts every due delivery now. */
    webhookDispatcher: WebhookDispatcher
    /** The process's one SSE fan-out for GET /v1/events/stream. */
    eventStream: EventStreamHub
    /** The key that signs audit checkpoints, loaded on first use. */
    checkpointSigner: () => Promise<CheckpointSigner>
    /** The keys checkpoints verify against: the signer's, then AUDIT_RETIRED_JWKS (GET /v1/audit/keys). */
    trustedAuditKeys: () => Promise<AuditPublicKey[]>
    /** WEBHOOK_ALLOW_PRIVATE, for registration's URL check. */
    webhookAllowPrivate: boolean
  }
}

/**
 * Background workers (sealer, webhook dispatcher, checkpoints): started when the app is ready
 * unless WORKERS=off (tests then drive them by hand), stopped on close after the event streams
 * have ended, with the work in flight awaited and no timer left behind.
 */
async function workersPlugin (fastify: FastifyInstance, opts: { config: Config }) {
  const { config } = opts
  const db = fastify.db
  const sealer = new Sealer({ db, log: fastify.log.child({ worker: 'sealer' }) })
  const webhookDispatcher = new WebhookDispatcher({ database: fastify.database, log: fastify.log.child({ worker: 'webhooks' }), allowPrivate: config.webhookAllowPrivate })
  const eventStream = new EventStreamHub({ db, log: fastify.log.child({ worker: 'event-stream' }) })
  const signer = checkpointSigner(config.auditSigningKey)
  const checkpoints = new CheckpointWorker({ database: fastify.database, signer, log: fastify.log.child({ worker: 'checkpoints' }) })

  // Whatever this process sealed goes out at once: to its SSE clients, and to webhooks.
  sealer.onSealed(({ deliveries }) => {
    eventStream.wake()
    if (deliveries > 0) webhookDispatcher.wake()
  })

  fastify.decorate('sealer', sealer)
  fastify.decorate('webhookDispatcher', webhookDispatcher)
  fastify.decorate('eventStream', eventStream)
  fastify.decorate('checkpointSigner', signer)
  fastify.decorate('trustedAuditKeys', trustedAuditKeys(signer, config.auditRetiredKeys))
  fastify.decorate('webhookAllowPrivate', config.webhookAllowPrivate)

  if (config.workers) {
    fastify.addHook('onReady', async () => {
      sealer.start(fastify.uow)
      webhookDispatcher.start()
      checkpoints.start()
    })
  }
  // Streams end before the server stops listening, or their open responses would hold close() up.
  fastify.addHook('preClose', async () => { await eventStream.close() })
  fastify.addHook('onClose', async () => {
    await Promise.all([sealer.stop(), webhookDispatcher.stop(), checkpoints.stop()])
  })
}

export default fp(workersPlugin, { name: 'workers', fastify: '5.x', dependencies: ['database'] })
