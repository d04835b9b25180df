import { Column, getTableColumns, is, SQL, sql, type DriverValueDecoder, type Query } from 'drizzle-orm'
import { PgDialect, type PgPreparedQuery, type PgTable } from 'drizzle-orm/pg-core'
import type { Db } from './client.ts'
import type { Tx } from './unit-of-work.ts'

const dialect = new PgDialect()

/**
 * A write of the hot paths, built once and prepared by name on each connection (PostgreSQL parses
 * and plans it once per connection, not per request), that runs inside a transaction. drizzle's
 * own `.prepare()` binds a statement to the session it was built on, which serves reads outside
 * transactions (`prepareSelect` below) but would rebuild a transaction's statement every time; here
 * the query (SQL text and parameter placeholders) is built on first use and handed to whichever
 * session runs it. Rows come back as the driver gives them (column names, no mapping).
 *
 * Building a 22-column insert costs ~0.1 ms of the event loop (drizzle walks every column and
 * chunk), one of the larger items of a submission's JavaScript (bench/README.md, "Profiles").
 */
export function preparedStatement<Values extends Record<string, unknown>, Row = Record<string, unknown>> (
  name: string,
  build: (db: Db | Tx) => SQL | { toSQL (): Query }
): (db: Db | Tx, values: Values) => Promise<Row[]> {
  let query: Query | undefined
  return async (db, values) => {
    if (query === undefined) {
      const built = build(db)
      query = is(built, SQL) ? dialect.sqlToQuery(built) : built.toSQL()
    }
    const result = await db._.session.prepareQuery(query, undefined, name, false).execute(values)
    // Both drivers answer `{ rows }` (see queryRows in client.ts).
    return (result as { rows: Row[] }).rows
  }
}

/** Every column of `table` as a placeholder of the same name: an insert whose values come at execution. */
export function columnPlaceholders<T extends PgTable> (table: T): T['$inferInsert'] {
  return Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => [key, sql.placeholder(key)])) as T['$inferInsert']
}

/** An insert of one row into `table`, every column given (the same statement whatever the values). */
export function insertStatement<T extends PgTable> (name: string, table: T): (db: Db | Tx, row: Required<T['$inferInsert']>) => Promise<void> {
  const statement = preparedStatement<Required<T['$inferInsert']>>(name, (db) => db.insert(table).values(columnPlaceholders(table)))
  return async (db, row) => { await statement(db, row) }
}

/**
 * A select of the hot read paths, prepared by name on the database it was built on, like drizzle's
 * own `.prepare()`, with the same values: each column's own decoder (`mapFromDriverValue`). But
 * the decoders are looked up once per statement, where drizzle looks every field's up again for
 * every row: that was ~0.08 ms of a page of 50 projects (bench/README.md, "Profiles"). Flat
 * selections only, which is what the read paths select.
 */
export function prepareSelect<S extends PreparedSelectSource> (db: Db, name: string, select: S): PgPreparedQuery<{ execute: S['_']['result'], all: unknown, values: unknown }> {
  // The select list is the selection's fields in this order (drizzle's orderSelectedFields).
  const fields = Object.entries(select._.selectedFields)
  const keys = fields.map(([key]) => key)
  const decoders = fields.map(([key, field]): DriverValueDecoder<unknown, unknown> => {
    if (is(field, Column)) return field
    // `decoder` is what `.mapWith()` set (not in drizzle's typings; its own mapping reads it too).
    if (is(field, SQL)) return (field as unknown as Decoded).decoder
    if (is(field, SQL.Aliased)) return (field.sql as unknown as Decoded).decoder
    throw new Error(`prepareSelect maps flat selections; ${key} is nested`)
  })
  const mapRows = (rows: unknown[][]) => rows.map((row) => {
    const out: Record<string, unknown> = {}
    for (let i = 0; i < keys.length; i++) {
      const value = row[i]
      out[keys[i]!] = value === null ? null : decoders[i]!.mapFromDriverValue(value)
    }
    return out
  })
  return db._.session.prepareQuery(select.toSQL(), undefined, name, true, mapRows)
}

interface Decoded { decoder: DriverValueDecoder<unknown, unknown> }

interface PreparedSelectSource {
  readonly _: { readonly result: unknown, readonly selectedFields: Record<string, unknown> }
  toSQL (): Query
}
