import type { Database } from '../../db/client.ts'
import { CopyReader, type CopyRows } from '../../db/copy.ts'
import { AuditRepository, chainBatchSelect } from '../../repositories/audit.ts'
import { chainHash, GENESIS_HASH } from './chain.ts'
import { verifyDocuments } from './verify-documents.ts'
import { latestCheckpoint, verifyCheckpointSignature, type AuditPublicKey } from './checkpoints.ts'

/** Batches read ahead of the one being checked, each on a connection of its own. */
const READ_AHEAD = 2

export type VerifyResult =
  | { ok: true, events: number }
  | { ok: false, firstInvalidSequence: string, reason: string }

export interface VerifyOptions {
  batchSize?: number
  /**
   * The keys the latest checkpoint may be signed with (the app's `trustedAuditKeys()`). Without
   * them no checkpoint is trusted: there is no other source of keys to fall back on.
   */
  trustedKeys?: readonly AuditPublicKey[]
}

/**
 * GET /v1/audit/verify (DESIGN.md guarantee 2): recomputes every link of the chain, reading it in
 * keyset batches by sequence so memory stays flat however long the chain is, then checks that
 * every stored event is either chained or queued for sealing, and that the chain still holds
 * what the latest signed checkpoint vouches for. Names the first bad sequence.
 */
export async function verifyChain (database: Database, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const batchSize = opts.batchSize ?? 5000
  const checkpoint = await latestCheckpoint(database.db)
  let expected = 1n
  let prevhash = GENESIS_HASH
  let hashAtCheckpoint: string | undefined
  const fail = (sequence: bigint | string, reason: string): VerifyResult => ({ ok: false, firstInvalidSequence: String(sequence), reason })

  // The links in keyset batches by sequence, as bytes (src/db/copy.ts): hashing the bodies as
  // stored needs no string per body. Without parallel workers: for a keyset batch PostgreSQL plans
  // a parallel index scan whose start-up costs more than the batch (measured: 40–50 ms a batch of
  // 5,000 with, ~20 ms without).
  const reader = new CopyReader(database, { width: 4, settings: { max_parallel_workers_per_gather: '0' } })
  const batchFrom = (from: bigint) => {
    const batch = reader.read(chainBatchSelect(from, batchSize))
    batch.catch(() => {}) // awaited in its turn, unless an earlier batch already fails
    return batch
  }

  // The next READ_AHEAD batches are read while this one is checked, on as many connections: reading
  // is PostgreSQL's work and hashing ours, and reading is the slower (one batch at a time, the walk
  // waited for PostgreSQL two thirds of the time). A batch is read from where the loop would ask
  // if every batch before it checks out: each full one ends at `expected - 1`. If one does not,
  // verification fails before any batch after it is used; after a short one, the chain ends.
  const ahead: Array<Promise<CopyRows>> = []
  let nextFrom = expected
  const readAhead = () => {
    while (ahead.length < READ_AHEAD) {
      ahead.push(batchFrom(nextFrom))
      nextFrom += BigInt(batchSize)
    }
  }
  readAhead()
  for (;;) {
    const rows = await ahead.shift()!
    if (rows.count === batchSize) readAhead()
    for (let r = 0; r < rows.count; r++) {
      const sequence = rows.ascii(r, 0)!
      if (sequence !== String(expected)) return fail(expected, `sequence ${expected} is missing from the chain (the next present is ${sequence})`)
      const body = rows.bytes(r, 3)
      if (body === null) return fail(sequence, `the event sealed at sequence ${sequence} is missing`)
      if (rows.ascii(r, 2) !== prevhash) return fail(sequence, `prevhash of sequence ${sequence} is not the hash of sequence ${expected - 1n}`)
      const hash = rows.ascii(r, 1)!
      if (chainHash(prevhash, sequence, body) !== hash) return fail(sequence, `hash of sequence ${sequence} does not match its event: the event or the link was changed`)
      if (checkpoint && sequence === checkpoint.sequence) hashAtCheckpoint = hash
      prevhash = hash
      expected++
    }
    if (rows.count < batchSize) break
  }
  const last = expected - 1n

  // An event that is neither chained nor queued did not come from the service's writers.
  const orphan = await new AuditRepository(database.db).firstOrphan()
  if (orphan) return fail(orphan.nextSequence ?? last + 1n, `event ${orphan.id} is neither in the chain nor queued for sealing: it was inserted outside the service`)

  if (checkpoint) {
    const signed = await verifyCheckpointSignature(checkpoint, opts.trustedKeys ?? [])
    if ('error' in signed) return fail(checkpoint.sequence, `the latest checkpoint (sequence ${checkpoint.sequence}): ${signed.error}`)
    if (signed.payload.sequence !== checkpoint.sequence || signed.payload.hash !== checkpoint.hash) {
      return fail(checkpoint.sequence, `the latest checkpoint's row does not match what it signed (sequence ${signed.payload.sequence})`)
    }
    if (BigInt(checkpoint.sequence) > last) {
      return fail(last + 1n, `the chain ends at sequence ${last} but the latest signed checkpoint vouches for sequence ${checkpoint.sequence}: events were cut off`)
    }
    if (hashAtCheckpoint !== checkpoint.hash) {
      return fail(checkpoint.sequence, `hash of sequence ${checkpoint.sequence} differs from the one the latest signed checkpoint vouches for`)
    }
  }
  // The bytes of the documents, against the sha256 their (now verified) events carry.
  const document = await verifyDocuments(database.db, String(last + 1n))
  if (document) return fail(document.sequence, document.reason)
  return { ok: true, events: Number(last) }
}
