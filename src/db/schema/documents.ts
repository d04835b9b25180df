import { sql } from 'drizzle-orm'
import { bigint, check, customType, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core'
import { instant } from './columns.ts'
import { projects } from './projects.ts'

export const DOCUMENT_KINDS = ['pid', 'business_case', 'risk_log', 'other'] as const
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]

/** `bytea`, read as a Buffer from either driver (node-postgres gives a Buffer, PGlite a Uint8Array). */
const bytea = customType<{ data: Buffer, driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
})

/**
 * Review material a project or the secretariat uploads (API.md v1.1, "Documents"): never changed
 * or deleted; a new version names the one it `supersedes` (one successor each, so versions form a
 * line). `eventId` is the `itraad.document.added` event that carries the sha256 of the bytes:
 * verification (src/modules/audit/verify-documents.ts) checks the chunks against it.
 */
export const documents = pgTable('documents', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull().references(() => projects.id),
  kind: text('kind').$type<DocumentKind>().notNull(),
  filename: text('filename').notNull(),
  mediaType: text('media_type').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  sha256: text('sha256').notNull(),
  supersedes: uuid('supersedes').references((): AnyPgColumn => documents.id),
  uploadedBy: text('uploaded_by').notNull(),
  uploadedAt: instant('uploaded_at').notNull().defaultNow(),
  eventId: uuid('event_id').notNull().unique()
}, (t) => [
  index('documents_project_idx').on(t.projectId, t.uploadedAt),
  uniqueIndex('documents_supersedes_idx').on(t.supersedes).where(sql`supersedes is not null`),
  check('documents_kind_check', sql`${t.kind} in ('pid', 'business_case', 'risk_log', 'other')`)
])

/**
 * A document's bytes in order, ~256 KiB a row, written as the upload streams in, in the same
 * transaction as the document's row. The chunks come first (the row needs their size and
 * sha256, known at the end), so they carry no foreign key to it: the transaction keeps the two
 * together, and verification finds chunks that do not match their document's event.
 */
export const documentChunks = pgTable('document_chunks', {
  documentId: uuid('document_id').notNull(),
  seq: integer('seq').notNull(),
  bytes: bytea('bytes').notNull()
}, (t) => [primaryKey({ columns: [t.documentId, t.seq] })])
