import { sql, type AnyColumn, type SQL } from 'drizzle-orm'

/**
 * A timestamptz column as exact text for a cursor: microseconds, UTC. Rendering it in SQL keeps
 * the full precision a JavaScript Date would lose, so `(created_at, id) < cursor` neither skips
 * nor repeats rows that share a millisecond.
 */
export function cursorInstant (column: AnyColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
}

/** A timestamptz as RFC 3339 UTC text with milliseconds, the same on both drivers. */
export function isoText (column: AnyColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
}
