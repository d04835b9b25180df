import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The project root: the nearest folder above this file with a package.json (works from src/ and dist/). */
function findRoot (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('council-gate: package.json not found above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
  return dir
}

export const ROOT_DIR = findRoot()
export const MIGRATIONS_DIR = join(ROOT_DIR, 'migrations')
