import { statSync } from 'node:fs'
import { join } from 'node:path'
import { compactVerify, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import t from 'tap'
import { loadConfig } from '../../src/config.ts'
import { checkpointSigner } from '../../src/modules/audit/checkpoints.ts'
import { CheckpointWorker } from '../../src/workers/checkpoints.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { appendEvents, count, feedPage } from './helpers.ts'

// Each test builds its own app on a fresh database: minutes on a busy machine.
t.setTimeout(600_000)

interface CheckpointBody { sequence: string, hash: string, time: string, jws: string, key: JWK }

async function verifyJws (checkpoint: CheckpointBody, key: JWK = checkpoint.key) {
  const result = await compactVerify(checkpoint.jws, await importJWK(key, headerOf(checkpoint.jws).alg))
  return { payload: JSON.parse(new TextDecoder().decode(result.payload)), header: result.protectedHeader }
}

function headerOf (jws: string): { alg: string, kid: string } {
  return JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString('utf8'))
}

t.test('POST /v1/audit/checkpoints signs the chain head; GET lists them newest first with the key', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const admin = bearer(await token('admin', 'ITR'))
  const integration = bearer(await token('integration', 'ITR'))

  // 1. nothing to sign yet
  const empty = await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: admin })
  t.equal(empty.statusCode, 409)
  t.same((await app.inject({ method: 'GET', url: '/v1/audit/checkpoints', headers: integration })).json(), { items: [], nextCursor: null })

  // 2. the first checkpoint names the head of the feed
  await appendEvents(app, 3)
  await app.sealer.sealPending()
  const created = await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: admin })
  t.equal(created.statusCode, 201)
  const first = created.json() as CheckpointBody
  const head = (await feedPage(app, '')).items.at(-1)!
  t.match(first, { sequence: '3', hash: head.hash, time: /Z$/ })
  t.match(first.key, { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: /.+/ })
  t.notOk('d' in first.key, 'never the private part')
  const { payload, header } = await verifyJws(first)
  t.same(payload, { sequence: '3', hash: head.hash, time: first.time })
  t.equal(header.kid, first.key.kid)

  // 3. asking again without new events answers the same checkpoint
  const again = await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: admin })
  t.equal(again.statusCode, 200)
  t.same(again.json(), first)

  // 4. newer ones come first; pages by cursor
  await appendEvents(app, 2)
  await app.sealer.sealPending()
  t.equal((await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: admin })).statusCode, 201)
  await appendEvents(app, 1)
  await app.sealer.sealPending()
  t.equal((await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: admin })).statusCode, 201)
  const list = (await app.inject({ method: 'GET', url: '/v1/audit/checkpoints', headers: integration })).json() as { items: CheckpointBody[] }
  t.same(list.items.map((c) => c.sequence), ['6', '5', '3'])
  for (const c of list.items) t.equal((await verifyJws(c)).payload.sequence, c.sequence)
  const page1 = (await app.inject({ method: 'GET', url: '/v1/audit/checkpoints?limit=2', headers: admin })).json()
  t.same(page1.items.map((c: CheckpointBody) => c.sequence), ['6', '5'])
  t.equal(page1.nextCursor, '5')
  const page2 = (await app.inject({ method: 'GET', url: `/v1/audit/checkpoints?limit=2&cursor=${page1.nextCursor}`, headers: admin })).json()
  t.same(page2, { items: [first], nextCursor: null })
  t.equal((await app.inject({ method: 'GET', url: '/v1/audit/checkpoints?cursor=0', headers: admin })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: '/v1/audit/checkpoints?cursor=x', headers: admin })).statusCode, 400)
})

t.test('roles: admins sign, admins and integrations read', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  for (const role of ['integration', 'secretariat', 'submitter'] as const) {
    t.equal((await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: bearer(await token(role, 'ITR')) })).statusCode, 403, `${role} POST`)
  }
  for (const role of ['secretariat', 'submitter', 'council_member'] as const) {
    t.equal((await app.inject({ method: 'GET', url: '/v1/audit/checkpoints', headers: bearer(await token(role, 'ITR')) })).statusCode, 403, `${role} GET`)
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/audit/checkpoints' })).statusCode, 401)
  for (const role of ['secretariat', 'submitter', 'council_member'] as const) {
    t.equal((await app.inject({ method: 'GET', url: '/v1/audit/keys', headers: bearer(await token(role, 'ITR')) })).statusCode, 403, `${role} GET keys`)
  }
  for (const role of ['admin', 'integration'] as const) {
    t.equal((await app.inject({ method: 'GET', url: '/v1/audit/keys', headers: bearer(await token(role, 'ITR')) })).statusCode, 200, `${role} GET keys`)
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/audit/keys' })).statusCode, 401)
})

async function publicJwkOf (alg: 'EdDSA' | 'ES256', kid: string) {
  const { publicKey } = await generateKeyPair(alg, { extractable: true })
  return { ...await exportJWK(publicKey), kid }
}

async function auditKeys (app: Awaited<ReturnType<typeof build>>['app']) {
  const res = await app.inject({ method: 'GET', url: '/v1/audit/keys', headers: bearer(await token('integration', 'ITR')) })
  if (res.statusCode !== 200) throw new Error(`GET /v1/audit/keys: ${res.statusCode} ${res.body}`)
  return (res.json() as { keys: Array<JWK & { kid: string }> }).keys
}

t.test('GET /v1/audit/keys: the key that signs checkpoints first, then the retired ones, public parts only', async (t) => {
  const retired = [await publicJwkOf('ES256', 'audit-2024'), { ...await publicJwkOf('EdDSA', 'audit-2025'), alg: 'EdDSA', use: 'sig' }]
  const { app } = await build(t, { env: { WORKERS: 'off', AUDIT_RETIRED_JWKS: JSON.stringify({ keys: retired }) } })
  const before = await auditKeys(app)
  await appendEvents(app, 2)
  await app.sealer.sealPending()
  const created = await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: bearer(await token('admin', 'ITR')) })
  t.equal(created.statusCode, 201)
  const checkpoint = created.json() as CheckpointBody
  const keys = await auditKeys(app)
  t.same(keys, before, 'the same set before and after the first checkpoint')
  t.same(keys.map((k) => k.kid), [checkpoint.key.kid, 'audit-2024', 'audit-2025'])
  t.same(keys[0], { kty: 'OKP', crv: 'Ed25519', x: checkpoint.key.x, kid: checkpoint.key.kid, alg: 'EdDSA', use: 'sig' })
  t.same(keys[1], { ...retired[0], alg: 'ES256', use: 'sig' })
  t.same(keys[2], retired[1])
  for (const key of keys) t.notOk('d' in key, `no private part in ${key.kid}`)
  t.equal((await verifyJws(checkpoint, keys[0])).payload.sequence, '2', 'the listed key verifies the checkpoint')
})

t.test('GET /v1/audit/keys with AUDIT_SIGNING_JWK: the configured key once, even when also listed as retired', async (t) => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const current = { ...await exportJWK(publicKey), kid: 'audit-2026' }
  const older = await publicJwkOf('EdDSA', 'audit-2025')
  const { app } = await build(t, {
    env: {
      WORKERS: 'off',
      AUDIT_SIGNING_JWK: JSON.stringify({ ...await exportJWK(privateKey), kid: 'audit-2026', key_ops: ['sign'], ext: true }),
      AUDIT_RETIRED_JWKS: JSON.stringify({ keys: [current, older] })
    }
  })
  t.same(await auditKeys(app), [{ ...current, alg: 'ES256', use: 'sig' }, { ...older, alg: 'EdDSA', use: 'sig' }])
})

t.test('a retired key under the current key\'s kid but another key is a configuration error, not a second key', async (t) => {
  const { privateKey } = await generateKeyPair('EdDSA', { extractable: true })
  const { app } = await build(t, {
    env: {
      WORKERS: 'off',
      AUDIT_SIGNING_JWK: JSON.stringify({ ...await exportJWK(privateKey), kid: 'audit-2026' }),
      AUDIT_RETIRED_JWKS: JSON.stringify({ keys: [await publicJwkOf('EdDSA', 'audit-2026')] })
    }
  })
  const res = await app.inject({ method: 'GET', url: '/v1/audit/keys', headers: bearer(await token('integration', 'ITR')) })
  t.equal(res.statusCode, 500)
  t.notMatch(res.body, /"x"/, 'no key in the problem')
})

t.test('AUDIT_RETIRED_JWKS: public keys with a kid, checked at start', async (t) => {
  const ed = await publicJwkOf('EdDSA', 'audit-2025')
  const ec = await publicJwkOf('ES256', 'audit-2024')
  t.same(loadConfig({}).auditRetiredKeys, [])
  t.same(loadConfig({ AUDIT_RETIRED_JWKS: JSON.stringify({ keys: [ed, ec] }) }).auditRetiredKeys, [ed, ec])
  t.same(loadConfig({ AUDIT_RETIRED_JWKS: '{"keys":[]}' }).auditRetiredKeys, [])
  const { privateKey } = await generateKeyPair('EdDSA', { extractable: true })
  const cases: Array<[string, RegExp]> = [
    ['nope', /^invalid configuration: AUDIT_RETIRED_JWKS must be a JSON Web Key Set/],
    ['{"keys":{}}', /AUDIT_RETIRED_JWKS must be a JSON Web Key Set/],
    [JSON.stringify([ed]), /AUDIT_RETIRED_JWKS must be a JSON Web Key Set/],
    [JSON.stringify({ keys: [{ ...await exportJWK(privateKey), kid: 'leaked' }] }), /AUDIT_RETIRED_JWKS must list public keys only: key "leaked" has a private part \("d"\)/],
    [JSON.stringify({ keys: [{ ...ed, kid: undefined }] }), /AUDIT_RETIRED_JWKS key 1 has no "kid"/],
    [JSON.stringify({ keys: [ed, { ...ec, kid: 'audit-2025' }] }), /AUDIT_RETIRED_JWKS lists kid "audit-2025" twice/],
    [JSON.stringify({ keys: [{ kty: 'RSA', n: 'n', e: 'AQAB', kid: 'rsa' }] }), /AUDIT_RETIRED_JWKS key "rsa" is not an Ed25519 \(OKP\) or P-256 \(EC\) key/],
    [JSON.stringify({ keys: [{ ...ec, alg: 'EdDSA' }] }), /AUDIT_RETIRED_JWKS key "audit-2024" says alg EdDSA, but its curve signs ES256/],
    [JSON.stringify({ keys: [{ ...ed, use: 'enc' }] }), /AUDIT_RETIRED_JWKS key "audit-2025" says use enc, not sig/],
    [JSON.stringify({ keys: [{ ...ec, y: ec.x }] }), /AUDIT_RETIRED_JWKS key "audit-2024" is not a valid public key/]
  ]
  for (const [value, message] of cases) {
    t.throws(() => loadConfig({ AUDIT_RETIRED_JWKS: value }), { name: 'ConfigError', message }, value)
  }
})

t.test('AUDIT_SIGNING_JWK: checkpoints are signed with the configured key', async (t) => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const privateJwk = { ...await exportJWK(privateKey), kid: 'audit-2026' }
  const { app } = await build(t, { env: { WORKERS: 'off', AUDIT_SIGNING_JWK: JSON.stringify(privateJwk) } })
  await appendEvents(app, 1)
  await app.sealer.sealPending()
  const res = await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: bearer(await token('admin', 'ITR')) })
  t.equal(res.statusCode, 201)
  const checkpoint = res.json() as CheckpointBody
  t.match(checkpoint.key, { kty: 'EC', crv: 'P-256', kid: 'audit-2026', alg: 'ES256' })
  t.notOk('d' in checkpoint.key)
  // verifies with the operator's own copy of the public key, not only the one in the answer
  const { payload } = await verifyJws(checkpoint, { ...await exportJWK(publicKey), alg: 'ES256' })
  t.equal(payload.sequence, '1')
})

t.test('the signing key: generated once into the data folder, or kept in memory for pglite://memory', async (t) => {
  const dir = t.testdir({})
  const file = join(dir, 'keys', 'audit-signing-key.json')
  const first = await checkpointSigner({ mode: 'file', file })()
  const second = await checkpointSigner({ mode: 'file', file })()
  t.equal(second.kid, first.kid, 'the same key after a restart')
  t.equal(statSync(file).mode & 0o777, 0o600)
  const getter = checkpointSigner({ mode: 'memory' })
  t.equal(await getter(), await getter(), 'one key per process')
  t.not((await checkpointSigner({ mode: 'memory' })()).kid, first.kid)

  t.same(loadConfig({ DATABASE_URL: 'pglite://memory' }).auditSigningKey, { mode: 'memory' })
  t.same(loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://u@h/d' }).auditSigningKey, { mode: 'file', file: join(dir, 'audit-signing-key.json') })
  t.match(loadConfig({ AUDIT_SIGNING_JWK: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'd' }) }).auditSigningKey, { mode: 'jwk', jwk: { kty: 'OKP', d: 'd' } })
  for (const bad of ['nope', '{"kty":"OKP","crv":"Ed25519","x":"x"}', '{"kty":"RSA","d":"d"}']) {
    t.throws(() => loadConfig({ AUDIT_SIGNING_JWK: bad }), { name: 'ConfigError', message: /AUDIT_SIGNING_JWK must be a private JSON Web Key/ }, bad)
  }
  t.equal(loadConfig({}).workers, true)
  t.equal(loadConfig({ WORKERS: 'off' }).workers, false)
  t.throws(() => loadConfig({ WORKERS: 'no' }), { name: 'ConfigError', message: /WORKERS/ })
})

t.test('the scheduled worker signs when the head has moved, and only then', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const worker = new CheckpointWorker({ database: app.database, signer: app.checkpointSigner, intervalMs: 20 })
  t.teardown(() => worker.stop())
  worker.start()
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(await count(app, 'audit_checkpoints'), 0, 'no events, no checkpoint')
  await appendEvents(app, 2)
  await app.sealer.sealPending()
  const waitFor = async (n: number) => {
    const deadline = Date.now() + 10_000
    while (await count(app, 'audit_checkpoints') < n && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  }
  await waitFor(1)
  await new Promise((resolve) => setTimeout(resolve, 150))
  t.equal(await count(app, 'audit_checkpoints'), 1, 'one checkpoint while the head stays put')
  await appendEvents(app, 1)
  await app.sealer.sealPending()
  await waitFor(2)
  t.equal(await count(app, 'audit_checkpoints'), 2)
  await worker.stop()
})
