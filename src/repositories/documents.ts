import { and, asc, eq, gte, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/client.ts'
import { documentChunks, documents } from '../db/schema/index.ts'

export type DocumentRow = typeof documents.$inferSelect

/** A document-added event as verification reads it: its place in the chain and its stored body. */
export interface DocumentEventRow { sequence: string, body: string }

/**
 * A project's documents and their bytes. Not scoped by caller: every use case first reads the
 * project through ProjectRepository (which is), and passes its id here.
 */
export class DocumentRepository {
  readonly #db: Db

  constructor (db: Db) {
    this.#db = db
  }

  /** A project's documents in upload order, oldest first. */
  async list (projectId: string): Promise<DocumentRow[]> {
    return this.#db.select().from(documents).where(eq(documents.projectId, projectId))
      .orderBy(asc(documents.uploadedAt), asc(documents.id))
  }

  /** One document of the project, or undefined (also when it is another project's). */
  async get (projectId: string, documentId: string): Promise<DocumentRow | undefined> {
    const [row] = await this.#db.select().from(documents)
      .where(and(eq(documents.projectId, projectId), eq(documents.id, documentId))).limit(1)
    return row
  }

  /** The document that supersedes `documentId`, if one does. */
  async successor (documentId: string): Promise<Pick<DocumentRow, 'id' | 'filename'> | undefined> {
    const [row] = await this.#db.select({ id: documents.id, filename: documents.filename }).from(documents)
      .where(eq(documents.supersedes, documentId)).limit(1)
    return row
  }

  async insertChunk (documentId: string, seq: number, bytes: Buffer): Promise<void> {
    await this.#db.insert(documentChunks).values({ documentId, seq, bytes })
  }

  async insert (row: typeof documents.$inferInsert): Promise<DocumentRow> {
    const [inserted] = await this.#db.insert(documents).values(row).returning()
    return inserted!
  }

  /** Up to `limit` chunks of a document from `fromSeq` on, in order. */
  async chunks (documentId: string, fromSeq: number, limit: number): Promise<Array<{ seq: number, bytes: Buffer }>> {
    return this.#db.select({ seq: documentChunks.seq, bytes: documentChunks.bytes }).from(documentChunks)
      .where(and(eq(documentChunks.documentId, documentId), gte(documentChunks.seq, fromSeq)))
      .orderBy(asc(documentChunks.seq)).limit(limit)
  }

  /** Sealed `itraad.document.added` events after `after` (a sequence), in sequence order. */
  async sealedEvents (after: string, limit: number): Promise<DocumentEventRow[]> {
    return queryRows<DocumentEventRow>(this.#db, sql`
      select c.sequence::text as sequence, e.body
      from audit_events e join audit_chain c on c.event_pos = e.pos
      where e.type = 'itraad.document.added' and c.sequence > ${after}::bigint
      order by c.sequence limit ${limit}`)
  }

  /** A document whose event is missing (or is no document-added event): it was not added by the service. */
  async firstWithoutEvent (): Promise<Pick<DocumentRow, 'id' | 'filename'> | undefined> {
    const [row] = await queryRows<Pick<DocumentRow, 'id' | 'filename'>>(this.#db, sql`
      select d.id, d.filename from documents d
      where not exists (select 1 from audit_events e where e.id = d.event_id and e.type = 'itraad.document.added')
      order by d.uploaded_at, d.id limit 1`)
    return row
  }

  /** A document row by id, whichever project it belongs to (verification). */
  async byId (documentId: string): Promise<DocumentRow | undefined> {
    const [row] = await this.#db.select().from(documents).where(eq(documents.id, documentId)).limit(1)
    return row
  }
}
