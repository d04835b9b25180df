import { hash } from 'node:crypto'

/** prevhash of the first event in the chain. */
export const GENESIS_HASH = '0'.repeat(64)

let scratch = Buffer.allocUnsafe(16 * 1024)

/**
 * hash = sha256hex(prevhash + "\n" + sequence + "\n" + body), as verification recomputes it. The
 * sealer computes the same inside PostgreSQL (`audit_seal`, migrations/0002_audit_seal.sql), so
 * that the bodies never leave the database; test/audit/verify.test.ts holds the two together. The
 * body is the event as stored: a string, or its UTF-8 bytes (verification reads bytes, which are
 * hashed from one reused buffer instead of a string built per link).
 */
export function chainHash (prevhash: string, sequence: number | string, body: string | Buffer): string {
  // One-shot hash(): no Hash object per link (verification runs this a million times).
  if (typeof body === 'string') return hash('sha256', `${prevhash}\n${sequence}\n${body}`, 'hex')
  const head = `${prevhash}\n${sequence}\n`
  const length = head.length + body.length
  if (scratch.length < length) scratch = Buffer.allocUnsafe(2 * length)
  scratch.write(head, 0, 'latin1')
  body.copy(scratch, head.length)
  return hash('sha256', scratch.subarray(0, length), 'hex')
}
