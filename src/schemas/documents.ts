import { z } from 'zod'
import { DOCUMENT_KINDS } from '../db/schema/documents.ts'
import { rule } from '../messages.ts'
import { Instant, line, ProjectParams } from './common.ts'
import { ENTITY_TAGS } from './project.ts'

export const DocumentKindSchema = z.enum(DOCUMENT_KINDS)
  .describe('`pid` (projektgrundlag), `business_case`, `risk_log` or `other`')

export const DocumentSchema = z.object({
  id: z.uuid(),
  kind: DocumentKindSchema,
  filename: z.string().describe('The file name as uploaded (any directory part dropped)'),
  mediaType: z.string().describe('Judged by the bytes: application/pdf, or the OOXML/ODF type of a DOCX, XLSX, ODT or ODS'),
  sizeBytes: z.number().int(),
  sha256: z.string().describe('Hex sha256 of the bytes; also in the itraad.document.added event and the download\'s ETag'),
  uploadedAt: Instant,
  uploadedBy: z.string().describe('The uploader\'s sub'),
  supersedes: z.uuid().nullable().describe('The earlier document of the same project and kind this one replaces')
}).meta({ id: 'Document', description: 'A document\'s metadata; GET …/documents/{docId} answers its bytes' })

export const DocumentList = z.object({ items: z.array(DocumentSchema) }).meta({ id: 'DocumentList' })

export const DocumentParams = ProjectParams.extend({ docId: z.uuid() })

/**
 * The form's fields, as the upload reads them before the file part. `filename` is the file part's
 * own (a directory part is dropped by the parser); at most 255 characters on one line.
 */
export const DocumentFields = z.strictObject({
  kind: DocumentKindSchema,
  supersedes: z.uuid().optional(),
  filename: line(255)
})

/** The multipart form as the OpenAPI document shows it (the upload reads it as a stream, not through this schema). */
export const DocumentUploadForm = z.object({
  kind: DocumentKindSchema,
  supersedes: z.uuid().optional().describe('An earlier document of this project and kind that the new one replaces'),
  file: z.string().meta({ format: 'binary' })
    .describe('The document: PDF, DOCX, XLSX, ODT or ODS, at most 25 MiB. Send the fields before the file part.')
}).meta({ id: 'DocumentUpload' })

export const DownloadHeaders = z.looseObject({
  'if-none-match': z.string().max(1024).regex(ENTITY_TAGS, rule('entityTags')).optional()
    .describe('The ETag of a copy you hold ("<sha256>"): 304 without a body when it is this document\'s')
})

export type Document = z.infer<typeof DocumentSchema>
