import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { WebhookRepository } from '../../repositories/webhooks.ts'
import type { WebhookSecret } from '../../schemas/webhook.ts'
import { etagOf, ifMatchAccepts, type IfMatch } from '../etag.ts'
import { toWebhook } from './representation.ts'
import { generateWebhookSecret } from './signature.ts'

/**
 * POST /v1/webhooks/{id}/secret: a new signing secret, answered here once. The secret it replaces
 * keeps signing beside it for 24 hours; one that was previous already (a second rotation within
 * the overlap) is dropped. If-Match is optional: given, it must match. Emits
 * `itraad.webhook.secret_rotated` (without any secret). Answers the webhook with its version.
 */
export async function rotateWebhookSecret (uow: UnitOfWork, caller: Caller, id: string, ifMatch: IfMatch | undefined): Promise<{ webhook: WebhookSecret, version: number }> {
  const secret = generateWebhookSecret()
  return uow.run(caller, async (tx, audit) => {
    const repository = new WebhookRepository(tx, caller)
    const current = await repository.lock(id)
    if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, current.version)) {
      throw new AppError('PRECONDITION_FAILED', msg('staleVersion', { version: current.version, etag: etagOf(current.version) }))
    }
    const rotated = await repository.rotateSecret(id, secret)
    const host = new URL(rotated.url).host
    audit.append({
      type: 'itraad.webhook.secret_rotated',
      subject: `webhooks/${id}`,
      projectId: null,
      data: {
        webhookId: id,
        host,
        version: rotated.version,
        previousSecretExpiresAt: rotated.previousSecretExpiresAt,
        description: `Ny hemmelighed til webhook til ${host}; den forrige signerer også leverancerne i 24 timer`
      }
    })
    return { webhook: { ...toWebhook(rotated), secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt! }, version: rotated.version }
  })
}
