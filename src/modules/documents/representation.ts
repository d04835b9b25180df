import { rfc3339 } from '../projects/representation.ts'
import type { DocumentRow } from '../../repositories/documents.ts'
import type { Document } from '../../schemas/documents.ts'

export function toDocument (row: DocumentRow): Document {
  return {
    id: row.id,
    kind: row.kind,
    filename: row.filename,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    uploadedAt: rfc3339(row.uploadedAt),
    uploadedBy: row.uploadedBy,
    supersedes: row.supersedes
  }
}
