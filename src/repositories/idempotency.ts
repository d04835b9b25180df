import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { idempotencyKeys } from '../db/schema/index.ts'

export interface IdempotencyScope {
  org: string
  key: string
  requestHash: string
}

export interface StoredResponse {
  statusCode: number
  body: unknown
  headers: Record<string, string>
}

/** Idempotency-Key records: the key, the caller's org, a hash of the request and the response to replay. */
export class IdempotencyRepository {
  readonly #db: Db

  constructor (db: Db) {
    this.#db = db
  }

  /**
   * Claims (org, key) for this transaction: true when it is new, or older than 24 hours (then it
   * starts afresh). A concurrent claim of the same key blocks on the primary key until the first
   * commits or rolls back.
   */
  async claim (scope: IdempotencyScope): Promise<boolean> {
    const claimed = await this.#db.insert(idempotencyKeys)
      .values({ org: scope.org, key: scope.key, requestHash: scope.requestHash })
      .onConflictDoUpdate({
        target: [idempotencyKeys.org, idempotencyKeys.key],
        set: { requestHash: scope.requestHash, statusCode: null, responseBody: null, responseHeaders: null, createdAt: sql`now()` },
        setWhere: sql`${idempotencyKeys.createdAt} < now() - interval '24 hours'`
      })
      .returning({ org: idempotencyKeys.org })
    return claimed.length > 0
  }

  /** The stored record of (org, key), if any. */
  async find (scope: Pick<IdempotencyScope, 'org' | 'key'>): Promise<{ requestHash: string, response: StoredResponse | null } | undefined> {
    const [row] = await this.#db.select().from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.org, scope.org), eq(idempotencyKeys.key, scope.key)))
    if (!row) return undefined
    return {
      requestHash: row.requestHash,
      response: row.statusCode === null ? null : { statusCode: row.statusCode, body: row.responseBody, headers: row.responseHeaders ?? {} }
    }
  }

  /** Stores the response of a claimed key, in the transaction that produced it. */
  async store (scope: IdempotencyScope, response: StoredResponse): Promise<void> {
    await this.#db.update(idempotencyKeys)
      .set({ statusCode: response.statusCode, responseBody: response.body, responseHeaders: response.headers })
      .where(and(eq(idempotencyKeys.org, scope.org), eq(idempotencyKeys.key, scope.key)))
  }
}
