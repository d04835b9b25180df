import { Readable } from 'node:stream'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { notFound } from '../../errors.ts'
import { DocumentRepository, type DocumentRow } from '../../repositories/documents.ts'
import type { Document } from '../../schemas/documents.ts'
import { findVisibleProject } from '../projects/access.ts'
import { requireDocumentReader } from '../review/access.ts'
import { toDocument } from './representation.ts'

/** Chunk rows read per query while a document streams out: 1 MiB at a time. */
const CHUNKS_PER_READ = 4

/** GET /v1/projects/{id}/documents: oldest first (upload order), for those who may read them. */
export async function listDocuments (db: Db, caller: Caller, projectId: string): Promise<{ items: Document[] }> {
  const project = await findVisibleProject(db, caller, projectId)
  await requireDocumentReader(db, caller, project)
  return { items: (await new DocumentRepository(db).list(project.id)).map(toDocument) }
}

/** One document's metadata, for the download's headers (404 for another project's document id). */
export async function findDocument (db: Db, caller: Caller, projectId: string, documentId: string): Promise<DocumentRow> {
  const project = await findVisibleProject(db, caller, projectId)
  await requireDocumentReader(db, caller, project)
  const row = await new DocumentRepository(db).get(project.id, documentId)
  if (row === undefined) throw notFound('document')
  return row
}

/**
 * A document's bytes as a stream that reads its chunk rows in order, a few at a time, as the
 * client takes them: never the whole document in memory. Chunks never change, so the reads need
 * no transaction between them.
 */
export function documentBytes (db: Db, documentId: string): Readable {
  const documents = new DocumentRepository(db)
  return Readable.from((async function * () {
    for (let next = 0; ;) {
      const rows = await documents.chunks(documentId, next, CHUNKS_PER_READ)
      for (const row of rows) yield row.bytes
      if (rows.length < CHUNKS_PER_READ) return
      next = rows.at(-1)!.seq + 1
    }
  })(), { objectMode: false })
}
