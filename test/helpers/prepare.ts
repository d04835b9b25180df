// tap's `before` script: builds the migrated template databases once per run, so that every test
// gets a fresh database in well under a second (a new PGlite costs ~3 s of initdb).
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { openPostgres, wrapPglite } from '../../src/db/client.ts'
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE_FILE, withDatabase } from './template.ts'

if (!existsSync(PGLITE_TEMPLATE_FILE)) {
  const client = await PGlite.create()
  await wrapPglite(client).migrate()
  const dump = await client.dumpDataDir('gzip')
  mkdirSync(dirname(PGLITE_TEMPLATE_FILE), { recursive: true })
  const tmp = `${PGLITE_TEMPLATE_FILE}.${process.pid}`
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()))
  renameSync(tmp, PGLITE_TEMPLATE_FILE)
  await client.close()
}

const url = process.env.TEST_DATABASE_URL
if (url) {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  const exists = await admin.query('select 1 from pg_database where datname = $1', [PG_TEMPLATE_DB])
  if (exists.rowCount === 0) {
    // Build under a temporary name and rename, so a concurrent run never clones a half-built template.
    const building = `${PG_TEMPLATE_DB}_${process.pid}`
    await admin.query(`create database "${building}"`)
    const database = openPostgres(withDatabase(url, building), 2)
    await database.migrate()
    await database.close()
    try {
      await admin.query(`alter database "${building}" rename to "${PG_TEMPLATE_DB}"`)
    } catch (error) {
      if ((error as { code?: string }).code !== '42P04') throw error // another run won the race
      await admin.query(`drop database "${building}"`)
    }
  }
  await admin.end()
}
