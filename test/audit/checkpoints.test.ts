import { statSync } from 'node:fs'
import { join } from 'node:path'
import { compactVerify, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import t from 'tap'
import { loadConfig } from '../../src/config.ts'
import { checkpointSigner } from '../../src/modules/audit/checkpoints.ts'
import { CheckpointWorker } from '../../src/workers/checkpoints.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { appendEvents, count, feedPage } from './helpers.ts'

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
  const worker = new CheckpointWorker({ db: app.db, signer: app.checkpointSigner, intervalMs: 20 })
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
