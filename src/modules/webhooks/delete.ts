import { sql } from 'drizzle-orm'
import type { Caller } from '../../auth/caller.ts'
import { queryRows } from '../../db/client.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { notFound } from '../../errors.ts'

/**
 * DELETE /v1/webhooks/{id}: a soft delete (the row and its delivery history stay for audit).
 * Its pending deliveries become dead letters; nothing more is queued for it.
 */
export async function deleteWebhook (uow: UnitOfWork, caller: Caller, id: string): Promise<void> {
  await uow.run(caller, async (tx) => {
    const deleted = await queryRows(tx, sql`
      update webhooks set deleted_at = now(), active = false, disabled_reason = coalesce(disabled_reason, 'deleted')
      where id = ${id} and deleted_at is null
      returning id`)
    if (deleted.length === 0) throw notFound('webhook')
    await tx.execute(sql`
      update webhook_deliveries set status = 'dead', last_error = coalesce(last_error || '; ', '') || 'webhook deleted',
        lease_until = null, updated_at = now()
      where webhook_id = ${id} and status = 'pending'`)
  })
}
