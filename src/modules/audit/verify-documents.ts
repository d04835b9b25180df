import { createHash } from 'node:crypto'
import type { Db } from '../../db/client.ts'
import { DocumentRepository } from '../../repositories/documents.ts'

/** Document events read per query, and chunk rows (~256 KiB each) per query while hashing. */
const EVENTS_PER_READ = 200
const CHUNKS_PER_READ = 8

export interface DocumentFailure { sequence: string, reason: string }

/**
 * The chain vouches for the bytes of the documents (DESIGN.md, "Documents are evidence"): each
 * sealed `itraad.document.added` event — whose body the chain walk has just checked — names a
 * document and the sha256 and size of its bytes. Its chunks are hashed in order, a few rows at a
 * time (memory stays flat), and must agree; a document without such an event did not come from the
 * service (named at `nextSequence`, past the chain's end). The first failure, or undefined. Events
 * not yet sealed are checked once they are.
 */
export async function verifyDocuments (db: Db, nextSequence: string): Promise<DocumentFailure | undefined> {
  const documents = new DocumentRepository(db)
  for (let after = '0'; ;) {
    const events = await documents.sealedEvents(after, EVENTS_PER_READ)
    for (const event of events) {
      const data = (JSON.parse(event.body) as { data: { documentId: string, filename: string, sha256: string, sizeBytes: number } }).data
      const name = `document ${data.documentId} ("${data.filename}")`
      const row = await documents.byId(data.documentId)
      if (row === undefined) return { sequence: event.sequence, reason: `${name}, added at sequence ${event.sequence}, is missing` }
      const hash = createHash('sha256')
      let size = 0
      for (let next = 0; ;) {
        const chunks = await documents.chunks(row.id, next, CHUNKS_PER_READ)
        for (const chunk of chunks) {
          if (chunk.seq !== next++) return { sequence: event.sequence, reason: `${name}: chunk ${next - 1} of its bytes is missing` }
          hash.update(chunk.bytes)
          size += chunk.bytes.length
        }
        if (chunks.length < CHUNKS_PER_READ) break
      }
      if (size !== data.sizeBytes || hash.digest('hex') !== data.sha256) {
        return { sequence: event.sequence, reason: `${name}: its stored bytes do not match the sha256 in its itraad.document.added event (sequence ${event.sequence})` }
      }
    }
    if (events.length < EVENTS_PER_READ) break
    after = events.at(-1)!.sequence
  }
  const stray = await documents.firstWithoutEvent()
  if (stray) return { sequence: nextSequence, reason: `document ${stray.id} ("${stray.filename}") has no itraad.document.added event: it was not added by the service` }
  return undefined
}
