import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { notFound } from '../../errors.ts'
import { WebhookRepository } from '../../repositories/webhooks.ts'

/**
 * DELETE /v1/webhooks/{id}: a soft delete (the row and its delivery history stay for audit) of an
 * endpoint the caller may see. Its pending deliveries become dead letters; nothing more is queued
 * for it. Emits `itraad.webhook.deleted`.
 */
export async function deleteWebhook (uow: UnitOfWork, caller: Caller, id: string): Promise<void> {
  await uow.run(caller, async (tx, audit) => {
    const deleted = await new WebhookRepository(tx, caller).softDelete(id)
    if (deleted === undefined) throw notFound('webhook')
    const host = new URL(deleted.url).host
    audit.append({
      type: 'itraad.webhook.deleted',
      subject: `webhooks/${id}`,
      projectId: null,
      data: { webhookId: id, host, description: `Webhook til ${host} slettet` }
    })
  })
}
