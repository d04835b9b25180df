import { hash } from 'node:crypto'

/** prevhash of the first event in the chain. */
export const GENESIS_HASH = '0'.repeat(64)

/** hash = sha256hex(prevhash + "\n" + sequence + "\n" + body): the one definition, shared by sealing and verification. */
export function chainHash (prevhash: string, sequence: number | string, body: string): string {
  // One-shot hash(): no Hash object per link (verification runs this a million times).
  return hash('sha256', `${prevhash}\n${sequence}\n${body}`, 'hex')
}
