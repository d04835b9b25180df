import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { CursorInstant, decodeCursor } from '../pagination.ts'

/** A timestamptz as RFC 3339 UTC text with milliseconds, the same on both drivers. */
export const isoText = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** A timestamptz at full (microsecond) precision, for keyset cursors (the format of pagination.ts's cursorInstant). */
export const keyText = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

const Position = z.object({ createdAt: CursorInstant, id: z.uuid() })

/** The (created_at, id) position a newest-first list continues after, from its cursor. */
export function positionAfter (cursor: string | undefined): { createdAt: string, id: string } | undefined {
  return cursor === undefined ? undefined : decodeCursor(cursor, Position)
}

/** The cursor position of a row read with `keyText(created_at) as key`. */
export const positionOf = (row: { key: string, id: string }) => ({ createdAt: row.key, id: row.id })
