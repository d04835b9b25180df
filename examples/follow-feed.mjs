// Follows the council-gate audit feed (GET /v1/events), verifies its hash chain and its signed
// checkpoints, and hands every event to handle() once, in order. Node 20 and jose; see README.md.
//   COUNCIL_GATE_TOKEN=… node follow-feed.mjs --url https://council-gate.example --state feed.json [--once]
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose'

const { values: args } = parseArgs({
  options: { url: { type: 'string' }, state: { type: 'string' }, limit: { type: 'string' }, interval: { type: 'string' }, once: { type: 'boolean' } }
})
const base = (args.url ?? process.env.COUNCIL_GATE_URL ?? '').replace(/\/$/, '')
const stateFile = args.state ?? process.env.FOLLOW_FEED_STATE ?? 'follow-feed.state.json'
const limit = Number(args.limit ?? 200) // page size, 1–200
const pollMs = 1000 * Number(args.interval ?? 5) // the wait at the head

// What to do with each verified event; here, print one line.
function handle (event) {
  console.log(`${event.sequence} ${event.type} ${event.data.description ?? ''}`)
}

/** @returns {Promise<any>} the JSON body of a 2xx answer */
async function get (path) {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${process.env.COUNCIL_GATE_TOKEN}` } })
  const body = /** @type {any} */ (await res.json().catch(() => ({})))
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${body.detail ?? body.title ?? res.statusText}`)
  return body
}

// RFC 8785 canonical JSON, the bytes the service hashed: no whitespace, keys sorted by UTF-16 code
// units, numbers and strings as JSON.stringify writes them (JSON.parse gives them back exactly).
function canonical (value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`
}
// hash = sha256hex(prevhash + "\n" + sequence + "\n" + the event without sequence, hash, prevhash).
const eventHash = (prevhash, { sequence, hash: _hash, prevhash: _prevhash, ...body }) =>
  createHash('sha256').update(`${prevhash}\n${sequence}\n${canonical(body)}`).digest('hex')

// Every checkpoint from `from` to `to` must be signed by a pinned key and vouch for the hash computed here.
async function verifyCheckpoints (from, to, hashes, keys) {
  for (let cursor = String(BigInt(to) + 1n); cursor !== null;) {
    const page = await get(`/v1/audit/checkpoints?limit=200&cursor=${cursor}`)
    for (const { sequence, jws } of page.items) {
      if (BigInt(sequence) < BigInt(from)) return
      const key = keys.find((k) => k.kid === decodeProtectedHeader(jws).kid)
      if (!key) throw new Error(`checkpoint ${sequence} is signed by a key that is not pinned: ask the operator`)
      const { payload } = await compactVerify(jws, await importJWK(key, key.alg), { algorithms: [key.alg] })
        .catch(() => { throw new Error(`checkpoint ${sequence}: the signature does not verify with pinned key ${key.kid}`) })
      const signed = JSON.parse(new TextDecoder().decode(payload))
      if (hashes.get(signed.sequence) !== signed.hash) throw new Error(`checkpoint ${sequence} vouches for another chain: events were rewritten`)
    }
    cursor = page.nextCursor
  }
}

// To a temporary file, flushed, then renamed over the old one: a crash leaves the old state or the new.
async function store (state) {
  await writeFile(`${stateFile}.tmp`, JSON.stringify(state), { flush: true })
  await rename(`${stateFile}.tmp`, stateFile)
}

// SIGINT/SIGTERM stop once the event in hand is handled and stored: nothing lost, nothing repeated. A hard
// crash (kill -9) between handle() and store() repeats that event: keep event.id with a non-idempotent effect.
const stop = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop.abort())

// The last event handled (position, hash; 64 zeros: event 1's prevhash) and the keys pinned on the first run.
const state = { position: '0', hash: '0'.repeat(64), ...(existsSync(stateFile) && JSON.parse(readFileSync(stateFile, 'utf8'))) }
try {
  state.keys ??= (await get('/v1/audit/keys')).keys
  await store(state)
  while (!stop.signal.aborted) {
    const page = await get(`/v1/events?after=${state.position}&limit=${limit}`)
    const hashes = new Map([[state.position, state.hash]]) // the whole page is verified before it is handled
    let [sequence, hash] = [BigInt(state.position), state.hash]
    for (const event of page.items) {
      if (BigInt(event.sequence) !== ++sequence) throw new Error(`event ${sequence} is missing: the feed went on with ${event.sequence}`)
      if (event.prevhash !== hash) throw new Error(`event ${sequence}: its prevhash is not the hash of event ${sequence - 1n}`)
      if (eventHash(hash, event) !== event.hash) throw new Error(`event ${sequence}: its hash does not match its content`)
      hashes.set(event.sequence, hash = event.hash)
    }
    await verifyCheckpoints(state.position, String(sequence), hashes, state.keys)
    for (const event of page.items) {
      if (stop.signal.aborted) break
      handle(event)
      await store(Object.assign(state, { position: event.sequence, hash: event.hash }))
    }
    if (page.nextCursor !== null) continue // a full page: more follows at once
    if (args.once) break
    await sleep(pollMs, undefined, { signal: stop.signal }).catch(() => {})
  }
} catch (error) { // a broken chain, a bad checkpoint, an HTTP or network error (a restart resumes safely)
  console.error(`follow-feed: stopped after event ${state.position}: ${error.message}`)
  process.exitCode = 1
}
