import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { canonicalJson } from '../canonical-json.ts'
import { queryRows } from '../db/client.ts'
import type { Tx } from '../db/unit-of-work.ts'
import { AppError } from '../errors.ts'

/**
 * Idempotency-Key (API.md "Projects", DESIGN.md guarantee 6): the key, the caller's org and a hash
 * of the request are stored in the same transaction as the result, with the response to replay.
 * Keys are reusable after 24 hours.
 */

export interface StoredResponse {
  statusCode: number
  body: unknown
  headers: Record<string, string>
}

export interface IdempotencyScope {
  org: string
  key: string
  requestHash: string
}

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
export async function claimIdempotencyKey (tx: Tx, scope: IdempotencyScope): Promise<IdempotencyClaim> {
  const claimed = await queryRows(tx, sql`
    insert into idempotency_keys as k (org, key, request_hash)
    values (${scope.org}, ${scope.key}, ${scope.requestHash})
    on conflict (org, key) do update
      set request_hash = excluded.request_hash, status_code = null, response_body = null,
          response_headers = null, created_at = now()
      where k.created_at < now() - interval '24 hours'
    returning 1 as claimed`)
  if (claimed.length > 0) return { kind: 'claimed' }

  const [stored] = await queryRows<{ request_hash: string, status_code: number | null, response_body: unknown, response_headers: Record<string, string> | null }>(tx, sql`
    select request_hash, status_code, response_body, response_headers
    from idempotency_keys where org = ${scope.org} and key = ${scope.key}`)
  if (stored !== undefined && stored.request_hash !== scope.requestHash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used in the last 24 hours with a different request body')
  }
  if (stored?.status_code == null) {
    // Only reachable if a stored key lost its response, which a commit never leaves behind.
    throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key has not finished; retry shortly', { headers: { 'retry-after': '1' } })
  }
  return { kind: 'replay', response: { statusCode: stored.status_code, body: stored.response_body, headers: stored.response_headers ?? {} } }
}

/** Stores the response of a claimed key, in the transaction that produced it. */
export async function storeIdempotentResponse (tx: Tx, scope: IdempotencyScope, response: StoredResponse): Promise<void> {
  await tx.execute(sql`
    update idempotency_keys
    set status_code = ${response.statusCode}, response_body = ${JSON.stringify(response.body)}::jsonb,
        response_headers = ${JSON.stringify(response.headers)}::jsonb
    where org = ${scope.org} and key = ${scope.key}`)
}
