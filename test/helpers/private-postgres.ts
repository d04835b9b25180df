import { execFile } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { readdirSync, existsSync } from 'node:fs'

const run = promisify(execFile)

const PG_BIN = (() => {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const version = readdirSync(root).sort().at(-1)
  return version ? join(root, version, 'bin') : undefined
})()

/** Fault tests stop and start PostgreSQL; they get a server of their own so nothing else is disturbed. */
export const privatePostgresUnavailable: string | false =
  process.getuid?.() !== 0
    ? 'needs root to run a private PostgreSQL as the postgres user'
    : PG_BIN === undefined ? 'no PostgreSQL server binaries under /usr/lib/postgresql' : false

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')))
    })
  })
}

export interface PrivatePostgres {
  url: string
  port: number
  start (): Promise<void>
  /** `fast` finishes nothing in flight; `immediate` is a crash. */
  stop (mode?: 'fast' | 'immediate'): Promise<void>
  destroy (): Promise<void>
}

/** initdb + pg_ctl in a temp folder, run as the postgres OS user, fsync off (it is a test server). */
export async function startPrivatePostgres (): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'council-gate-pg-'))
  chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()))
  const data = join(dir, 'data')
  const asPostgres = (cmd: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', join(PG_BIN!, cmd), ...args])
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
  const port = await freePort()
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`
  const pg: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start () {
      await asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start'])
    },
    async stop (mode = 'fast') {
      await asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop'])
    },
    async destroy () {
      await pg.stop('immediate').catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    }
  }
  await pg.start()
  return pg
}
