import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { notFound } from '../../errors.ts'
import { WebhookRepository } from '../../repositories/webhooks.ts'

/**
 * DELETE /v1/webhooks/{id}: a soft delete (the row and its delivery history stay for audit).
 * Its pending deliveries become dead letters; nothing more is queued for it.
 */
export async function deleteWebhook (uow: UnitOfWork, caller: Caller, id: string): Promise<void> {
  await uow.run(caller, async (tx) => {
    if (!await new WebhookRepository(tx).softDelete(id)) throw notFound('webhook')
  })
}
