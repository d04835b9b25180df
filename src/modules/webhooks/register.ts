import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { WebhookRepository } from '../../repositories/webhooks.ts'
import type { WebhookCreate, WebhookCreated } from '../../schemas/webhook.ts'
import { toWebhook } from './representation.ts'
import { generateWebhookSecret } from './signature.ts'
import { checkWebhookUrl } from './ssrf-guard.ts'

/**
 * POST /v1/webhooks: registers an endpoint and emits `itraad.webhook.registered` in the same
 * transaction. The secret is returned here once and never again (nor logged).
 */
export async function registerWebhook (uow: UnitOfWork, caller: Caller, input: WebhookCreate, opts: { allowPrivate: boolean }): Promise<WebhookCreated> {
  const problem = checkWebhookUrl(input.url, opts.allowPrivate)
  if (problem !== null) {
    throw new AppError('VALIDATION_FAILED', msg('validation', { where: 'body', path: '/url', message: problem }), { errors: [{ path: '/url', message: problem }] })
  }
  const url = new URL(input.url)
  const id = randomUUID()
  const secret = generateWebhookSecret()
  const eventTypes = [...input.eventTypes]
  const row = await uow.run(caller, async (tx, audit) => {
    const inserted = await new WebhookRepository(tx).insert({ id, url: url.href, eventTypes, secret, createdBy: caller.sub })
    const all = eventTypes.includes('*')
    audit.append({
      type: 'itraad.webhook.registered',
      subject: `webhooks/${id}`,
      projectId: null,
      data: {
        webhookId: id,
        host: url.host,
        eventTypes,
        description: all
          ? `Webhook registreret til ${url.host} for alle hændelsestyper`
          : `Webhook registreret til ${url.host} for ${eventTypes.length} ${eventTypes.length === 1 ? 'hændelsestype' : 'hændelsestyper'}`
      }
    })
    return inserted
  })
  return { ...toWebhook(row), secret }
}
