import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { decodeJwt } from 'jose'
import t from 'tap'
import { mintDevToken } from '../../src/auth/dev-key.ts'
import { createTokenVerifier } from '../../src/auth/verifier.ts'
import { ROOT_DIR } from '../../src/paths.ts'
import { CONTENT_SECURITY_POLICY, WEB_ROOT } from '../../src/plugins/web.ts'
import { bearer, build, devTestConfig } from '../helpers/build.ts'

// Seven fresh databases and `npm run token` in a process of its own: on a busy machine this file
// needs far more than the suite's per-file default (.taprc). Counted from here.
t.setTimeout(600_000)

function files (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

t.test('/app/ serves index.html with a strict Content-Security-Policy, without a token', async (t) => {
  const { app } = await build(t)
  for (const url of ['/app/', '/app', '/app/index.html']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 200, url)
    t.match(res.headers['content-type'], /^text\/html/, url)
    t.equal(res.headers['content-security-policy'], CONTENT_SECURITY_POLICY, url)
    t.equal(res.headers['x-content-type-options'], 'nosniff', url)
    t.equal(res.headers['referrer-policy'], 'no-referrer', url)
    t.match(res.body, /<html lang="da">/, url)
  }
  const csp = CONTENT_SECURITY_POLICY
  t.match(csp, /default-src 'self'/)
  t.match(csp, /script-src 'self'(;|$)/, 'scripts from our origin only: no inline, no eval')
  t.notMatch(csp, /unsafe-inline|unsafe-eval/)
})

t.test('the browser modules and the style sheet are served with the same headers', async (t) => {
  const { app } = await build(t)
  const script = await app.inject({ method: 'GET', url: '/app/js/main.js' })
  t.equal(script.statusCode, 200)
  t.match(script.headers['content-type'], /javascript/)
  t.equal(script.headers['content-security-policy'], CONTENT_SECURITY_POLICY)
  const css = await app.inject({ method: 'GET', url: '/app/css/app.css' })
  t.equal(css.statusCode, 200)
  t.match(css.headers['content-type'], /^text\/css/)
  const missing = await app.inject({ method: 'GET', url: '/app/js/nope.js' })
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
})

t.test('the pages contain no inline script, inline style or event handler attribute (the CSP would block them)', async (t) => {
  const offences: string[] = []
  for (const file of files(WEB_ROOT).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(file, 'utf8')
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) if (!/\bsrc="/.test(tag)) offences.push(`${file}: inline ${tag}`)
    if (/<style\b|\sstyle="/.test(html)) offences.push(`${file}: inline style`)
    if (/\son[a-z]+="/.test(html)) offences.push(`${file}: on… attribute`)
  }
  const scripts = files(WEB_ROOT).filter((f) => f.endsWith('.js'))
  t.ok(scripts.length >= 5, 'the browser modules are there')
  for (const file of scripts) {
    const js = readFileSync(file, 'utf8')
    if (/\binnerHTML\b|\bouterHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(/.test(js)) offences.push(`${file}: HTML from strings or eval`)
    if (/\blocalStorage\s*[.[]/.test(js)) offences.push(`${file}: uses localStorage (tokens belong in sessionStorage)`)
  }
  t.same(offences, [])
})

t.test('the /app routes are not part of the OpenAPI document', async (t) => {
  const { app } = await build(t)
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  t.same(Object.keys(doc.paths).filter((p) => p.startsWith('/app')), [])
})

t.test('with AUTH_JWKS configured there is no dev sign-in: POST /app/dev-token does not exist', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'POST', url: '/app/dev-token', payload: { role: 'admin', org: 'ITR' } })
  t.equal(res.statusCode, 404)
  t.match(res.json(), { code: 'ROUTE_NOT_FOUND' })
  t.notOk(res.body.includes('eyJ'), 'no token in the answer')
  const config = await app.inject({ method: 'GET', url: '/app/config.json' })
  t.same(config.json(), { devSignIn: false })
})

t.test('dev mode: POST /app/dev-token mints a token that the API accepts', async (t) => {
  const dir = t.testdir()
  const { app } = await build(t, { devAuthDir: dir })
  t.same((await app.inject({ method: 'GET', url: '/app/config.json' })).json(), { devSignIn: true })

  // 1. role and org only: the subject is derived as with `npm run token`
  const res = await app.inject({ method: 'POST', url: '/app/dev-token', payload: { role: 'council_member', org: 'ITR' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  const { token, expiresAt } = res.json()
  t.match(decodeJwt(token), { sub: 'dev-council_member-ITR', org: 'ITR', roles: ['council_member'] })
  t.ok(Date.parse(expiresAt) > Date.now() + 60 * 60 * 1000, 'valid for hours')
  const regions = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(token) })
  t.equal(regions.statusCode, 200)

  // 2. with sub and name
  const named = await app.inject({ method: 'POST', url: '/app/dev-token', payload: { role: 'submitter', org: '1084', sub: 'mette', name: 'Mette Hansen' } })
  t.equal(named.statusCode, 200)
  t.match(decodeJwt(named.json().token), { sub: 'mette', name: 'Mette Hansen', org: '1084', roles: ['submitter'] })
})

t.test('dev mode: POST /app/dev-token validates role and org (400 problem+json)', async (t) => {
  const { app } = await build(t, { devAuthDir: t.testdir() })
  const cases: Array<[string, unknown]> = [
    ['unknown role', { role: 'king', org: '1084' }],
    ['no role', { org: '1084' }],
    ['no org', { role: 'submitter' }],
    ['org with illegal characters', { role: 'submitter', org: 'a b' }],
    ['org too long', { role: 'submitter', org: 'x'.repeat(33) }],
    ['empty sub', { role: 'submitter', org: '1084', sub: '' }],
    ['unknown property', { role: 'submitter', org: '1084', roles: ['admin'] }],
    ['roles as an array instead of role', { roles: ['admin'], org: '1084' }]
  ]
  for (const [name, payload] of cases) {
    const res = await app.inject({ method: 'POST', url: '/app/dev-token', payload: payload as object })
    t.equal(res.statusCode, 400, name)
    t.match(res.headers['content-type'], /^application\/problem\+json/, name)
    t.match(res.json(), { code: 'VALIDATION_FAILED' }, name)
  }
  const malformed = await app.inject({ method: 'POST', url: '/app/dev-token', headers: { 'content-type': 'application/json' }, payload: '{"role":' })
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { code: 'MALFORMED_JSON' })
})

t.test('mintDevToken signs what the dev-mode verifier accepts', async (t) => {
  const config = devTestConfig(t.testdir())
  if (config.auth.mode !== 'dev') throw new Error('expected dev mode')
  const verify = await createTokenVerifier(config.auth)
  const { token } = await mintDevToken(config.auth, { roles: ['secretariat', 'admin'], org: 'ITR', name: 'Sekretariatet', ttlSeconds: 60 })
  t.same(await verify(token), { sub: 'dev-secretariat-ITR', name: 'Sekretariatet', org: 'ITR', roles: ['secretariat', 'admin'], kind: 'user' })
  const { token: expired } = await mintDevToken(config.auth, { roles: ['submitter'], org: '1084', ttlSeconds: -120 })
  await t.rejects(async () => await verify(expired), { code: 'UNAUTHENTICATED' })
})

t.test('`npm run token` signs with the same dev key and code as the dev sign-in', async (t) => {
  const dir = t.testdir()
  const { app } = await build(t, { devAuthDir: dir })
  const env = { PATH: process.env.PATH ?? '', DATA_DIR: dir, LOG_LEVEL: 'silent' }
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'src/cli/token.ts'), '--role', 'secretariat', '--org', 'ITR', '--name', 'Sekretariatet'], { env, cwd: ROOT_DIR })
  const token = stdout.trim()
  t.match(decodeJwt(token), { sub: 'dev-secretariat-ITR', name: 'Sekretariatet', org: 'ITR', roles: ['secretariat'] })
  const res = await app.inject({ method: 'GET', url: '/v1/regions', headers: bearer(token) })
  t.equal(res.statusCode, 200)
})

t.test('`npm run token` explains itself: --help, and a one-line refusal of what it does not know', async (t) => {
  const run = (...args: string[]) => new Promise<{ code: number | null, stdout: string, stderr: string }>((resolve) => {
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: t.testdir(), LOG_LEVEL: 'silent' }
    execFile(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'src/cli/token.ts'), ...args], { env, cwd: ROOT_DIR }, (error, stdout, stderr) => {
      resolve({ code: error ? (error as { code?: number }).code ?? null : 0, stdout, stderr })
    })
  })
  const help = await run('--help')
  t.equal(help.code, 0)
  t.match(help.stdout, /^usage: npm run token -- --role <role>.*\nroles: submitter, council_member, secretariat, integration, admin/)
  for (const args of [['--bogus'], ['--org', '1084', '--role']]) {
    const refused = await run(...args)
    t.equal(refused.code, 2, args.join(' '))
    t.match(refused.stderr, /^token: .*(Unknown option '--bogus'|'--role <value>' argument missing).*\nusage: /s)
    t.notMatch(refused.stderr, /\n\s+at /, 'no stack trace')
  }
})

t.test('/app serves only the files of the web folder: dot segments, encoded or not, reach nothing else', async (t) => {
  const { app } = await build(t)
  const probes = ['/app/../package.json', '/app/%2e%2e/package.json', '/app/js/..%2f..%2f..%2fpackage.json', '/app/./js/../../../package.json',
    '/app//..//..//package.json', '/app/%2E%2E/%2E%2E/src/config.ts', '/app/js/%2e%2e%5c%2e%2e%5cpackage.json']
  for (const url of probes) {
    const res = await app.inject({ method: 'GET', url })
    t.not(res.statusCode, 500, `${url}: not a 500`)
    t.notMatch(res.body, /"name": "council-gate"|loadConfig/, `${url}: answered ${res.statusCode} without a file from outside the web folder`)
  }
})
