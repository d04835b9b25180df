import { timestamp } from 'drizzle-orm/pg-core'

/** Instants are `timestamptz` read as ISO strings, so rows serialise to RFC 3339 without conversion. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' })

export const timestamps = {
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow()
}
