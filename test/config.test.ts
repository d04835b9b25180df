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

t.test('the server stops with one line on bad configuration', async (t) => {
  const run = promisify(execFile)
  const err = await run(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT_DIR, env: { ...process.env, PORT: 'not-a-port' } }).catch((e: unknown) => e as { code: number, stderr: string })
  t.match(err, { code: 1 })
  t.equal((err as { stderr: string }).stderr, 'council-gate: invalid configuration: PORT Invalid input: expected number, received NaN\n')
})
