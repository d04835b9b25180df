import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import type { Test } from 'tap'
import { openPglite, openPostgres, type Database } from '../../src/db/client.ts'
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE_FILE, withDatabase } from './template.ts'

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL
export const ON_POSTGRES = TEST_DATABASE_URL !== undefined

let pgliteTemplate: Blob | undefined

export interface TestDatabase {
  database: Database
  /** `postgres://…` of this test's own database, or undefined on PGlite. */
  url: string | undefined
  /** Closes and drops the database; registered as the test's teardown unless `register` is false. */
  dispose: () => Promise<void>
}

/**
 * A fresh, migrated database for one test, dropped in teardown: PGlite in memory from the
 * template dump, or (with TEST_DATABASE_URL) a PostgreSQL database cloned from the template.
 */
export async function createTestDatabase (t: Test, { poolSize = 8, register = true } = {}): Promise<TestDatabase> {
  if (TEST_DATABASE_URL === undefined) {
    pgliteTemplate ??= new Blob([readFileSync(PGLITE_TEMPLATE_FILE)])
    const database = await openPglite(null, pgliteTemplate)
    const dispose = () => database.close()
    if (register) t.teardown(dispose)
    return { database, url: undefined, dispose }
  }
  const name = `council_gate_t_${process.pid}_${randomBytes(4).toString('hex')}`
  await adminQuery(`create database "${name}" template "${PG_TEMPLATE_DB}"`)
  const url = withDatabase(TEST_DATABASE_URL, name)
  const database = openPostgres(url, poolSize)
  const dispose = async () => {
    await database.close()
    await adminQuery(`drop database if exists "${name}" with (force)`)
  }
  if (register) t.teardown(dispose)
  return { database, url, dispose }
}

async function adminQuery (text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/** Tests of races, SKIP LOCKED and lock waits only mean something on PostgreSQL (PGlite runs one transaction at a time). */
export const postgresOnly = ON_POSTGRES
  ? {}
  : { skip: 'needs real PostgreSQL for concurrency: run with TEST_DATABASE_URL (CI does)' }
