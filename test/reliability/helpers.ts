import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { createServer, connect, type Socket } from 'node:net'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import pg from 'pg'
import type { Test } from 'tap'
import { buildApp } from '../../src/app.ts'
import type { Config } from '../../src/config.ts'
import { openDatabase, type Database } from '../../src/db/client.ts'
import { ROOT_DIR } from '../../src/paths.ts'
import { TEST_AUDIENCE, TEST_ISSUER, testConfig, testPublicJwk } from '../helpers/build.ts'
import { freePort, privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.ts'

/** For `t.test(name, needsPrivatePostgres, …)`: fault tests run their own PostgreSQL server, or skip saying why. */
export const needsPrivatePostgres = privatePostgresUnavailable ? { skip: privatePostgresUnavailable } : {}

export interface FaultApp {
  app: FastifyInstance
  database: Database
  config: Config
  pg: PrivatePostgres
  /** With `{ proxy: true }`: the TCP proxy between the app's pool and the server. */
  proxy: SeveringProxy | undefined
  /** A connection to the private server outside the app's pool (locks, pg_terminate_backend, counts). */
  admin: () => Promise<pg.Client>
}

/**
 * The real app (buildApp, as src/server.ts builds it) on a PostgreSQL server of its own, migrated,
 * so that the test may stop, kill and lock it; with `proxy`, its pool connects through a
 * `SeveringProxy`. Everything is closed and removed in teardown.
 */
export async function buildOnPrivatePostgres (t: Test, env: Record<string, string> = {}, opts: { proxy?: boolean } = {}): Promise<FaultApp> {
  const server = await startOwnPostgres()
  const proxy = opts.proxy === true ? await startSeveringProxy(server.port) : undefined
  const dataDir = mkdtempSync(join(tmpdir(), 'council-gate-fault-'))
  const admins: pg.Client[] = []
  const built: { app?: FastifyInstance } = {}
  t.teardown(async () => {
    for (const client of admins) await client.end().catch(() => {})
    await built.app?.close()
    await proxy?.close()
    await server.destroy()
    rmSync(dataDir, { recursive: true, force: true })
  })
  const url = proxy === undefined ? server.url : server.url.replace(`:${server.port}/`, `:${proxy.port}/`)
  const config = testConfig({ DATABASE_URL: url, DATA_DIR: dataDir, ...env })
  const database = await openDatabase(config.database)
  await database.migrate()
  const app = built.app = await buildApp({ config, database, closeDatabase: true, logger: false })
  await app.ready()
  return {
    app,
    database,
    config,
    pg: server,
    proxy,
    async admin () {
      const client = new pg.Client({ connectionString: server.url, application_name: 'fault-test-admin' })
      client.on('error', () => {}) // a restart of the server ends this connection too
      await client.connect()
      admins.push(client)
      return client
    }
  }
}

export interface SeveringProxy {
  port: number
  /**
   * Cuts every connection open now the way a failed network path or a NAT that forgot it does: the
   * server's side is closed at once (its backend ends), while the client's side stays open and
   * silent until the client sends something, which resets it. So an idle pooled connection looks
   * alive until its next statement, which then fails for certain: no race with the pool noticing.
   */
  sever (): number
  close (): Promise<void>
}

/** A TCP proxy on 127.0.0.1 to the server at `targetPort`, whose connections the test can sever. */
export async function startSeveringProxy (targetPort: number): Promise<SeveringProxy> {
  const pairs = new Set<{ client: Socket, server: Socket }>()
  const severed = new Set<Socket>()
  const proxy = createServer((client) => {
    const server = connect(targetPort, '127.0.0.1')
    const pair = { client, server }
    pairs.add(pair)
    client.pipe(server).pipe(client)
    const end = () => {
      pairs.delete(pair)
      client.destroy()
      server.destroy()
    }
    client.on('error', end).on('close', end)
    server.on('error', end).on('close', end)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  return {
    port: (proxy.address() as { port: number }).port,
    sever () {
      const cut = [...pairs]
      for (const pair of cut) {
        pairs.delete(pair)
        const { client, server } = pair
        client.unpipe(server)
        server.unpipe(client)
        client.removeAllListeners('close').removeAllListeners('error').on('error', () => {})
        server.removeAllListeners('close').removeAllListeners('error').on('error', () => {})
        server.destroy()
        severed.add(client)
        client.once('data', () => {
          severed.delete(client)
          client.resetAndDestroy()
        })
        client.resume() // unpipe paused it; a 'data' listener alone does not resume a paused stream
      }
      return cut.length
    },
    async close () {
      for (const { client, server } of pairs) {
        client.destroy()
        server.destroy()
      }
      for (const client of severed) client.destroy()
      await new Promise<void>((resolve) => proxy.close(() => resolve()))
    }
  }
}

/**
 * startPrivatePostgres, plus a last resort: if the test process ends without its teardown (a
 * test that never finished, a crash), the server is stopped on exit instead of running on.
 */
export async function startOwnPostgres (): Promise<PrivatePostgres> {
  const server = await startPrivatePostgres()
  const client = new pg.Client({ connectionString: server.url })
  await client.connect()
  const { rows } = await client.query<{ data: string, bin: string }>(
    "select current_setting('data_directory') as data, (select setting from pg_config where name = 'BINDIR') as bin")
  await client.end()
  const stopOnExit = () => {
    try {
      execFileSync('runuser', ['-u', 'postgres', '--', join(rows[0]!.bin, 'pg_ctl'), '-D', rows[0]!.data, '-m', 'immediate', 'stop'], { stdio: 'ignore' })
    } catch {}
    // The server's own temp folder (…/council-gate-pg-XXXX/data).
    if (basename(dirname(rows[0]!.data)).startsWith('council-gate-pg-')) rmSync(dirname(rows[0]!.data), { recursive: true, force: true })
  }
  process.once('exit', stopOnExit)
  const destroy = server.destroy
  server.destroy = async () => {
    await destroy()
    process.off('exit', stopOnExit)
  }
  return server
}

/** Asserts an RFC 9457 answer with the given status. */
export function assertProblem (t: Test, res: LightMyRequestResponse | { statusCode: number, headers: Record<string, unknown>, body: string }, status: number, message: string) {
  t.equal(res.statusCode, status, `${message}: status`)
  t.match(String(res.headers['content-type']), /^application\/problem\+json/, `${message}: problem+json`)
  const body = JSON.parse(res.body) as { status?: number, type?: string }
  t.equal(body.status, status, `${message}: problem status`)
}

/** Polls `check` every `everyMs` until it returns true or `withinMs` passes; returns the time it took, or -1. */
export async function waitUntil (check: () => Promise<boolean>, withinMs: number, everyMs = 50): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < withinMs) {
    if (await check().catch(() => false)) return Date.now() - started
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  return -1
}

/** Counts unhandled rejections and uncaught exceptions while a test runs (the process must never see one). */
export function watchProcessErrors (t: Test): Error[] {
  const seen: Error[] = []
  const onError = (error: unknown) => {
    seen.push(error instanceof Error ? error : new Error(String(error)))
  }
  process.on('unhandledRejection', onError)
  process.on('uncaughtException', onError)
  t.teardown(() => {
    process.off('unhandledRejection', onError)
    process.off('uncaughtException', onError)
  })
  return seen
}

export interface RealServer {
  process: ChildProcess
  /** http://127.0.0.1:<port> */
  base: string
  /** Everything the process wrote to stdout and stderr so far. */
  output (): string
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null, signal: string | null, at: number }>
}

/**
 * The real server as `npm start` runs it (`src/server.ts` through tsx), in its own process on a
 * free port, with the test key set; `env` adds to or overrides its environment (DATABASE_URL,
 * DATA_DIR, LOG_LEVEL …). Killed when the test ends if it is still running.
 */
export async function spawnServer (t: Test, env: Record<string, string>): Promise<RealServer> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT_DIR,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      AUTH_JWKS: JSON.stringify({ keys: [testPublicJwk] }),
      AUTH_ISSUER: TEST_ISSUER,
      AUTH_AUDIENCE: TEST_AUDIENCE,
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<{ code: number | null, signal: string | null, at: number }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() }))
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  return { process: child, base: `http://127.0.0.1:${port}`, output: () => output, exited }
}

/**
 * An answer read from a connection of its own: `status` when a status line came back (then
 * `headers`, lower-cased, and `body`), else `error`: the code of what happened instead
 * (ECONNREFUSED, ECONNRESET, EPIPE, or `closed without an answer`).
 */
export interface RawAnswer {
  status?: number
  headers?: Record<string, string>
  body?: string
  error?: string
}

/** What an answer came to, for comparing lists of them: the status (`'201'`) or the error. */
export const outcome = (answer: RawAnswer): string => answer.status === undefined ? answer.error ?? 'no answer' : String(answer.status)

export interface RawConnection {
  /**
   * Writes one request on this connection (with `connection: close`, never reused) and reads the
   * answer until the server closes the connection. Call it once.
   */
  request (method: string, path: string, headers?: Record<string, string>, body?: string): Promise<RawAnswer>
}

/**
 * A TCP connection of its own to `base`, resolved once it is established (the server's kernel has
 * accepted it: it is in the listen backlog or accepted by Node) and before anything is written on
 * it. Plain HTTP/1.1 written by hand, so that no client pool reuses a connection, retries or hides
 * a reset. A connection that cannot be made resolves a connection whose request answers `{ error }`.
 */
export async function openConnection (base: string): Promise<RawConnection> {
  const { hostname, port } = new URL(base)
  const socket = connect(Number(port), hostname)
  let error: string | undefined
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => { chunks.push(chunk) })
  socket.on('error', (e: NodeJS.ErrnoException) => { error ??= e.code ?? e.message })
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  await Promise.race([new Promise<void>((resolve) => socket.once('connect', () => resolve())), closed])
  return {
    async request (method, path, headers = {}, body) {
      if (!socket.destroyed) {
        const lines = [`${method} ${path} HTTP/1.1`, `host: ${hostname}:${port}`, 'connection: close']
        for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
        if (body !== undefined) lines.push(`content-length: ${Buffer.byteLength(body)}`)
        // write, not end: Node's HTTP server aborts a request whose client half-closes the connection.
        socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`)
      }
      await closed
      const raw = Buffer.concat(chunks).toString()
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(raw)
      if (status === null) return { error: error ?? 'closed without an answer' }
      const end = raw.indexOf('\r\n\r\n')
      const head = raw.slice(0, end === -1 ? raw.length : end).split('\r\n').slice(1)
      return {
        status: Number(status[1]),
        headers: Object.fromEntries(head.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()])),
        body: end === -1 ? '' : raw.slice(end + 4),
        ...(error === undefined ? {} : { error })
      }
    }
  }
}

/** One request on a connection of its own (see openConnection). */
export async function rawRequest (base: string, method: string, path: string, headers?: Record<string, string>, body?: string): Promise<RawAnswer> {
  return (await openConnection(base)).request(method, path, headers, body)
}
