import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { resolve } from 'node:path'
import { openPostgres } from '../../src/db/client.ts'
import { AUDIENCE, ISSUER, RESULTS_DIR, ROOT, type BenchAuth } from './common.ts'
import { run, startServer, type ServerProcess } from './processes.ts'

/**
 * The service compiled as the Docker image runs it (`node dist/src/server.js`, no tsx in the
 * process), in a temporary folder outside the repository (so that no type checker or linter sees
 * it twice): package.json copied, node_modules, migrations and src (for
 * the web pages' static files) linked, dist/ built by tsc from tsconfig.build.json. Returns the
 * folder to run it in.
 */
export async function buildCompiled (): Promise<string> {
  const root = resolve(tmpdir(), 'council-gate-bench-compiled')
  rmSync(root, { recursive: true, force: true })
  mkdirSync(root, { recursive: true })
  copyFileSync(resolve(ROOT, 'package.json'), resolve(root, 'package.json'))
  for (const link of ['node_modules', 'migrations', 'src']) symlinkSync(resolve(ROOT, link), resolve(root, link))
  const tsc = resolve(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const result = await run(process.execPath, [tsc, '-p', resolve(ROOT, 'tsconfig.build.json'), '--outDir', resolve(root, 'dist')])
  if (result.code !== 0) throw new Error(`compiling the service failed:\n${result.stdout}${result.stderr}`)
  return root
}

/**
 * The `ENV` of the Dockerfile's last stage (the image the service runs as), so that the bench runs
 * the service with the image's settings and the two cannot drift apart.
 */
export function dockerfileEnv (): Record<string, string> {
  const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8')
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
  const env: Record<string, string> = {}
  // ENV instructions, continued over lines that end in a backslash.
  for (const match of runtime.matchAll(/^ENV\s+((?:.*\\\n)*.*)$/gm)) {
    const body = match[1]!.replace(/\\\n/g, ' ')
    for (const [, key, quoted, bare] of body.matchAll(/([A-Z_][A-Z0-9_]*)=(?:"([^"]*)"|(\S*))/g)) env[key!] = quoted ?? bare ?? ''
  }
  return env
}

/**
 * The Node the bench runs the service on (its own: process.execPath) against the image's
 * (`FROM node:NN-…` in the Dockerfile's last stage), as one line for the output. Memory figures
 * depend on the V8 inside: run the bench under the image's major to measure what production runs
 * (bench/README.md says how).
 */
export function nodeRuntimeLine (): string {
  const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8')
  const image = /^FROM\s+node:(\d+)/m.exec(dockerfile.slice(dockerfile.lastIndexOf('\nFROM ') + 1))?.[1]
  const own = process.versions.node.split('.')[0]
  return own === image
    ? `node ${process.version} (the image's Node ${image})`
    : `node ${process.version} — NOT the image's Node ${image ?? '?'}: figures are of this Node, not of the image's`
}

/** The node flags of the runtime image's CMD (`["node", …flags, "dist/src/server.js"]`). */
export function dockerfileNodeFlags (): string[] {
  const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8')
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')))
  const args = cmd ? JSON.parse(cmd[1]!) as string[] : []
  return args.slice(1).filter((arg) => arg.startsWith('--'))
}

/** Applies the service's migrations to a (fresh) database, as the service does at start. */
export async function migrate (databaseUrl: string): Promise<void> {
  const database = openPostgres(databaseUrl, 1)
  try {
    await database.migrate()
  } finally {
    await database.close()
  }
}

/**
 * The service as it runs in production: its own process (compiled, `node dist/src/server.js` as in
 * the Docker image, or `node --import tsx src/server.ts`, what `npm start` runs), PostgreSQL, a real key set (AUTH_JWKS with the bench's public key), logging
 * at info — one line per request — to a file, background workers on. Only the rate limit is off,
 * since the bench is one token hammering the service.
 */
export async function startService (opts: {
  databaseUrl: string
  auth: BenchAuth
  logFile: string
  nodeArgs?: string[]
  env?: Record<string, string>
  /** A folder from buildCompiled(): run dist/src/server.js there instead of src/server.ts with tsx. */
  compiledRoot?: string
}): Promise<ServerProcess> {
  const dataDir = resolve(RESULTS_DIR, 'service-data')
  mkdirSync(dataDir, { recursive: true })
  const cwd = opts.compiledRoot ?? process.env.BENCH_SERVICE_ROOT
  return startServer({
    name: 'service',
    script: opts.compiledRoot ? 'dist/src/server.js' : 'src/server.ts',
    // Another checkout of the service (A/B comparisons of a change): BENCH_SERVICE_ROOT=/path/to/tree.
    ...(cwd ? { cwd } : {}),
    logFile: opts.logFile,
    // The image's node flags, then the caller's (--cpu-prof for profiles).
    nodeArgs: [...dockerfileNodeFlags(), ...(opts.nodeArgs ?? [])],
    env: {
      // The image's runtime settings (memory: MALLOC_ARENA_MAX, NODE_OPTIONS), then the bench's own.
      ...dockerfileEnv(),
      NODE_ENV: 'production',
      DATABASE_URL: opts.databaseUrl,
      DATA_DIR: dataDir,
      AUTH_JWKS: opts.auth.jwks,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'info',
      // Stopped between rounds: no load balancer to drain.
      SHUTDOWN_GRACE_MS: '0',
      ...(process.env.BENCH_POOL_SIZE ? { DB_POOL_SIZE: process.env.BENCH_POOL_SIZE } : {}),
      // Experiments only (not a production setting): BENCH_SERVICE_ENV='WORKERS=off LOG_LEVEL=warn'.
      ...Object.fromEntries((process.env.BENCH_SERVICE_ENV ?? '').split(/\s+/).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
      ...opts.env
    }
  })
}

/** The floor (bench/floor-server.ts) in its own process, with the pool size the service uses. */
export async function startFloor (opts: { databaseUrl: string, logFile: string, poolSize: number }): Promise<ServerProcess> {
  return startServer({
    name: 'floor',
    script: 'bench/floor-server.ts',
    logFile: opts.logFile,
    // The same runtime settings as the service (the image's ENV): the comparison is of the code.
    env: { ...dockerfileEnv(), NODE_ENV: 'production', DATABASE_URL: opts.databaseUrl, DB_POOL_SIZE: String(opts.poolSize) }
  })
}
