import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MIGRATIONS_DIR, ROOT_DIR } from '../../src/paths.ts'

/** Templates are keyed by the migrations' content, so a changed migration never reuses a stale one. */
export function migrationsHash (): string {
  const hash = createHash('sha256')
  for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()) {
    hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)))
  }
  return hash.digest('hex').slice(0, 12)
}

export const PGLITE_TEMPLATE_FILE = join(ROOT_DIR, '.tap', `pglite-template-${migrationsHash()}.tar.gz`)
export const PG_TEMPLATE_DB = `council_gate_tpl_${migrationsHash()}`

/** A URL for another database on the same server as `url`. */
export function withDatabase (url: string, database: string): string {
  const u = new URL(url)
  u.pathname = '/' + database
  return u.toString()
}
