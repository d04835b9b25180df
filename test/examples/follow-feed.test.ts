import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { exportJWK, generateKeyPair } from 'jose'
import t, { type Test } from 'tap'
import { queryRows } from '../../src/db/client.ts'
import { ROOT_DIR } from '../../src/paths.ts'
import { feedPage, tamper } from '../audit/helpers.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { submitProject } from '../helpers/fixtures.ts'

// Fresh databases and a child process per run: minutes on a busy machine.
t.setTimeout(600_000)

const SCRIPT = join(ROOT_DIR, 'examples', 'follow-feed.mjs')

interface Follower {
  app: FastifyInstance
  base: string
  /** A state file of this test's own (not there yet). */
  stateFile: () => string
}

/** The real service listening on a port, with the sealer run by hand (WORKERS off): nothing depends on timing. */
async function service (t: Test): Promise<Follower> {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const dir = mkdtempSync(join(tmpdir(), 'council-gate-follow-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  let files = 0
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, stateFile: () => join(dir, `state-${++files}.json`) }
}

/** Submits `count` projects (one event each at least), seals them and signs a checkpoint of the head; returns the head. */
async function writeEvents (t: Test, app: FastifyInstance, count: number): Promise<number> {
  for (let i = 0; i < count; i++) await submitProject(app)
  await app.sealer.sealPending()
  const checkpoint = await app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: bearer(await token('admin', 'ITR')) })
  t.equal(checkpoint.statusCode, 201, 'a checkpoint of the new head')
  return Number((checkpoint.json() as { sequence: string }).sequence)
}

interface Run { sequences: number[], lines: string[], stderr: string, code: number | null }

/**
 * Runs the example as an integrator would: its own Node process, the token in the environment.
 * `stopAfterFirstLine` sends SIGTERM as soon as it has printed one event.
 */
async function follow ({ base }: Follower, stateFile: string, args: string[], opts: { stopAfterFirstLine?: boolean } = {}): Promise<Run> {
  const env = { PATH: process.env.PATH, COUNCIL_GATE_TOKEN: await token('integration', 'ITR') }
  const child = spawn(process.execPath, [SCRIPT, '--url', base, '--state', stateFile, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line)
    if (opts.stopAfterFirstLine === true && lines.length === 1) child.kill('SIGTERM')
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  return { sequences: lines.map((line) => Number(line.split(' ')[0])), lines, stderr, code }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

function storedState (file: string): { position: string, hash: string, keys: Array<{ kid: string }> } {
  return JSON.parse(readFileSync(file, 'utf8'))
}

t.test('follows the feed from its state file: every event once, in order, across restarts', async (t) => {
  const follower = await service(t)
  const { app } = follower
  const stateFile = follower.stateFile()

  // 1. from an empty state: everything up to the head, one line per event with its Danish description
  const first = await writeEvents(t, app, 3)
  const run1 = await follow(follower, stateFile, ['--once'])
  t.equal(run1.code, 0, run1.stderr)
  t.same(run1.sequences, range(1, first))
  t.match(run1.lines[0], /^1 itraad\.project\.submitted \S/)
  const keys = (await app.inject({ method: 'GET', url: '/v1/audit/keys', headers: bearer(await token('integration', 'ITR')) })).json()
  t.same(storedState(stateFile).keys, keys.keys, 'the checkpoint keys are pinned in the state file')

  // 2. restarted after more events: only the new ones, from where it left off
  const second = await writeEvents(t, app, 2)
  t.ok(second > first)
  const run2 = await follow(follower, stateFile, ['--once', '--limit', '2'])
  t.equal(run2.code, 0, run2.stderr)
  t.same(run2.sequences, range(first + 1, second))

  // 3. at the head: nothing again
  const run3 = await follow(follower, stateFile, ['--once'])
  t.equal(run3.code, 0, run3.stderr)
  t.same(run3.lines, [])
  const head = (await feedPage(app, `after=${second - 1}`)).items[0]!
  t.match(storedState(stateFile), { position: String(second), hash: head.hash })
})

t.test('a follower stopped mid-way resumes where it stopped: nothing lost, nothing repeated', async (t) => {
  const follower = await service(t)
  const stateFile = follower.stateFile()
  const head = await writeEvents(t, follower.app, 12)

  // Following (not --once), a page of one event at a time, stopped as soon as it has printed one.
  const stopped = await follow(follower, stateFile, ['--limit', '1'], { stopAfterFirstLine: true })
  t.equal(stopped.code, 0, stopped.stderr)
  t.ok(stopped.lines.length >= 1)
  t.comment(`stopped after ${stopped.lines.length} of ${head} events`)
  t.equal(storedState(stateFile).position, String(stopped.sequences.at(-1)), 'it stored the last event it handled')

  const resumed = await follow(follower, stateFile, ['--once', '--limit', '1'])
  t.equal(resumed.code, 0, resumed.stderr)
  t.same([...stopped.sequences, ...resumed.sequences], range(1, head))
})

/** The attacker rewrites event `from`'s description (a submission's) and recomputes every later link correctly. */
async function rewriteFrom (app: FastifyInstance, from: number): Promise<void> {
  const rows = await queryRows<{ sequence: string, body: string, pos: string, prevhash: string }>(app.db, sql`
    select c.sequence::text as sequence, e.body, e.pos::text as pos, c.prevhash
    from audit_chain c join audit_events e on e.pos = c.event_pos where c.sequence >= ${from} order by c.sequence`)
  let prev = rows[0]!.prevhash
  for (const row of rows) {
    const body = row.sequence === String(from) ? row.body.replace('indsendt af', 'omskrevet af') : row.body
    const hash = createHash('sha256').update(`${prev}\n${row.sequence}\n${body}`).digest('hex')
    await tamper(app,
      `update audit_events set body = '${body.replaceAll('\'', '\'\'')}' where pos = ${row.pos}`,
      `update audit_chain set hash = '${hash}', prevhash = '${prev}' where sequence = ${row.sequence}`)
    prev = hash
  }
}

t.test('a bad checkpoint or a broken chain stops it with a clear message, before it handles anything past it', async (t) => {
  const follower = await service(t)
  const { app } = follower
  const head = await writeEvents(t, app, 4)
  const [serviceKey] = (await app.inject({ method: 'GET', url: '/v1/audit/keys', headers: bearer(await token('integration', 'ITR')) })).json().keys
  const genesis = { position: '0', hash: '0'.repeat(64) }

  // 1. a pinned key that is not the service's, under the service's kid: the signature does not verify
  const { publicKey } = await generateKeyPair('EdDSA')
  const wrongKey = { ...await exportJWK(publicKey), kid: serviceKey.kid, alg: 'EdDSA', use: 'sig' }
  const wrongKeyState = follower.stateFile()
  writeFileSync(wrongKeyState, JSON.stringify({ ...genesis, keys: [wrongKey] }))
  const wrong = await follow(follower, wrongKeyState, ['--once'])
  t.equal(wrong.code, 1)
  t.same(wrong.lines, [], 'nothing handled')
  t.match(wrong.stderr, `follow-feed: stopped after event 0: checkpoint ${head}: the signature does not verify with pinned key ${serviceKey.kid}`)
  t.equal(storedState(wrongKeyState).position, '0')

  // 2. no pinned key of the checkpoint's kid (keys written by hand before the first run)
  const otherKidState = follower.stateFile()
  writeFileSync(otherKidState, JSON.stringify({ keys: [{ ...serviceKey, kid: 'another-key' }] }))
  const otherKid = await follow(follower, otherKidState, ['--once'])
  t.equal(otherKid.code, 1)
  t.same(otherKid.lines, [])
  t.match(otherKid.stderr, `checkpoint ${head} is signed by a key that is not pinned: ask the operator`)
  t.match(storedState(otherKidState), { position: '0', keys: [{ kid: 'another-key' }] }, 'the keys written by hand stay pinned')

  // 3. a follower that had handled event 1 when the chain was rewritten from event 2 on, every
  //    link recomputed: the links agree, the checkpoint does not
  const rewrittenState = follower.stateFile()
  writeFileSync(rewrittenState, JSON.stringify({ position: '1', hash: (await feedPage(app, 'limit=1')).items[0]!.hash, keys: [serviceKey] }))
  await rewriteFrom(app, 2)
  const rewritten = await follow(follower, rewrittenState, ['--once'])
  t.equal(rewritten.code, 1)
  t.same(rewritten.lines, [], 'nothing of the rewritten chain handled')
  t.match(rewritten.stderr, `follow-feed: stopped after event 1: checkpoint ${head} vouches for another chain: events were rewritten`)

  // 4. a changed event whose link was not recomputed: events before it are handled, it is not
  const event3 = (await feedPage(app, 'after=2&limit=1')).items[0]!
  await tamper(app, `update audit_events set body = replace(body, '"description":"', '"description":"Ændret: ') where id = '${event3.id}'`)
  const broken = await follow(follower, follower.stateFile(), ['--once', '--limit', '1'])
  t.equal(broken.code, 1)
  t.same(broken.sequences, [1, 2])
  t.match(broken.stderr, 'follow-feed: stopped after event 2: event 3: its hash does not match its content')
})
