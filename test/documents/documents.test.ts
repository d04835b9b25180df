import { Readable } from 'node:stream'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { Client } from 'undici'
import { queryRows } from '../../src/db/client.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { authAs, failOnServerErrors, gatedProject, submitProject } from '../helpers/fixtures.ts'
import { ANNE, assign, BENT, expectStatus, memberHeaders, register, secretariat, submitter } from '../review/helpers.ts'
import { fixture, minimalPdf, multipartForm, pdfParts, sha256, upload, type FormPart } from './helpers.ts'

// Documents (API.md v1.1, "Documents"): uploaded as multipart/form-data and streamed into the
// database in chunks, judged by their bytes, read back byte for byte; bad input is a clear 4xx
// that stores nothing.

const TYPES = [
  { file: minimalPdf('Projektgrundlag for fælles booking'), name: 'Forretningsgrundlag æøå.pdf', kind: 'business_case', mediaType: 'application/pdf' },
  { file: fixture('projektgrundlag.docx'), name: 'Projektgrundlag.docx', kind: 'pid', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { file: fixture('risikolog.xlsx'), name: 'Risikolog.xlsx', kind: 'risk_log', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { file: fixture('forretningsgrundlag.odt'), name: 'Forretningsgrundlag.odt', kind: 'business_case', mediaType: 'application/vnd.oasis.opendocument.text' },
  { file: fixture('gevinster.ods'), name: 'Gevinster.ods', kind: 'other', mediaType: 'application/vnd.oasis.opendocument.spreadsheet' }
]

/** The project's document count, chunk count and document events: what a refused upload must leave as it was. */
async function stored (app: { db: Parameters<typeof queryRows>[0] }, projectId: string) {
  const [row] = await queryRows<{ documents: number, chunks: number, events: number }>(app.db, sql`
    select (select count(*) from documents where project_id = ${projectId})::int as documents,
      (select count(*) from document_chunks)::int as chunks,
      (select count(*) from audit_events where type = 'itraad.document.added')::int as events`)
  return row!
}

t.test('each accepted type: uploaded, listed, downloaded byte for byte with its headers, ETag and 304', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const project = await submitProject(app)
  const owner = await submitter()
  const ids: string[] = []
  for (const type of TYPES) {
    const res = await upload(app, project.id, owner, [{ name: 'kind', value: type.kind }, { name: 'file', filename: type.name, data: type.file, type: type.mediaType }])
    t.equal(res.statusCode, 201, `${type.name}: ${res.body}`)
    const document = res.json()
    t.match(document, { kind: type.kind, filename: type.name, mediaType: type.mediaType, sizeBytes: type.file.length, sha256: sha256(type.file), uploadedBy: 'submitter-1084', supersedes: null })
    t.equal(res.headers.location, `/v1/projects/${project.id}/documents/${document.id}`)
    ids.push(document.id)

    const download = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/documents/${document.id}`, headers: owner })
    t.equal(download.statusCode, 200)
    t.ok(download.rawPayload.equals(type.file), `${type.name}: the same bytes`)
    t.equal(download.headers['content-type'], type.mediaType)
    t.equal(download.headers['content-length'], String(type.file.length))
    t.equal(download.headers.etag, `"${sha256(type.file)}"`)
    const notModified = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/documents/${document.id}`, headers: { ...owner, 'if-none-match': `W/"x", "${sha256(type.file)}"` } })
    t.equal(notModified.statusCode, 304, 'If-None-Match with its ETag')
    t.equal(notModified.body, '')
    const other = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/documents/${document.id}`, headers: { ...owner, 'if-none-match': '"abc"' } })
    t.equal(other.statusCode, 200, 'another ETag gets the bytes')
  }

  // 1. Danish names intact: an ASCII fallback and the exact name in filename* (RFC 6266, RFC 8187).
  const danish = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/documents/${ids[0]}`, headers: owner })
  t.equal(danish.headers['content-disposition'], 'attachment; filename="Forretningsgrundlag aeoeaa.pdf"; filename*=UTF-8\'\'Forretningsgrundlag%20%C3%A6%C3%B8%C3%A5.pdf')
  t.equal(decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(String(danish.headers['content-disposition']))![1]!), 'Forretningsgrundlag æøå.pdf')

  // 2. The list, in upload order.
  const list = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/documents`, headers: owner })
  t.equal(list.statusCode, 200)
  t.same(list.json().items.map((d: { id: string }) => d.id), ids, 'oldest first')

  // 3. The events carry the sha256; the case file lists the documents.
  const events = await queryRows<{ body: string }>(app.db, sql`select body from audit_events where type = 'itraad.document.added' order by pos`)
  t.same(events.map((e) => JSON.parse(e.body).data.sha256), TYPES.map((type) => sha256(type.file)))
  t.match(JSON.parse(events[0]!.body).data, { reference: project.reference, documentId: ids[0], kind: 'business_case', filename: 'Forretningsgrundlag æøå.pdf', mediaType: 'application/pdf', sizeBytes: TYPES[0]!.file.length, supersedes: null, description: /Business case "Forretningsgrundlag æøå.pdf" føjet til ITR-/ })
  const caseFile = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/case-file`, headers: owner })
  t.same(caseFile.json().documents, list.json().items, 'the case file lists them')

  // 4. The project by its reference, as every /v1/projects/{id} route takes it.
  const byReference = await upload(app, project.reference, owner, pdfParts('Efter reference.pdf', 'other'))
  t.equal(byReference.statusCode, 201, byReference.body)
  t.equal(byReference.headers.location, `/v1/projects/${project.id}/documents/${byReference.json().id}`)

  // 5. A document id of another project is 404.
  const second = await submitProject(app)
  const elsewhere = await app.inject({ method: 'GET', url: `/v1/projects/${second.id}/documents/${ids[0]}`, headers: owner })
  t.equal(elsewhere.statusCode, 404)
  t.match(elsewhere.json(), { code: 'NOT_FOUND', detail: /document/ })
})

t.test('a larger document streams through chunks of 256 KiB and back', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const project = await submitProject(app)
  // A PDF of ~1.1 MiB: a comment line pads it (PDF readers skip comments).
  const big = Buffer.concat([minimalPdf(), Buffer.from(`%${'x'.repeat(1_100_000)}\n`)])
  const res = await upload(app, project.id, await secretariat(), pdfParts('Stor.pdf', 'other', big))
  t.equal(res.statusCode, 201, res.body)
  const chunks = await queryRows<{ seq: number, size: number }>(app.db, sql`select seq, length(bytes) as size from document_chunks where document_id = ${res.json().id} order by seq`)
  t.same(chunks.map((c) => c.size), [262144, 262144, 262144, 262144, big.length - 4 * 262144])
  const download = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/documents/${res.json().id}`, headers: await secretariat() })
  t.ok(download.rawPayload.equals(big), 'the same bytes back')
})

t.test('supersedes: an earlier document of the same project and kind, once', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const project = await submitProject(app)
  const other = await submitProject(app)
  const owner = await submitter()
  const first = expectStatus(await upload(app, project.id, owner, pdfParts('Projektgrundlag v1.pdf')), 201).json()
  const risk = expectStatus(await upload(app, project.id, owner, pdfParts('Risikolog.pdf', 'risk_log')), 201).json()
  const foreign = expectStatus(await upload(app, other.id, owner, pdfParts()), 201).json()

  const second = await upload(app, project.id, await secretariat(), [{ name: 'kind', value: 'pid' }, { name: 'supersedes', value: first.id }, ...pdfParts('Projektgrundlag v2.pdf').slice(1)])
  t.equal(second.statusCode, 201, second.body)
  t.equal(second.json().supersedes, first.id)
  t.equal(second.json().uploadedBy, 'sekretariat-1')

  const before = await stored(app, project.id)
  const cases: Array<[string, string, number, string]> = [
    ['another kind', risk.id, 422, 'RULE_VIOLATION'],
    ['another project\'s document', foreign.id, 422, 'RULE_VIOLATION'],
    ['no document', '6f1c1f5e-3c1e-4d47-9a53-0d9e1c1b2a3f', 422, 'RULE_VIOLATION'],
    ['a document already superseded', first.id, 409, 'DUPLICATE'],
    ['not a uuid', 'v1', 400, 'VALIDATION_FAILED']
  ]
  for (const [what, supersedes, status, code] of cases) {
    const res = await upload(app, project.id, owner, [{ name: 'kind', value: 'pid' }, { name: 'supersedes', value: supersedes }, ...pdfParts('Projektgrundlag v3.pdf').slice(1)])
    t.equal(res.statusCode, status, `${what}: ${res.body}`)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.equal(res.json().code, code, what)
  }
  t.same(await stored(app, project.id), before, 'nothing stored')
  const danish = await upload(app, project.id, { ...owner, 'accept-language': 'da' }, [{ name: 'kind', value: 'pid' }, { name: 'supersedes', value: first.id }, ...pdfParts().slice(1)])
  t.match(danish.json(), { status: 409, detail: 'dokumentet er allerede erstattet af Projektgrundlag v2.pdf: erstat den nyeste udgave' })
})

t.test('bad input: a clear 4xx problem, nothing stored, no event', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const project = await submitProject(app)
  const owner = await submitter()
  const pdf = minimalPdf()
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
  const file = (filename: string, data: Buffer, type?: string): FormPart => ({ name: 'file', filename, data, ...(type === undefined ? {} : { type }) })
  const kind: FormPart = { name: 'kind', value: 'pid' }
  const cases: Array<[string, FormPart[], number, string, RegExp?]> = [
    ['a PNG', [kind, file('Projektgrundlag.png', png, 'image/png')], 415, 'UNSUPPORTED_MEDIA_TYPE', /image\/png/],
    ['a PNG named .pdf', [kind, file('Projektgrundlag.pdf', png, 'application/pdf')], 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['plain text', [kind, file('Projektgrundlag.txt', Buffer.from('Projektgrundlag for fælles booking\n'), 'text/plain')], 415, 'UNSUPPORTED_MEDIA_TYPE', /unknown/],
    ['a zip that is no document', [kind, file('Bilag.zip', Buffer.from('UEsDBBQAAAAIAAAAIQAAAAAAAAAAAAAAAAAFAAAAYS50eHRQSwECFAAUAAAACAAAACEAAAAAAAAAAAAAAAAABQAAAAAAAAAAAAAAAAAAAAAAYS50eHRQSwUGAAAAAAEAAQAzAAAAIwAAAAAA', 'base64'))], 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a PDF named .docx (lying extension)', [kind, file('Projektgrundlag.docx', pdf)], 415, 'UNSUPPORTED_MEDIA_TYPE', /\.docx/],
    ['a PDF declared as DOCX (lying Content-Type)', [kind, file('Projektgrundlag', pdf, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')], 415, 'UNSUPPORTED_MEDIA_TYPE', /wordprocessingml/],
    ['a DOCX declared as PDF', [kind, file('Projektgrundlag.docx', fixture('projektgrundlag.docx'), 'application/pdf')], 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['an empty file', [kind, file('Projektgrundlag.pdf', Buffer.alloc(0), 'application/pdf')], 422, 'RULE_VIOLATION', /empty/],
    ['no file part', [kind], 400, 'BAD_REQUEST', /no file part/],
    ['two file parts', [kind, file('a.pdf', pdf), file('b.pdf', pdf)], 400, 'BAD_REQUEST', /exactly one file part/],
    ['a field after the file', [kind, file('a.pdf', pdf), { name: 'supersedes', value: '6f1c1f5e-3c1e-4d47-9a53-0d9e1c1b2a3f' }], 400, 'BAD_REQUEST', /before the file/],
    ['the file in another field', [kind, { name: 'dokument', filename: 'a.pdf', data: pdf }], 400, 'BAD_REQUEST', /named file/],
    ['an unknown kind', [{ name: 'kind', value: 'budget' }, file('a.pdf', pdf)], 400, 'VALIDATION_FAILED', /kind/],
    ['no kind', [file('a.pdf', pdf)], 400, 'VALIDATION_FAILED', /kind/],
    ['an unknown field', [kind, { name: 'title', value: 'x' }, file('a.pdf', pdf)], 400, 'VALIDATION_FAILED', /title/],
    ['a file name with a control character', [kind, file('a\u0007.pdf', pdf)], 400, 'VALIDATION_FAILED', /filename/]
  ]
  const before = await stored(app, project.id)
  for (const [what, parts, status, code, detail] of cases) {
    const res = await upload(app, project.id, owner, parts)
    t.equal(res.statusCode, status, `${what}: ${res.body}`)
    t.match(res.headers['content-type'], /^application\/problem\+json/, what)
    t.match(res.json(), { code, ...(detail ? { detail } : {}) }, what)
  }
  // Not multipart at all, and multipart without its boundary.
  const json = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/documents`, headers: owner, payload: { kind: 'pid' } })
  t.match({ status: json.statusCode, code: json.json().code }, { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }, 'JSON')
  const noBoundary = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/documents`, headers: { ...owner, 'content-type': 'multipart/form-data' }, payload: 'x' })
  t.match({ status: noBoundary.statusCode, code: noBoundary.json().code }, { status: 400, code: 'BAD_REQUEST' }, 'no boundary')
  const truncated = multipartForm(pdfParts())
  const cut = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/documents`, headers: { ...owner, ...truncated.headers }, payload: truncated.payload.subarray(0, truncated.payload.length - 200) })
  t.equal(cut.statusCode, 400, `a form cut off: ${cut.body}`)

  t.same(await stored(app, project.id), before, 'nothing stored, no event')
  const list = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/documents`, headers: owner })
  t.same(list.json(), { items: [] })

  // Danish problems for the pages.
  const danish = await upload(app, project.id, { ...owner, 'accept-language': 'da' }, [kind, file('Projektgrundlag.docx', pdf)])
  t.equal(danish.json().detail, 'filens indhold er application/pdf, men den angiver at være .docx')
  // The service still takes a good one.
  t.equal((await upload(app, project.id, owner, pdfParts())).statusCode, 201)
})

t.test('who may upload and read', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  // Owned by 1084 with 1085 participating; 1081 neither owns nor participates.
  const project = await submitProject(app, '1084', gatedProject({ participatingRegions: ['1084', '1085'], reviewRequested: true }))
  expectStatus(await assign(app, project.id, ANNE), 201)
  await register(app, BENT)
  const document = expectStatus(await upload(app, project.id, await submitter(), pdfParts()), 201).json()
  const url = `/v1/projects/${project.id}/documents`
  const callers: Array<[string, Record<string, string>, { upload: number, read: number }]> = [
    ['the owner', await submitter('1084'), { upload: 201, read: 200 }],
    ['the council\'s secretariat', await secretariat(), { upload: 201, read: 200 }],
    ['a participating region that does not own it', await submitter('1085'), { upload: 403, read: 403 }],
    ['a submitter of another region', await submitter('1081'), { upload: 404, read: 404 }],
    ['an assigned member', await memberHeaders(ANNE), { upload: 403, read: 200 }],
    ['a member not assigned', await memberHeaders(BENT), { upload: 403, read: 403 }],
    ['an admin', await authAs('admin', 'ITR'), { upload: 403, read: 200 }],
    ['an integration', await authAs('integration', 'ITR'), { upload: 403, read: 403 }],
    ['the other council\'s secretariat', bearer(await token('secretariat', 'SIR')), { upload: 404, read: 404 }]
  ]
  for (const [who, headers, expected] of callers) {
    const up = await upload(app, project.id, headers, pdfParts(`${who}.pdf`))
    t.equal(up.statusCode, expected.upload, `${who} uploads: ${up.body}`)
    const list = await app.inject({ method: 'GET', url, headers })
    const one = await app.inject({ method: 'GET', url: `${url}/${document.id}`, headers })
    t.same([list.statusCode, one.statusCode], [expected.read, expected.read], `${who} reads`)
  }
  t.equal((await app.inject({ method: 'GET', url, headers: await submitter() })).json().items.length, 3, 'the owner\'s and the secretariat\'s')
})

t.test('a withdrawn project takes no documents', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const project = await submitProject(app)
  expectStatus(await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: await submitter(), payload: {} }), 200)
  const res = await upload(app, project.id, await submitter(), pdfParts())
  t.equal(res.statusCode, 409, res.body)
  t.match(res.json(), { code: 'STATE_CONFLICT', detail: /withdrawn/ })
})

t.test('over 25 MiB: 413 while the rest is dropped, nothing stored, the connection and the service usable', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const project = await submitProject(app)
  const owner = await submitter()
  let connections = 0
  app.server.on('connection', () => { connections++ })
  // Storing 25 MiB before the limit is known may outlast the 30 s body deadline on a busy machine;
  // the deadline is not what this test is about.
  app.server.requestTimeout = 300_000
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const client = new Client(address, { pipelining: 1 })
  t.teardown(() => client.close())

  // The body is made as it is sent: the fields and a PDF head, then 26 MiB of padding in 64 KiB pieces.
  const { headers, payload } = multipartForm(pdfParts('Stor.pdf', 'other', Buffer.from('@@FILE@@')))
  const [head, tail] = payload.toString('latin1').split('@@FILE@@') as [string, string]
  const piece = Buffer.alloc(64 * 1024, 0x25)
  const body = Readable.from((function * () {
    yield Buffer.from(head, 'latin1')
    yield minimalPdf()
    for (let sent = 0; sent < 26 * 1024 * 1024; sent += piece.length) yield piece
    yield Buffer.from(tail, 'latin1')
  })())
  const res = await client.request({ method: 'POST', path: `/v1/projects/${project.id}/documents`, headers: { ...owner, ...headers }, body })
  t.equal(res.statusCode, 413)
  t.match(await res.body.json(), { code: 'PAYLOAD_TOO_LARGE', detail: 'the document is larger than 25 MiB' })
  t.same(await stored(app, project.id), { documents: 0, chunks: 0, events: 0 }, 'nothing stored')

  const good = multipartForm(pdfParts())
  const next = await client.request({ method: 'POST', path: `/v1/projects/${project.id}/documents`, headers: { ...owner, ...good.headers }, body: good.payload })
  t.equal(next.statusCode, 201, `the next upload on the same connection: ${await next.body.text()}`)
  t.equal(connections, 1, 'one connection throughout')
})
