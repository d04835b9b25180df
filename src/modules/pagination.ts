import { z } from 'zod'
import { AppError } from '../errors.ts'
import { msg } from '../messages.ts'

/**
 * Keyset pagination, the one helper for every list: the cursor is base64url JSON of the last
 * row's sort key. Clients treat it as opaque; we never trust it: it is decoded through a schema,
 * and a cursor that does not decode is a 400 like any other bad query parameter.
 */

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

export function encodeCursor (position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url')
}

export function decodeCursor<T> (cursor: string, schema: z.ZodType<T>): T {
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    decoded = undefined
  }
  const result = schema.safeParse(decoded)
  if (!result.success) throw notACursor()
  return result.data
}

/** The 400 for a `cursor` that no page of the list handed out. */
export function notACursor (): AppError {
  return new AppError('VALIDATION_FAILED', msg('validation', { where: 'querystring', path: '/cursor', message: msg('notACursor') }), {
    errors: [{ path: '/cursor', message: msg('notACursorHint') }]
  })
}

/**
 * A page from a query that fetched `limit + 1` rows: the extra row only says that there is more.
 * The cursor points at the last row returned, so the next page starts right after it.
 */
export function toPage<Row, Item> (rows: Row[], limit: number, toItem: (row: Row) => Item, positionOf: (row: Row) => Record<string, string | number>): Page<Item> {
  const more = rows.length > limit
  const pageRows = more ? rows.slice(0, limit) : rows
  const last = pageRows[pageRows.length - 1]
  return {
    items: pageRows.map(toItem),
    nextCursor: more && last !== undefined ? encodeCursor(positionOf(last)) : null
  }
}

/** The cursor form of `cursorInstant` (src/repositories/instants.ts), checked to be a real instant before it reaches SQL. */
export const CursorInstant = z.string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
  .refine((v) => {
    const date = new Date(v)
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 23) === v.slice(0, 23)
  })
