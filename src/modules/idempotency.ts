import { createHash } from 'node:crypto'
import { canonicalJson } from '../canonical-json.ts'
import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { msg } from '../messages.ts'
import { IdempotencyRepository, type IdempotencyScope, type StoredResponse } from '../repositories/idempotency.ts'

/**
 * Idempotency-Key (API.md "Projects", DESIGN.md guarantee 6): the key, the caller's org and a hash
 * of the request are stored in the same transaction as the result, with the response to replay.
 * Keys are reusable after 24 hours.
 */

export type { IdempotencyScope, StoredResponse }

export type IdempotencyClaim = { kind: 'claimed' } | { kind: 'replay', response: StoredResponse }

/**
 * sha256 of the operation and the RFC 8785 canonical JSON of the validated body: the same key
 * with the same body (in any key order or spacing) is the same request; on another operation
 * it is a different one.
 */
export function requestHash (operation: string, body: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(canonicalJson(body)).digest('hex')
}

/**
 * Claims (org, key) for this transaction, or finds what it already answered. A concurrent
 * request with the same key blocks on the primary key until the first one commits or rolls
 * back, then sees its stored response (or claims the key itself): never a second result.
 */
export async function claimIdempotencyKey (tx: Db, scope: IdempotencyScope): Promise<IdempotencyClaim> {
  const keys = new IdempotencyRepository(tx)
  if (await keys.claim(scope)) return { kind: 'claimed' }
  const stored = await keys.find(scope)
  if (stored !== undefined && stored.requestHash !== scope.requestHash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', msg('idempotencyKeyReused'))
  }
  if (!stored?.response) {
    // Only reachable if a stored key lost its response, which a commit never leaves behind.
    throw new AppError('IDEMPOTENCY_IN_PROGRESS', msg('idempotencyInProgress'), { headers: { 'retry-after': '1' } })
  }
  return { kind: 'replay', response: stored.response }
}

/** Stores the response of a claimed key, in the transaction that produced it. */
export async function storeIdempotentResponse (tx: Db, scope: IdempotencyScope, response: StoredResponse): Promise<void> {
  await new IdempotencyRepository(tx).store(scope, response)
}
