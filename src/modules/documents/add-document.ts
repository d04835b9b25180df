import { createHash, randomUUID } from 'node:crypto'
import { extname } from 'node:path'
import { fileTypeFromBuffer } from 'file-type'
import { hasRole, type Caller } from '../../auth/caller.ts'
import type { DocumentKind } from '../../db/schema/documents.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { DocumentRepository } from '../../repositories/documents.ts'
import type { Document } from '../../schemas/documents.ts'
import { findVisibleProject, isOwner, lockVisibleProject, requireTransition, type Project } from '../projects/access.ts'
import { duplicateAs409 } from '../review/common.ts'
import { DOCUMENT_KIND_DA } from './danish.ts'
import { toDocument } from './representation.ts'

export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024

/**
 * The bytes are stored in rows of this size. The first chunk is also the sample the type is
 * judged by: large enough that a DOCX or XLSX shows its [Content_Types].xml, not only "a zip".
 */
export const CHUNK_BYTES = 256 * 1024

/** What is accepted, as file-type names it (by the bytes), with the extension a name must have. */
export const ACCEPTED_TYPES = [
  { ext: 'pdf', mime: 'application/pdf' },
  { ext: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { ext: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { ext: 'odt', mime: 'application/vnd.oasis.opendocument.text' },
  { ext: 'ods', mime: 'application/vnd.oasis.opendocument.spreadsheet' }
] as const

/** The upload as the form brings it: the fields before the file, then the file as a stream. */
export interface DocumentForm {
  kind: DocumentKind
  supersedes: string | undefined
  filename: string
  /** The part's Content-Type as the client declared it ('' when it declared none). */
  declaredType: string
  /** The file's bytes; throws 413 once they pass MAX_DOCUMENT_BYTES. */
  bytes: AsyncIterable<Buffer>
  /** Reads the rest of the form after the file: another part there is 400. */
  end (): Promise<void>
}

/** Only the owning organisation and the secretariat of the project's council (its repository scope) upload. */
function requireUploader (caller: Caller, project: Project): void {
  if (!hasRole(caller, 'secretariat') && !isOwner(caller, project)) throw new AppError('FORBIDDEN', msg('documentUploadRestricted'))
}

/**
 * POST /v1/projects/{id}/documents. Who may upload and whether the project takes documents is
 * answered before a byte of the form is read. The bytes stream into `document_chunks` inside the
 * unit of work while their sha256 is computed, so a failure part-way stores nothing, and only one
 * chunk is ever held in memory. The project is locked only at the end, for as short as the
 * other writers' locks (an upload may take seconds): a withdrawal meanwhile still wins.
 */
export async function addDocument (uow: UnitOfWork, caller: Caller, projectId: string, readForm: () => Promise<DocumentForm>): Promise<Document> {
  const visible = await findVisibleProject(uow.db, caller, projectId)
  requireUploader(caller, visible)
  requireTransition(visible, 'add_document')
  const form = await readForm()

  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const documents = new DocumentRepository(tx)
    if (form.supersedes !== undefined) {
      const earlier = await documents.get(visible.id, form.supersedes)
      // Another project's document is answered as one that does not exist: nothing about it leaks.
      if (earlier === undefined || earlier.kind !== form.kind) throw new AppError('RULE_VIOLATION', msg('documentSupersedesUnknown', { kind: form.kind }))
      const successor = await documents.successor(earlier.id)
      if (successor) throw new AppError('DUPLICATE', msg('documentAlreadySuperseded', { filename: successor.filename }))
    }

    const id = randomUUID()
    const stored = await storeBytes(documents, id, form)
    await form.end()

    const project = await lockVisibleProject(tx, caller, visible.id)
    requireTransition(project, 'add_document')
    const row = {
      id,
      projectId: project.id,
      kind: form.kind,
      filename: form.filename,
      ...stored,
      supersedes: form.supersedes ?? null,
      uploadedBy: caller.sub,
      uploadedAt: new Date().toISOString()
    }
    const eventId = audit.append({
      type: 'itraad.document.added',
      project,
      time: row.uploadedAt,
      data: {
        reference: project.reference,
        description: `${DOCUMENT_KIND_DA[form.kind]} "${form.filename}" føjet til ${project.reference}${form.supersedes ? ' som ny udgave' : ''}.`,
        documentId: id,
        kind: row.kind,
        filename: row.filename,
        mediaType: row.mediaType,
        sizeBytes: row.sizeBytes,
        sha256: row.sha256,
        supersedes: row.supersedes
      }
    })
    return toDocument(await documents.insert({ ...row, eventId }))
  }), msg('documentAlreadySupersededHere'))
}

/**
 * Streams the file into chunk rows of CHUNK_BYTES (the last one shorter), hashing as it goes.
 * The first chunk decides the type (415) before it is written. One chunk buffer serves the whole
 * file: each insert has sent its bytes before the buffer is filled again.
 */
async function storeBytes (documents: DocumentRepository, documentId: string, form: DocumentForm): Promise<{ mediaType: string, sizeBytes: number, sha256: string }> {
  const hash = createHash('sha256')
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES)
  let filled = 0
  let seq = 0
  let size = 0
  let mediaType: string | undefined
  const flush = async () => {
    const bytes = chunk.subarray(0, filled)
    mediaType ??= await judgeType(bytes, form)
    await documents.insertChunk(documentId, seq++, bytes)
    filled = 0
  }
  for await (const piece of form.bytes) {
    size += piece.length
    if (size > MAX_DOCUMENT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', msg('documentTooLarge', { limitMiB: MAX_DOCUMENT_BYTES / 1024 / 1024 }))
    hash.update(piece)
    for (let offset = 0; offset < piece.length;) {
      const copied = piece.copy(chunk, filled, offset)
      filled += copied
      offset += copied
      if (filled === CHUNK_BYTES) await flush()
    }
  }
  if (size === 0) throw new AppError('RULE_VIOLATION', msg('documentEmpty'))
  if (filled > 0) await flush()
  return { mediaType: mediaType!, sizeBytes: size, sha256: hash.digest('hex') }
}

/**
 * Declared types that say nothing about the file: none, "some bytes", and text/plain, which a part
 * without a Content-Type has by default (RFC 7578 §4.4; the parser reports it so).
 */
const UNSPECIFIC_TYPES = new Set(['', 'application/octet-stream', 'text/plain'])

/**
 * The type by the bytes (file-type on the first chunk); the declared media type, when specific,
 * and the name's extension, when it has one, must agree with it (a lying name or type is 415).
 */
async function judgeType (sample: Buffer, form: Pick<DocumentForm, 'filename' | 'declaredType'>): Promise<string> {
  const detected = await fileTypeFromBuffer(sample)
  const accepted = ACCEPTED_TYPES.find((type) => type.mime === detected?.mime)
  if (accepted === undefined) throw new AppError('UNSUPPORTED_MEDIA_TYPE', msg('documentTypeRefused', { detected: detected?.mime ?? 'unknown' }))
  const declared = form.declaredType.split(';')[0]!.trim().toLowerCase()
  if (!UNSPECIFIC_TYPES.has(declared) && declared !== accepted.mime) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', msg('documentTypeMismatch', { detected: accepted.mime, claimed: declared }))
  }
  const extension = extname(form.filename).slice(1).toLowerCase()
  if (extension !== '' && extension !== accepted.ext) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', msg('documentTypeMismatch', { detected: accepted.mime, claimed: `.${extension}` }))
  }
  return accepted.mime
}
