import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { calculateJwkThumbprint, CompactSign, exportJWK, generateKeyPair, type JWSHeaderParameters } from 'jose'
import t, { type Test } from 'tap'
import { queryRows } from '../../src/db/client.ts'
import { chainHash, GENESIS_HASH } from '../../src/modules/audit/chain.ts'
import { verifyChain } from '../../src/modules/audit/verify.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { appendEvents, tamper } from './helpers.ts'

// Each test builds its own app on a fresh database: minutes on a busy machine.
t.setTimeout(600_000)

async function verify (app: FastifyInstance) {
  const res = await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(await token('admin', 'ITR')) })
  if (res.statusCode !== 200) throw new Error(`verify: ${res.statusCode} ${res.body}`)
  return res.json() as { ok: boolean, events?: number, firstInvalidSequence?: string, reason?: string }
}

async function checkpoint (app: FastifyInstance) {
  const res = await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: bearer(await token('admin', 'ITR')) })
  if (res.statusCode !== 201) throw new Error(`checkpoint: ${res.statusCode} ${res.body}`)
}

/** A fresh app with six sealed events (in two sealing runs). */
async function sixEvents (t: Test) {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  await appendEvents(app, 3)
  await app.sealer.sealPending()
  await appendEvents(app, 3)
  await app.sealer.sealPending()
  return app
}

const posOf = (sequence: number) => `(select event_pos from audit_chain where sequence = ${sequence})`

t.test('an untouched chain verifies, in batches too', async (t) => {
  const app = await sixEvents(t)
  t.same(await verify(app), { ok: true, events: 6 })
  t.same(await verifyChain(app.database, { batchSize: 2 }), { ok: true, events: 6 })
  t.same(await verifyChain(app.database, { batchSize: 6 }), { ok: true, events: 6 })
  // events still queued for sealing are fine
  await appendEvents(app, 2)
  t.same(await verify(app), { ok: true, events: 6 })
  await checkpoint(app)
  t.same(await verify(app), { ok: true, events: 6 })
  // Without the pinned keys there is nothing a checkpoint's signature could be checked against.
  t.match(await verifyChain(app.database), { ok: false, firstInvalidSequence: '6', reason: /which is not one of this service's audit keys/ })
})

t.test('the links PostgreSQL seals are the ones verification recomputes, whatever the text', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  // Multi-byte and astral characters, JSON escapes, a body too large to be stored inline, and
  // sequences of one and two digits; in several sealing runs, each continuing from the last head.
  const texts = ['Rådsbehandling påkrævet', 'sne ☃ og 😀', 'linje\nskift, "citat", \\ og \u2028', 'x'.repeat(20_000)]
  for (const text of texts) {
    await appendEvents(app, 3, { data: { text } })
    await app.sealer.sealPending()
  }
  const links = await queryRows<{ sequence: string, hash: string, prevhash: string, body: string }>(app.db, sql`
    select c.sequence::text as sequence, c.hash, c.prevhash, e.body
    from audit_chain c join audit_events e on e.pos = c.event_pos order by c.sequence`)
  t.same(links.map((l) => l.sequence), Array.from({ length: 12 }, (_, i) => String(i + 1)))
  let prevhash = GENESIS_HASH
  for (const link of links) {
    t.equal(link.prevhash, prevhash, `link ${link.sequence} follows the one before`)
    t.equal(link.hash, chainHash(prevhash, link.sequence, link.body), `link ${link.sequence} is the hash chainHash computes`)
    prevhash = link.hash
  }
  t.same(await verify(app), { ok: true, events: 12 })
})

t.test('an empty chain verifies', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  t.same(await verify(app), { ok: true, events: 0 })
})

t.test('only admins verify', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  for (const role of ['integration', 'secretariat', 'submitter'] as const) {
    t.equal((await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(await token(role, 'ITR')) })).statusCode, 403, role)
  }
})

t.test('the audit tables refuse changes to the service', async (t) => {
  const app = await sixEvents(t)
  const refused = { cause: { message: /append-only/ } }
  await t.rejects(app.db.execute(sql`update audit_chain set hash = 'x' where sequence = 1`), refused)
  await t.rejects(app.db.execute(sql`delete from audit_chain where sequence = 6`), refused)
  await t.rejects(app.db.execute(sql`update audit_events set body = '{}' where pos = ${sql.raw(posOf(2))}`), refused)
  await checkpoint(app)
  await t.rejects(app.db.execute(sql`delete from audit_checkpoints`), refused)
  t.same(await verify(app), { ok: true, events: 6 })
})

// Each case tampers as a superuser would (triggers and foreign keys off) and must be caught.
const cases: Array<{ name: string, checkpoint?: boolean, statements: string[], sequence: string, reason: RegExp }> = [
  {
    name: 'a changed event body',
    statements: [`update audit_events set body = replace(body, 'Testhændelse', 'Ændret') where pos = ${posOf(3)}`],
    sequence: '3',
    reason: /hash of sequence 3 does not match its event/
  },
  {
    name: 'a changed hash (the next link no longer fits)',
    statements: ['update audit_chain set hash = repeat(\'a\', 64) where sequence = 2'],
    sequence: '2',
    reason: /hash of sequence 2 does not match/
  },
  {
    name: 'a deleted chain row',
    statements: ['delete from audit_chain where sequence = 4'],
    sequence: '4',
    reason: /sequence 4 is missing from the chain \(the next present is 5\)/
  },
  {
    name: 'a deleted event',
    statements: [`delete from audit_events where pos = ${posOf(2)}`],
    sequence: '2',
    reason: /the event sealed at sequence 2 is missing/
  },
  {
    // Two faults: the earlier is named.
    name: 'a changed event before a deleted chain row',
    statements: [`update audit_events set body = replace(body, 'Testhændelse', 'Ændret') where pos = ${posOf(2)}`, 'delete from audit_chain where sequence = 5'],
    sequence: '2',
    reason: /hash of sequence 2 does not match/
  },
  {
    name: 'a deleted chain row before a changed event',
    statements: ['delete from audit_chain where sequence = 2', `update audit_events set body = replace(body, 'Testhændelse', 'Ændret') where pos = ${posOf(5)}`],
    sequence: '2',
    reason: /sequence 2 is missing from the chain/
  },
  {
    name: 'a deleted event with its chain row',
    statements: [`delete from audit_events where pos = ${posOf(5)}`, 'delete from audit_chain where sequence = 5'],
    sequence: '5',
    reason: /sequence 5 is missing/
  },
  {
    name: 'an inserted event that is neither chained nor queued',
    statements: ['insert into audit_events (id, type, body) values (\'00000000-0000-4000-8000-000000000001\', \'itraad.project.alert\', \'{}\')'],
    sequence: '7',
    reason: /event 00000000-0000-4000-8000-000000000001 is neither in the chain nor queued/
  },
  {
    // Counting events against chain and queue rows must not let the second hide the first.
    name: 'an inserted event, and a sealed one queued again',
    statements: [
      'insert into audit_events (id, type, body) values (\'00000000-0000-4000-8000-000000000001\', \'itraad.project.alert\', \'{}\')',
      `insert into audit_unsealed (pos) values (${posOf(3)})`
    ],
    sequence: '7',
    reason: /event 00000000-0000-4000-8000-000000000001 is neither in the chain nor queued/
  },
  {
    name: 'an inserted event in the middle (renumbered, not rehashed)',
    statements: [
      'insert into audit_events (id, type, body) values (\'00000000-0000-4000-8000-000000000002\', \'itraad.project.alert\', \'{"forged":true}\')',
      'create temporary table moved on commit drop as select * from audit_chain where sequence >= 4',
      'delete from audit_chain where sequence >= 4',
      'insert into audit_chain (sequence, event_pos, hash, prevhash) select sequence + 1, event_pos, hash, prevhash from moved',
      'insert into audit_chain (sequence, event_pos, hash, prevhash) select 4, pos, (select hash from moved where sequence = 4), (select prevhash from moved where sequence = 4) from audit_events where id = \'00000000-0000-4000-8000-000000000002\''
    ],
    sequence: '4',
    reason: /hash of sequence 4 does not match/
  },
  {
    name: 'a link appended with a wrong prevhash',
    statements: [
      'insert into audit_events (id, type, body) values (\'00000000-0000-4000-8000-000000000003\', \'itraad.project.alert\', \'{}\')',
      'insert into audit_chain (sequence, event_pos, hash, prevhash) select 7, pos, repeat(\'b\', 64), repeat(\'c\', 64) from audit_events where id = \'00000000-0000-4000-8000-000000000003\''
    ],
    sequence: '7',
    reason: /prevhash of sequence 7 is not the hash of sequence 6/
  },
  {
    name: 'a cut-off tail (the latest checkpoint names sequence 6)',
    checkpoint: true,
    statements: [`delete from audit_events where pos in (${posOf(5)}, ${posOf(6)})`, 'delete from audit_chain where sequence >= 5'],
    sequence: '5',
    reason: /the chain ends at sequence 4 but the latest signed checkpoint vouches for sequence 6: events were cut off/
  },
  {
    name: 'a forged checkpoint row',
    checkpoint: true,
    statements: ['update audit_checkpoints set hash = repeat(\'d\', 64)'],
    sequence: '6',
    reason: /row does not match what it signed/
  },
  {
    name: 'a checkpoint with a broken signature',
    checkpoint: true,
    statements: ['update audit_checkpoints set jws = regexp_replace(jws, \'\\.[^.]*$\', \'.AAAA\')'],
    sequence: '6',
    reason: /the signature does not verify/
  }
]

for (const c of cases) {
  t.test(`verification catches ${c.name}`, async (t) => {
    const app = await sixEvents(t)
    if (c.checkpoint) await checkpoint(app)
    t.same(await verify(app), { ok: true, events: 6 }, 'intact before')
    await tamper(app, ...c.statements)
    const result = await verify(app)
    t.match(result, { ok: false, firstInvalidSequence: c.sequence, reason: c.reason })
    // Smaller batches, read ahead two at a time: the first failure is the same wherever batches end.
    const trustedKeys = await app.trustedAuditKeys()
    for (const batchSize of [1, 2, 4]) t.same(await verifyChain(app.database, { batchSize, trustedKeys }), result, `the same answer in batches of ${batchSize}`)
  })
}

/** The attacker replaces event 5's body and recomputes every later link correctly; returns the new head hash. */
async function rewriteFromFive (app: FastifyInstance): Promise<string> {
  const rows = await queryRows<{ sequence: string, body: string, pos: string, prevhash: string }>(app.db, sql`
    select c.sequence::text as sequence, e.body, e.pos::text as pos, c.prevhash from audit_chain c join audit_events e on e.pos = c.event_pos where c.sequence >= 5 order by c.sequence`)
  let prev = rows[0]!.prevhash
  for (const row of rows) {
    const body = row.sequence === '5' ? row.body.replace('Testhændelse', 'Omskrevet') : row.body
    const hash = createHash('sha256').update(`${prev}\n${row.sequence}\n${body}`).digest('hex')
    await tamper(app, `update audit_events set body = '${body.replaceAll('\'', '\'\'')}' where pos = ${row.pos}`)
    await tamper(app, `update audit_chain set hash = '${hash}', prevhash = '${prev}' where sequence = ${row.sequence}`)
    prev = hash
  }
  return prev
}

t.test('verification catches a rewritten, fully rehashed suffix through the signed checkpoint', async (t) => {
  const app = await sixEvents(t)
  await checkpoint(app)
  await rewriteFromFive(app)
  t.match(await verify(app), { ok: false, firstInvalidSequence: '6', reason: /differs from the one the latest signed checkpoint vouches for/ })
})

/** Signs `{sequence, hash, time}` as a checkpoint with `key` and puts it in place of every checkpoint, as a superuser could. */
async function replaceCheckpoints (app: FastifyInstance, head: { sequence: string, hash: string }, key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'], header: JWSHeaderParameters & { alg: string }) {
  const time = new Date().toISOString()
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ sequence: head.sequence, hash: head.hash, time })))
    .setProtectedHeader(header)
    .sign(key)
  await tamper(app, 'delete from audit_checkpoints',
    `insert into audit_checkpoints (sequence, hash, jws, created_at) values (${head.sequence}, '${head.hash}', '${jws}', '${time}')`)
}

async function realKid (app: FastifyInstance): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/v1/audit/checkpoints?limit=1', headers: bearer(await token('admin', 'ITR')) })
  const kid = (res.json() as { items: Array<{ key: { kid?: string } }> }).items[0]?.key.kid
  if (!kid) throw new Error(`no checkpoint to take the kid from: ${res.body}`)
  return kid
}

t.test('a checkpoint signed with any key but the service\'s is not trusted, whatever its header says', async (t) => {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true })
  const foreignJwk = await exportJWK(publicKey)
  const foreignKid = await calculateJwkThumbprint(foreignJwk)
  const forgeries: Array<{ name: string, header: (kid: string) => JWSHeaderParameters & { alg: string }, reason: RegExp }> = [
    { name: 'its own key and kid in the header', header: () => ({ alg: 'EdDSA', kid: foreignKid, jwk: foreignJwk }), reason: /the signature is by key ".+", which is not one of this service's audit keys/ },
    { name: 'the service\'s kid with its own key in the header', header: (kid) => ({ alg: 'EdDSA', kid, jwk: foreignJwk }), reason: /the signature's header carries a public key other than the service's key ".+"/ },
    { name: 'the service\'s kid and no key in the header', header: (kid) => ({ alg: 'EdDSA', kid }), reason: /the signature does not verify with the service's key ".+"/ },
    { name: 'no kid', header: () => ({ alg: 'EdDSA', jwk: foreignJwk }), reason: /the signature names no key/ },
    { name: 'the service\'s kid and a header key that is no key', header: (kid) => ({ alg: 'EdDSA', kid, jwk: null as unknown as JWSHeaderParameters['jwk'] }), reason: /the signature's header carries a public key other than the service's key/ }
  ]
  for (const forgery of forgeries) {
    t.test(forgery.name, async (t) => {
      const app = await sixEvents(t)
      await checkpoint(app)
      const kid = await realKid(app)
      // The whole attack: rewrite the chain, then vouch for the new head with a checkpoint of one's own.
      const hash = await rewriteFromFive(app)
      await replaceCheckpoints(app, { sequence: '6', hash }, privateKey, forgery.header(kid))
      const result = await verify(app)
      t.match(result, { ok: false, firstInvalidSequence: '6', reason: /^the latest checkpoint \(sequence 6\): the signature/ })
      t.match(result.reason, forgery.reason)
    })
  }
})

t.test('a checkpoint signed with a retired key listed in AUDIT_RETIRED_JWKS still verifies', async (t) => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const retired = { ...await exportJWK(publicKey), kid: 'audit-2025' }
  const { app } = await build(t, { env: { WORKERS: 'off', AUDIT_RETIRED_JWKS: JSON.stringify({ keys: [retired] }) } })
  await appendEvents(app, 6)
  await app.sealer.sealPending()
  const [head] = await queryRows<{ sequence: string, hash: string }>(app.db, sql`select sequence::text as sequence, hash from audit_chain order by sequence desc limit 1`)
  // Signed before the key was rotated out; the header carries the same public key, as the service's own do.
  await replaceCheckpoints(app, head!, privateKey, { alg: 'ES256', kid: 'audit-2025', jwk: await exportJWK(publicKey) })
  t.same(await verify(app), { ok: true, events: 6 })
  // The same checkpoint with a tampered head is still caught.
  await tamper(app, 'update audit_checkpoints set hash = repeat(\'e\', 64)')
  t.match(await verify(app), { ok: false, firstInvalidSequence: '6', reason: /row does not match what it signed/ })
})
