import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { loadConfig } from '../src/config.ts'
import { ROOT_DIR } from '../src/paths.ts'

const JWKS = JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] })

t.test('defaults: PGlite under ./data, dev auth, documented defaults', async (t) => {
  const config = loadConfig({})
  t.equal(config.port, 3000)
  t.equal(config.host, '127.0.0.1')
  t.same(config.database, { kind: 'pglite', dataDir: resolve('data/pglite') })
  t.equal(config.auth.mode, 'dev')
  t.equal(config.rateLimitPerMinute, 1200)
  t.equal(config.webhookAllowPrivate, false)
  t.equal(config.logLevel, 'info')
})

t.test('DATABASE_URL forms', async (t) => {
  t.same(loadConfig({ DATABASE_URL: 'pglite://memory' }).database, { kind: 'pglite', dataDir: null })
  t.same(loadConfig({ DATABASE_URL: 'pglite:///var/lib/cg' }).database, { kind: 'pglite', dataDir: '/var/lib/cg' })
  t.same(loadConfig({ DATABASE_URL: 'pglite://./db' }).database, { kind: 'pglite', dataDir: resolve('db') })
  t.match(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/d', DB_POOL_SIZE: '7' }).database, { kind: 'postgres', url: 'postgres://u@h:5432/d', poolSize: 7 })
})

t.test('production auth needs issuer and audience', async (t) => {
  const config = loadConfig({ AUTH_JWKS: JWKS, AUTH_ISSUER: 'https://idp', AUTH_AUDIENCE: 'cg' })
  t.match(config.auth, { mode: 'jwks', issuer: 'https://idp', audience: 'cg' })
  t.match(loadConfig({ AUTH_JWKS_URL: 'https://idp/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }).auth, { mode: 'jwks-url', url: 'https://idp/jwks' })
})

t.test('AUTH_JWKS_URL: the key set\'s cooldown and maximum age', async (t) => {
  const remote = { AUTH_JWKS_URL: 'https://idp/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }
  t.match(loadConfig(remote).auth, { mode: 'jwks-url', cooldownMs: 30_000, maxAgeMs: 600_000 })
  t.match(loadConfig({ ...remote, AUTH_JWKS_COOLDOWN_MS: '0', AUTH_JWKS_MAX_AGE_MS: '0' }).auth, { cooldownMs: 0, maxAgeMs: 0 })
  t.match(loadConfig({ ...remote, AUTH_JWKS_COOLDOWN_MS: '5000', AUTH_JWKS_MAX_AGE_MS: '3600000' }).auth, { cooldownMs: 5000, maxAgeMs: 3_600_000 })
  for (const name of ['AUTH_JWKS_COOLDOWN_MS', 'AUTH_JWKS_MAX_AGE_MS']) {
    for (const value of ['-1', '1.5', 'soon']) {
      t.throws(() => loadConfig({ ...remote, [name]: value }), { name: 'ConfigError', message: new RegExp(`^invalid configuration: ${name} `) }, `${name}=${value}`)
    }
  }
})

t.test('SHUTDOWN_GRACE_MS: 5000 by default, 0 allowed, less than SHUTDOWN_TIMEOUT_MS (which counts from the signal and includes it)', async (t) => {
  t.match(loadConfig({}), { shutdownGraceMs: 5000, shutdownTimeoutMs: 10_000 })
  t.match(loadConfig({ SHUTDOWN_GRACE_MS: '0' }), { shutdownGraceMs: 0 })
  t.match(loadConfig({ SHUTDOWN_GRACE_MS: '9999' }), { shutdownGraceMs: 9999, shutdownTimeoutMs: 10_000 })
  t.match(loadConfig({ SHUTDOWN_GRACE_MS: '20000', SHUTDOWN_TIMEOUT_MS: '30000' }), { shutdownGraceMs: 20_000, shutdownTimeoutMs: 30_000 })
  for (const value of ['-1', '1.5', 'soon']) {
    t.throws(() => loadConfig({ SHUTDOWN_GRACE_MS: value }), { name: 'ConfigError', message: /^invalid configuration: SHUTDOWN_GRACE_MS / }, `SHUTDOWN_GRACE_MS=${value}`)
  }
  const tooLong = /^invalid configuration: SHUTDOWN_GRACE_MS must be less than SHUTDOWN_TIMEOUT_MS \(\d+\)/
  t.throws(() => loadConfig({ SHUTDOWN_GRACE_MS: '10000' }), { name: 'ConfigError', message: tooLong }, 'equal to the timeout')
  t.throws(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '3000' }), { name: 'ConfigError', message: tooLong }, 'a timeout shorter than the default grace period')
  t.throws(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: 'soon' }), { name: 'ConfigError', message: /^invalid configuration: SHUTDOWN_TIMEOUT_MS / }, 'a bad timeout is named, not the grace period')
})

t.test('a bad value throws one line naming the variable', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /^invalid configuration: PORT /],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be postgres/],
    [{ AUTH_JWKS: '{"nope":1}', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }, /AUTH_JWKS must be a JSON Web Key Set/],
    [{ AUTH_JWKS: JWKS }, /AUTH_ISSUER is required/],
    [{ AUTH_JWKS: JWKS, AUTH_ISSUER: 'i' }, /AUTH_AUDIENCE is required/],
    [{ AUTH_JWKS: JWKS, AUTH_JWKS_URL: 'https://x/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }, /not both/],
    [{ AUTH_JWKS_URL: 'ftp://x' }, /AUTH_JWKS_URL/],
    [{ WEBHOOK_ALLOW_PRIVATE: 'yes' }, /WEBHOOK_ALLOW_PRIVATE/],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, /RATE_LIMIT_PER_MINUTE/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/]
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig(env), { name: 'ConfigError', message }, JSON.stringify(env))
  }
})

t.test('dev-mode auth is chosen, not fallen into: loopback HOST or AUTH_MODE=dev', async (t) => {
  for (const HOST of ['127.0.0.1', '127.8.9.10', '::1', '0:0:0:0:0:0:0:1', 'localhost', 'LOCALHOST']) {
    t.equal(loadConfig({ HOST }).auth.mode, 'dev', `HOST=${HOST}`)
  }
  t.equal(loadConfig({ HOST: '0.0.0.0', AUTH_MODE: 'dev' }).auth.mode, 'dev', '0.0.0.0 with AUTH_MODE=dev')
  t.equal(loadConfig({ HOST: '::', AUTH_MODE: 'dev' }).auth.mode, 'dev', ':: with AUTH_MODE=dev')
  const missing = /^invalid configuration: AUTH_JWKS or AUTH_JWKS_URL is required when HOST is not loopback \(HOST is [^;]+; set AUTH_MODE=dev to run dev-mode auth on purpose\)$/
  for (const HOST of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'council-gate.internal', '128.0.0.1']) {
    t.throws(() => loadConfig({ HOST }), { name: 'ConfigError', message: missing }, `HOST=${HOST} without a key set`)
  }
  // The image's HOST with a key set is production auth, as before.
  t.equal(loadConfig({ HOST: '0.0.0.0', AUTH_JWKS: JWKS, AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }).auth.mode, 'jwks')
  t.equal(loadConfig({ HOST: '0.0.0.0', AUTH_MODE: 'jwks', AUTH_JWKS_URL: 'https://idp/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }).auth.mode, 'jwks-url')
})

t.test('AUTH_MODE contradicting the key set is refused, and only dev or jwks is a mode', async (t) => {
  const keys = { AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }
  t.throws(() => loadConfig({ AUTH_MODE: 'dev', AUTH_JWKS: JWKS, ...keys }), { name: 'ConfigError', message: /^invalid configuration: AUTH_MODE dev contradicts AUTH_JWKS:/ })
  t.throws(() => loadConfig({ AUTH_MODE: 'dev', AUTH_JWKS_URL: 'https://idp/jwks', ...keys }), { name: 'ConfigError', message: /^invalid configuration: AUTH_MODE dev contradicts AUTH_JWKS_URL:/ })
  t.throws(() => loadConfig({ AUTH_MODE: 'jwks' }), { name: 'ConfigError', message: /^invalid configuration: AUTH_MODE jwks requires AUTH_JWKS or AUTH_JWKS_URL$/ })
  t.throws(() => loadConfig({ AUTH_MODE: 'prod' }), { name: 'ConfigError', message: /^invalid configuration: AUTH_MODE / })
})

t.test('AUTH_MAX_TOKEN_LIFETIME_S: 12 h by default, at least 60, and the 8 h of npm run token fit', async (t) => {
  t.equal(loadConfig({}).auth.maxTokenLifetimeS, 43_200)
  t.ok(loadConfig({}).auth.maxTokenLifetimeS >= 8 * 60 * 60)
  t.equal(loadConfig({ AUTH_MAX_TOKEN_LIFETIME_S: '3600' }).auth.maxTokenLifetimeS, 3600)
  for (const value of ['59', '0', '-1', '1.5', 'long']) {
    t.throws(() => loadConfig({ AUTH_MAX_TOKEN_LIFETIME_S: value }), { name: 'ConfigError', message: /^invalid configuration: AUTH_MAX_TOKEN_LIFETIME_S / }, value)
  }
})

t.test('the server stops with one line on bad configuration', async (t) => {
  const run = promisify(execFile)
  const err = await run(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT_DIR, env: { ...process.env, PORT: 'not-a-port' } }).catch((e: unknown) => e as { code: number, stderr: string })
  t.match(err, { code: 1 })
  t.equal((err as { stderr: string }).stderr, 'council-gate: invalid configuration: PORT Invalid input: expected number, received NaN\n')
})

t.test('DB_PREPARED_STATEMENTS: named statements by default, off for PgBouncer in transaction mode', async (t) => {
  const url = 'postgres://u@h/d'
  t.match(loadConfig({ DATABASE_URL: url }).database, { kind: 'postgres', preparedStatements: true })
  t.match(loadConfig({ DATABASE_URL: url, DB_PREPARED_STATEMENTS: 'off' }).database, { kind: 'postgres', preparedStatements: false })
  t.throws(() => loadConfig({ DATABASE_URL: url, DB_PREPARED_STATEMENTS: 'no' }), { name: 'ConfigError', message: /DB_PREPARED_STATEMENTS/ })
})

t.test('METRICS_PORT: unset by default, a port of its own, never the service port', async (t) => {
  t.equal(loadConfig({}).metricsPort, undefined)
  t.match(loadConfig({ METRICS_PORT: '9464' }), { port: 3000, metricsPort: 9464 })
  t.throws(() => loadConfig({ METRICS_PORT: '3000' }), { name: 'ConfigError', message: /^invalid configuration: METRICS_PORT must differ from PORT \(3000\)/ })
  for (const value of ['0', '70000', 'x']) {
    t.throws(() => loadConfig({ METRICS_PORT: value }), { name: 'ConfigError', message: /^invalid configuration: METRICS_PORT / }, `METRICS_PORT=${value}`)
  }
})
