import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, build, token } from '../helpers/build.ts'
import { submitProject } from '../helpers/fixtures.ts'
import { tamper } from '../audit/helpers.ts'
import { expectStatus, submitter } from '../review/helpers.ts'
import { fixture, pdfParts, upload } from './helpers.ts'

// The audit chain vouches for the bytes of the documents (DESIGN.md, "Documents are evidence"):
// verification hashes each document's stored chunks against the sha256 of its event.

async function verify (app: FastifyInstance) {
  const res = await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(await token('admin', 'ITR')) })
  if (res.statusCode !== 200) throw new Error(`verify: ${res.statusCode} ${res.body}`)
  return res.json() as { ok: boolean, events?: number, firstInvalidSequence?: string, reason?: string }
}

async function withDocuments (t: Test) {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const project = await submitProject(app)
  const pdf = expectStatus(await upload(app, project.id, await submitter(), pdfParts('Projektgrundlag æøå.pdf')), 201).json()
  const xlsx = expectStatus(await upload(app, project.id, await submitter(), [{ name: 'kind', value: 'risk_log' }, { name: 'file', filename: 'Risikolog.xlsx', data: fixture('risikolog.xlsx') }]), 201).json()
  await app.sealer.sealPending()
  // Sequences: 1 the submission, 2 and 3 the documents.
  return { app, pdf: pdf as { id: string }, xlsx: xlsx as { id: string } }
}

t.test('intact documents verify with the chain', async (t) => {
  const { app } = await withDocuments(t)
  t.same(await verify(app), { ok: true, events: 3 })
})

t.test('one byte changed in a stored chunk: verification fails and names the document', async (t) => {
  const { app, xlsx } = await withDocuments(t)
  await tamper(app, `update document_chunks set bytes = set_byte(bytes, 100, get_byte(bytes, 100) # 1) where document_id = '${xlsx.id}' and seq = 0`)
  t.match(await verify(app), {
    ok: false,
    firstInvalidSequence: '3',
    reason: new RegExp(`document ${xlsx.id} \\("Risikolog.xlsx"\\): its stored bytes do not match the sha256 in its itraad.document.added event`)
  })
})

t.test('a chunk added, a document deleted, a document without its event: each caught', async (t) => {
  await t.test('a chunk appended', async (t) => {
    const { app, pdf } = await withDocuments(t)
    await tamper(app, `insert into document_chunks (document_id, seq, bytes) values ('${pdf.id}', 1, '\\x00'::bytea)`)
    t.match(await verify(app), { ok: false, firstInvalidSequence: '2', reason: /Projektgrundlag æøå.pdf/ })
  })
  await t.test('a document row deleted', async (t) => {
    const { app, pdf } = await withDocuments(t)
    await tamper(app, `delete from documents where id = '${pdf.id}'`)
    t.match(await verify(app), { ok: false, firstInvalidSequence: '2', reason: new RegExp(`document ${pdf.id} .* is missing`) })
  })
  await t.test('a document inserted outside the service', async (t) => {
    const { app, pdf } = await withDocuments(t)
    const id = randomUUID()
    await tamper(app, `insert into documents (id, project_id, kind, filename, media_type, size_bytes, sha256, uploaded_by, event_id)
      select '${id}', project_id, 'other', 'Indsmuglet.pdf', media_type, size_bytes, sha256, 'x', '${randomUUID()}' from documents where id = '${pdf.id}'`)
    t.match(await verify(app), { ok: false, firstInvalidSequence: '4', reason: new RegExp(`document ${id} \\("Indsmuglet.pdf"\\) has no itraad.document.added event`) })
  })
})
