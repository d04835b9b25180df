import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { WebhookRepository, type WebhookChangeValues, type WebhookRow } from '../../repositories/webhooks.ts'
import type { WebhookChange } from '../../schemas/webhook.ts'
import { etagOf, ifMatchAccepts, type IfMatch } from '../etag.ts'
import { acceptedWebhookUrl, subscriptionDa } from './register.ts'

const sameTypes = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((type) => b.includes(type))

/**
 * PATCH /v1/webhooks/{id} (If-Match): its url (through the same guard as registration), its event
 * types, whether it is active. Deactivating dead-letters the pending deliveries (an inactive
 * endpoint has none); activating again — also after a 410 Gone — delivers the events sealed from
 * then on, while its dead letters stay dead (retry them by hand). Emits `itraad.webhook.changed`
 * naming what changed (hosts, never a path or a secret).
 */
export async function changeWebhook (uow: UnitOfWork, caller: Caller, id: string, change: WebhookChange, ifMatch: IfMatch, opts: { allowPrivate: boolean }): Promise<WebhookRow> {
  const url = change.url === undefined ? undefined : acceptedWebhookUrl(change.url, opts.allowPrivate)
  return uow.run(caller, async (tx, audit) => {
    const repository = new WebhookRepository(tx, caller)
    const current = await repository.lock(id)
    if (!ifMatchAccepts(ifMatch, current.version)) {
      throw new AppError('PRECONDITION_FAILED', msg('staleVersion', { version: current.version, etag: etagOf(current.version) }))
    }
    const values: WebhookChangeValues = {}
    if (url !== undefined && url.href !== current.url) values.url = url.href
    if (change.eventTypes !== undefined && !sameTypes(change.eventTypes, current.eventTypes)) values.eventTypes = [...change.eventTypes]
    if (change.active !== undefined && change.active !== current.active) {
      values.active = change.active
      values.disabledReason = change.active ? null : `deactivated by ${caller.sub}`
    }
    const changed = await repository.update(id, values)
    if (values.active === false) await repository.deadLetterPending(id, 'endpoint deactivated')

    const previousHost = new URL(current.url).host
    const host = new URL(changed.url).host
    const changedFields = (['url', 'eventTypes', 'active'] as const).filter((field) => values[field] !== undefined)
    const clauses = [
      ...(values.url === undefined ? [] : [host === previousHost ? 'adressen ændret' : `adressen flyttet til ${host}`]),
      ...(values.eventTypes === undefined ? [] : [`abonnerer nu på ${subscriptionDa(changed.eventTypes)}`]),
      ...(values.active === undefined ? [] : [changed.active ? 'gjort aktiv igen' : 'gjort inaktiv'])
    ]
    audit.append({
      type: 'itraad.webhook.changed',
      subject: `webhooks/${id}`,
      projectId: null,
      data: {
        webhookId: id,
        host,
        ...(host === previousHost ? {} : { previousHost }),
        changedFields,
        eventTypes: changed.eventTypes,
        active: changed.active,
        version: changed.version,
        description: clauses.length === 0 ? `Webhook til ${previousHost} gemt uændret` : `Webhook til ${previousHost}: ${clauses.join(', ')}`
      }
    })
    return changed
  })
}
