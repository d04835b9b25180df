import { create as contentDisposition } from 'content-disposition'
import type { FastifyReply } from 'fastify'
import type { Readable } from 'node:stream'

const DANISH_ASCII: Record<string, string> = { æ: 'ae', ø: 'oe', å: 'aa', Æ: 'Ae', Ø: 'Oe', Å: 'Aa' }

/** The name as plain ASCII for clients that read only `filename` (æ → ae, accents dropped, the rest _). */
function asciiFallback (filename: string): string {
  return filename.replace(/[æøåÆØÅ]/g, (c) => DANISH_ASCII[c]!).normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_')
}

export interface FileReply {
  mediaType: string
  /** `inline` for what a browser shows (PDFs), `attachment` for what it saves. */
  disposition: 'inline' | 'attachment'
  filename: string
  body: Buffer | Readable
  /** When the length is known before a stream starts. */
  sizeBytes?: number
}

/**
 * Sends a file: its media type and `Content-Disposition` (RFC 6266, by `content-disposition`) with
 * an ASCII `filename` and, when the name is not ASCII, the exact name in `filename*` (UTF-8,
 * RFC 8187), which every current browser prefers — Danish names arrive intact.
 */
export function sendFile (reply: FastifyReply, file: FileReply): FastifyReply {
  const fallback = asciiFallback(file.filename)
  reply.type(file.mediaType).header('content-disposition', contentDisposition(file.filename, { type: file.disposition, fallback }))
  if (file.sizeBytes !== undefined) reply.header('content-length', file.sizeBytes)
  // Fastify sends a Buffer or a stream as it is, past the serializer; the typed reply knows only the schemas' JSON shapes.
  return reply.send(file.body)
}
