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

/** A webhook URL that passes the registration-time guard, normalised; 400 naming the problem otherwise. */
export function acceptedWebhookUrl (raw: string, allowPrivate: boolean): URL {
  const problem = checkWebhookUrl(raw, allowPrivate)
  if (problem !== null) {
    throw new AppError('VALIDATION_FAILED', msg('validation', { where: 'body', path: '/url', message: problem }), { errors: [{ path: '/url', message: problem }] })
  }
  return new URL(raw)
}

/** How many event types an endpoint subscribes to, in Danish. */
export function subscriptionDa (eventTypes: readonly string[]): string {
  return eventTypes.includes('*')
    ? 'alle hændelsestyper'
    : `${eventTypes.length} ${eventTypes.length === 1 ? 'hændelsestype' : 'hændelsestyper'}`
}

/**
 * POST /v1/webhooks: registers an endpoint of the caller's org and emits
 * `itraad.webhook.registered` in the same transaction. The secret is returned here once and never again (nor logged).
 */
export async function registerWebhook (uow: UnitOfWork, caller: Caller, input: WebhookCreate, opts: { allowPrivate: boolean }): Promise<WebhookCreated> {
  const url = acceptedWebhookUrl(input.url, opts.allowPrivate)
  const id = randomUUID()
  const secret = generateWebhookSecret()
  const eventTypes = [...input.eventTypes]
  const row = await uow.run(caller, async (tx, audit) => {
    const inserted = await new WebhookRepository(tx, caller).insert({ id, url: url.href, eventTypes, secret, org: caller.org, createdBy: caller.sub })
    audit.append({
      type: 'itraad.webhook.registered',
      subject: `webhooks/${id}`,
      projectId: null,
      data: {
        webhookId: id,
        host: url.host,
        eventTypes,
        description: `Webhook registreret til ${url.host} for ${subscriptionDa(eventTypes)}`
      }
    })
    return inserted
  })
  return { ...toWebhook(row), secret }
}
