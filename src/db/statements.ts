import type { PGliteInterface } from '@electric-sql/pglite'
import { Column, getTableColumns, is, Param, Placeholder, SQL, sql, type DriverValueDecoder, type Query } from 'drizzle-orm'
import { PgDialect, type PgPreparedQuery, type PgTable } from 'drizzle-orm/pg-core'
import pg from 'pg'
import type { Db } from './client.ts'
import type { Tx } from './unit-of-work.ts'

const dialect = new PgDialect()

/**
 * A write of the hot paths, built once and prepared by name on each connection (PostgreSQL parses
 * and plans it once per connection, not per request), that runs inside a transaction too. drizzle
 * builds the query (SQL text and parameter placeholders) on first use; this module runs it.
 * drizzle's own `.prepare()` binds a statement to the session it was built on, which serves reads
 * outside transactions (`prepareSelect` below) but would rebuild a transaction's statement every
 * time, and its `execute()` looks every parameter's placeholder and encoder up again on each call
 * (`is()` walks class chains) and builds a new prepared-query object. Here the parameters are
 * resolved once (each placeholder's name and encoder), and the statement goes to the driver of
 * whichever session runs it, with drizzle's own result settings. Rows come back as the driver
 * gives them (column names, no mapping).
 *
 * Building a 22-column insert costs ~0.1 ms of the event loop (drizzle walks every column and
 * chunk), and drizzle's execution ~15 µs per statement of 36 parameters (bench/README.md, "Profiles").
 *
 * The values may come in two objects, `values` and `more` (a write's row and its audit events):
 * merging them into one (`{ ...row, ...events }`) costs V8 a slow path, ~5 µs for a 30-key row.
 */
export function preparedStatement<Values extends Record<string, unknown>, Row = Record<string, unknown>, More extends Record<string, unknown> = Record<never, never>> (
  name: string,
  build: (db: Db | Tx) => SQL | { toSQL (): Query }
): (db: Db | Tx, values: Values, more?: More) => Promise<Row[]> {
  let statement: { params: Parameter[], config: pg.QueryConfig & { text: string } } | undefined
  return async (db, values, more) => {
    if (statement === undefined) {
      const built = build(db)
      const query = is(built, SQL) ? dialect.sqlToQuery(built) : built.toSQL()
      statement = { params: query.params.map(parameter), config: { name, text: query.sql, types: PG_TYPES } }
    }
    const params = fill(statement.params, values, more)
    // The session's client: a pg Pool or PoolClient (in a transaction), or PGlite or its transaction.
    const client = (db._.session as unknown as { client: pg.Pool | pg.PoolClient | PGliteInterface }).client
    if (client instanceof pg.Pool || client instanceof pg.Client) {
      // pg copies every query's config by its property descriptors (pg 8.23, until
      // brianc/node-postgres#3743), a slow path in V8: the statement's constant part is the copy's
      // prototype, so that only the values are copied.
      const config: pg.QueryConfig = Object.create(statement.config)
      config.values = params
      return (await client.query(config)).rows as Row[]
    }
    const result = await (client as PGliteInterface).query(statement.config.text, params, { parsers: PGLITE_PARSERS })
    return result.rows as Row[]
  }
}

/**
 * A query parameter: a constant, or the value of a placeholder, encoded for the driver by its
 * column unless the column sends values as they are (drizzle's own default), which most do.
 */
type Parameter =
  | { kind: 'constant', value: unknown }
  | { kind: 'placeholder', name: string, encode: ((value: unknown) => unknown) | undefined }

const AS_IS = Column.prototype.mapToDriverValue

function parameter (param: unknown): Parameter {
  if (is(param, Placeholder)) return { kind: 'placeholder', name: param.name, encode: undefined }
  if (is(param, Param) && is(param.value, Placeholder)) {
    const encoder = param.encoder
    const encode = encoder.mapToDriverValue === AS_IS ? undefined : (value: unknown) => encoder.mapToDriverValue(value)
    return { kind: 'placeholder', name: param.value.name, encode }
  }
  return { kind: 'constant', value: param }
}

/** The statement's parameters from the values (what drizzle's fillPlaceholders does). */
function fill (params: Parameter[], values: Record<string, unknown>, more: Record<string, unknown> | undefined): unknown[] {
  const out = new Array<unknown>(params.length)
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!
    if (param.kind === 'constant') {
      out[i] = param.value
      continue
    }
    const { name, encode } = param
    const source = more !== undefined && name in more ? more : values
    const value = source[name]
    if (value === undefined && !(name in source)) throw new Error(`No value for placeholder "${name}" was provided`)
    out[i] = encode === undefined ? value : encode(value)
  }
  return out
}

// drizzle's result settings for both drivers: dates, times and intervals (and numeric[] and the
// arrays of those) as the text PostgreSQL sends, everything else as the driver parses it.
const AS_TEXT = [1082, 1114, 1184, 1186, 1231, 1115, 1185, 1187, 1182]
const text = (value: string) => value
const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    AS_TEXT.includes(oid) ? text : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
}
const PGLITE_PARSERS = Object.fromEntries(AS_TEXT.map((oid) => [oid, text]))

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
