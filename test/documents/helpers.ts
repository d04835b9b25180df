import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { ROOT_DIR } from '../../src/paths.ts'

export type FormPart =
  | { name: string, value: string }
  | { name: string, filename: string, data: Buffer, type?: string }

/** A multipart/form-data body, the parts in the order given (as curl -F and FormData send them). */
export function multipartForm (parts: readonly FormPart[]): { payload: Buffer, headers: Record<string, string> } {
  const boundary = `----dokument${randomBytes(8).toString('hex')}`
  const chunks: Buffer[] = []
  for (const part of parts) {
    const head = 'value' in part
      ? `content-disposition: form-data; name="${part.name}"\r\n\r\n`
      : `content-disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n` +
        (part.type === undefined ? '' : `content-type: ${part.type}\r\n`) + '\r\n'
    chunks.push(Buffer.from(`--${boundary}\r\n${head}`, 'utf8'), 'value' in part ? Buffer.from(part.value, 'utf8') : part.data, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

/** A small, valid one-page PDF with a Danish line of text. */
export function minimalPdf (text = 'Projektgrundlag'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
  ]
  const stream = `BT /F1 18 Tf 72 770 Td (${text}) Tj ET`
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((object, i) => {
    offsets.push(body.length)
    body += `${i + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

/** The fixture documents (made once with Python's zipfile: real, minimal OOXML and ODF packages). */
export const fixture = (name: string) => readFileSync(join(ROOT_DIR, 'test', 'fixtures', 'documents', name))

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** Uploads a document through the API. */
export async function upload (app: FastifyInstance, projectId: string, headers: Record<string, string>, parts: readonly FormPart[]): Promise<LightMyRequestResponse> {
  const form = multipartForm(parts)
  return app.inject({ method: 'POST', url: `/v1/projects/${projectId}/documents`, headers: { ...headers, ...form.headers }, payload: form.payload })
}

/** The parts of an ordinary upload: kind, then the file. */
export const pdfParts = (filename = 'Projektgrundlag.pdf', kind = 'pid', data = minimalPdf()): FormPart[] =>
  [{ name: 'kind', value: kind }, { name: 'file', filename, data, type: 'application/pdf' }]
