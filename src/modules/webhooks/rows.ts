import { sql, type SQL } from 'drizzle-orm'
import { AppError } from '../../errors.ts'

/** A timestamptz as RFC 3339 UTC text with milliseconds, the same on both drivers. */
export const isoText = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** A timestamptz at full (microsecond) precision, for keyset cursors. */
export const keyText = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

const KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/

/**
 * Keyset cursors over (created_at, id), newest first: opaque base64url of the last item's key.
 * A cursor is validated before it reaches SQL, so a forged one is a 400, never a database error.
 */
export function encodeKeyset (createdAtKey: string, id: string): string {
  return Buffer.from(`${createdAtKey}|${id}`, 'utf8').toString('base64url')
}

export function decodeKeyset (cursor: string | undefined): { createdAt: string, id: string } | undefined {
  if (cursor === undefined) return undefined
  const match = KEY.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!match || Number.isNaN(Date.parse(match[1]!))) throw new AppError('BAD_REQUEST', 'cursor is not a cursor this list returned')
  return { createdAt: match[1]!, id: match[2]! }
}

/** Rows fetched with `limit + 1`: the extra one only says whether another page follows. */
export function keysetPage<R extends { key: string, id: string }, T> (rows: R[], limit: number, map: (row: R) => T): { items: T[], nextCursor: string | null } {
  const more = rows.length > limit
  const page = more ? rows.slice(0, limit) : rows
  const last = page[page.length - 1]
  return { items: page.map(map), nextCursor: more && last ? encodeKeyset(last.key, last.id) : null }
}
