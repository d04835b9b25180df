import multipart, { type Multipart, type MultipartFile } from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { sendFile } from '../modules/file-reply.ts'
import { msg } from '../messages.ts'
import { addDocument, MAX_DOCUMENT_BYTES, type DocumentForm } from '../modules/documents/add-document.ts'
import { documentBytes, findDocument, listDocuments } from '../modules/documents/read-documents.ts'
import { ifNoneMatchHits } from '../modules/etag.ts'
import { resolveProjectReference } from '../modules/projects/project-key.ts'
import { problemResponses, ProjectParams } from '../schemas/common.ts'
import { DocumentFields, DocumentList, DocumentParams, DocumentSchema, DocumentUploadForm, DownloadHeaders } from '../schemas/documents.ts'
import { requestValidationError, validatorCompiler } from '../validator.ts'

const tags = ['review']
const READERS = ['submitter', 'council_member', 'secretariat', 'admin'] as const
const TOO_LARGE = msg('documentTooLarge', { limitMiB: MAX_DOCUMENT_BYTES / 1024 / 1024 })

const BINARY = { schema: z.string().meta({ format: 'binary' }).describe('The bytes as uploaded') }
const DOWNLOAD_TYPES = ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet']

/** The form is read and checked as it streams (readDocumentForm): the body schema only documents it. */
const uploadValidator = (route: FastifyRouteSchemaDef<unknown>) =>
  route.httpPart === 'body' ? () => true : validatorCompiler(route as FastifyRouteSchemaDef<z.ZodType>)

/**
 * Review material (API.md v1.1, "Documents"): upload as multipart/form-data, list, download.
 * The multipart parser is registered here only: every other route still answers multipart with 415.
 */
const documentRoutes: FastifyPluginAsyncZod = async (fastify) => {
  await fastify.register(multipart, {
    // One file of at most 25 MiB (busboy cuts it there; the reader turns that into 413), and the
    // two small fields before it.
    limits: { files: 1, fileSize: MAX_DOCUMENT_BYTES, fields: 4, fieldSize: 1024, parts: 6, headerPairs: 20 }
  })
  fastify.addHook('preHandler', resolveProjectReference(fastify.db))

  fastify.post('/v1/projects/:id/documents', {
    config: { access: { roles: ['submitter', 'secretariat'] } },
    validatorCompiler: uploadValidator,
    schema: {
      tags,
      summary: 'Upload a document',
      description: 'The organisation that owns the project and the secretariat of its council, while the project is open ' +
        '(not withdrawn or closed: 409). `multipart/form-data` with the fields `kind` and, optionally, `supersedes` ' +
        '**before** one file part named `file` (curl: `-F kind=pid -F file=@pid.pdf`). The bytes decide the type: PDF, ' +
        'DOCX, XLSX, ODT or ODS; anything else, or a file whose declared Content-Type (other than ' +
        'application/octet-stream) or name extension says another type, is 415. An empty file is 422; no file part, ' +
        'two file parts, another field or a field after the file is 400; a file over 25 MiB is 413 (the rest of the ' +
        'form is read and dropped, nothing is stored). `supersedes` names an earlier document of this project and ' +
        'kind (else 422; another project\'s document counts as none) that no other document supersedes yet (409). ' +
        'Documents are never changed or deleted. Emits `itraad.document.added` with the sha256 of the bytes.',
      params: ProjectParams,
      consumes: ['multipart/form-data'],
      body: DocumentUploadForm,
      response: { 201: DocumentSchema, ...problemResponses(404, 409, 413, 415, 422) }
    }
  }, async (request, reply) => {
    try {
      const document = await addDocument(fastify.uow, request.caller, request.params.id, () => readDocumentForm(request))
      return await reply.code(201).header('location', `/v1/projects/${request.params.id}/documents/${document.id}`).send(document)
    } catch (error) {
      // What is left of the form is read and dropped, so that the client reads the answer and the
      // connection stays usable (a 413's rest is bounded by plugins/request-body.ts).
      request.raw.unpipe()
      request.raw.resume()
      throw error
    }
  })

  fastify.get('/v1/projects/:id/documents', {
    config: { access: { roles: READERS } },
    schema: {
      tags,
      summary: 'List the project\'s documents',
      description: 'Metadata of every document, oldest first (upload order), superseded ones included. The owner, the ' +
        'secretariat of the project\'s council, the council members assigned to its review and admins; a participating ' +
        'region that does not own the project and a member not assigned get 403.',
      params: ProjectParams,
      response: { 200: DocumentList, ...problemResponses(404) }
    }
  }, async (request) => listDocuments(fastify.db, request.caller, request.params.id))

  fastify.get('/v1/projects/:id/documents/:docId', {
    config: { access: { roles: READERS } },
    schema: {
      tags,
      summary: 'Download a document',
      description: 'The bytes as uploaded, streamed, with the stored media type, `Content-Disposition: attachment` with ' +
        'the file name (RFC 6266, UTF-8 in `filename*`) and `ETag: "<sha256>"`; `If-None-Match` with it is 304. Who ' +
        'may list the documents may download them. A document id of another project is 404.',
      params: DocumentParams,
      headers: DownloadHeaders,
      response: {
        200: { description: 'The document\'s bytes', content: Object.fromEntries(DOWNLOAD_TYPES.map((type) => [type, BINARY])) },
        304: z.null().describe('Not modified: the copy you hold (If-None-Match) is this document'),
        ...problemResponses(404)
      }
    }
  }, async (request, reply) => {
    const document = await findDocument(fastify.db, request.caller, request.params.id, request.params.docId)
    const etag = `"${document.sha256}"`
    reply.header('etag', etag)
    const ifNoneMatch = request.headers['if-none-match']
    if (ifNoneMatch !== undefined && ifNoneMatchHits(ifNoneMatch, etag)) return reply.code(304).send(null)
    return sendFile(reply, {
      mediaType: document.mediaType,
      disposition: 'attachment',
      filename: document.filename,
      sizeBytes: document.sizeBytes,
      body: documentBytes(fastify.db, document.id)
    })
  })
}

/**
 * Reads the form up to its file part: the fields must come first (kind is needed before the bytes
 * are stored, and buffering a file to read fields after it is what streaming avoids). Returns the
 * file as a stream of its bytes; `end` reads what follows it.
 */
async function readDocumentForm (request: FastifyRequest): Promise<DocumentForm> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', msg('notMultipart'))
  const parts = request.parts()
  const fields: Record<string, unknown> = {}
  for (;;) {
    const part = await nextPart(parts)
    if (part === undefined) throw new AppError('BAD_REQUEST', msg('documentFileMissing'))
    if (part.type === 'field') {
      fields[part.fieldname] = part.value
      continue
    }
    if (part.fieldname !== 'file') throw new AppError('BAD_REQUEST', msg('documentFileField', { field: part.fieldname }))
    const checked = DocumentFields.safeParse({ ...fields, filename: part.filename }, { reportInput: true })
    if (!checked.success) throw requestValidationError(checked.error.issues, 'body')
    return {
      kind: checked.data.kind,
      supersedes: checked.data.supersedes,
      filename: checked.data.filename,
      declaredType: part.mimetype,
      bytes: fileBytes(part),
      end: async () => {
        const after = await nextPart(parts)
        if (after !== undefined) throw new AppError('BAD_REQUEST', after.type === 'file' ? msg('documentFilesMany') : msg('documentFieldAfterFile', { field: after.fieldname }))
      }
    }
  }
}

/** The next part of the form, or undefined at its end; the parser's own failures as 4xx problems. */
async function nextPart (parts: AsyncIterableIterator<Multipart>): Promise<Multipart | undefined> {
  try {
    const { value, done } = await parts.next()
    return done === true ? undefined : value
  } catch (error) {
    throw formError(error)
  }
}

async function * fileBytes (part: MultipartFile): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of part.file as AsyncIterable<Buffer>) {
      yield chunk
      // busboy stops the file at the limit and marks it truncated: answer at once.
      if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', TOO_LARGE)
    }
  } catch (error) {
    throw formError(error)
  }
  if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', TOO_LARGE)
}

/** A failure of the multipart parser (busboy or @fastify/multipart's limits) as a 4xx problem. */
function formError (error: unknown): unknown {
  if (error instanceof AppError) return error
  const code = (error as { code?: unknown }).code
  if (code === 'FST_FILES_LIMIT') return new AppError('BAD_REQUEST', msg('documentFilesMany'))
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE', TOO_LARGE)
  return new AppError('BAD_REQUEST', msg('formMalformed', { reason: (error as Error).message }), { cause: error })
}

export default documentRoutes
