import t from 'tap'
import { extractText, getDocumentProxy } from 'unpdf'
import { bearer, build, token } from '../helpers/build.ts'
import { failOnServerErrors, submitProject } from '../helpers/fixtures.ts'
import { ANNE, assessedByTwo, backdateLetter, expectStatus, issueLetter, letterBody, memberHeaders, secretariat, submitter, withLetter } from './helpers.ts'

const RECOMMENDATIONS = [
  { category: 'supplier', text: 'Gennemfør markedsdialog før udbuddet, så afhængigheden af én leverandør bliver mindre.' },
  { category: 'economy', text: 'Læg en reserve på 15 % ind i budgettet for Ærø og Østjylland.' },
  // Letters beyond Danish are set in Noto Sans's other subsets and extract as written.
  { category: 'Særlige forhold', text: 'Årsplanen skal godkendes af styregruppen før første leverance (jf. Dvořák-notatet fra Łódź).' }
]
const STATEMENT = 'Rådet vurderer projektet som velforberedt, men med høj risiko på leverandørsiden. ' +
  'ÆBLESKIVER, ØRESUND og ÅBENRÅ skrives med store bogstaver; æbleskiver, øresund og åbenrå med små.\n\n' +
  'Rådet følger projektet halvårligt.'

/** Text as a reader extracts it, every run of white space one space (lines wrap where the page ends). */
async function pdfText (bytes: Buffer): Promise<{ text: string, pages: Array<[number, number]>, info: Record<string, unknown> }> {
  const doc = await getDocumentProxy(new Uint8Array(bytes))
  const pages: Array<[number, number]> = []
  for (let i = 1; i <= doc.numPages; i++) {
    const { width, height } = (await doc.getPage(i)).getViewport({ scale: 1 })
    pages.push([width, height])
  }
  const { info } = await doc.getMetadata()
  const { text } = await extractText(doc, { mergePages: true })
  return { text: text.replace(/\s+/g, ' '), pages, info: info as Record<string, unknown> }
}
const oneLine = (s: string) => s.replace(/\s+/g, ' ')

const PDF = { accept: 'application/pdf' }

t.test('the letter as a PDF: A4, Danish, the text extractable with æ, ø and å', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const project = await submitProject(app)
  await assessedByTwo(app, project.id)
  const letter = expectStatus(await issueLetter(app, project.id, letterBody({
    statement: STATEMENT,
    riskProfile: 'A',
    recommendations: RECOMMENDATIONS,
    externalReviewRecommended: true
  })), 201).json()
  // Late in the evening UTC, already the next day in Copenhagen.
  await backdateLetter(app, project.id, '2026-03-05T23:30:00Z')

  // By reference, as people ask for it.
  const res = await app.inject({ method: 'GET', url: `/v1/projects/${project.reference}/letter`, headers: { ...await submitter(), ...PDF } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/pdf')
  t.equal(res.headers['content-disposition'], `inline; filename=anbefalingsbrev-${project.reference}.pdf`)
  t.match(res.headers.vary, /\bAccept\b/)
  t.equal(res.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-')
  // The fonts are embedded Noto Sans; none of the standard 14 (which cannot carry æ, ø, å reliably).
  const raw = res.rawPayload.toString('latin1')
  t.match(raw, /\/BaseFont \/[A-Z]{6}\+NotoSans-Regular/)
  t.match(raw, /\/BaseFont \/[A-Z]{6}\+NotoSans-Bold/)
  t.notMatch(raw, /Helvetica|Times-Roman|Courier/)

  const { text, pages, info } = await pdfText(res.rawPayload)
  t.ok(pages.length >= 1)
  for (const [width, height] of pages) {
    t.equal(Math.round(width * 100) / 100, 595.28, 'A4 width')
    t.equal(Math.round(height * 100) / 100, 841.89, 'A4 height')
  }
  t.equal(info.Language, 'da-DK')
  t.equal(info.Title, `Anbefalingsbrev ${project.reference} — Fælles regional booking-platform`)

  for (const expected of [
    'Regionernes It-råd',
    'Anbefalingsbrev',
    project.reference,
    '6. marts 2026',
    'Fælles regional booking-platform',
    'Region Hovedstaden',
    oneLine(STATEMENT),
    'A – meget høj risiko',
    '1. Leverandør',
    '2. Økonomi',
    '3. Særlige forhold',
    ...RECOMMENDATIONS.map((r) => r.text),
    'Rådet anbefaler et eksternt review.'
  ]) {
    t.ok(text.includes(expected), `the PDF says "${expected}"`)
  }
  t.notOk(text.includes('supplier'), 'categories in Danish')

  // The JSON is the default, and what was issued.
  for (const accept of [undefined, '*/*', 'application/json', 'application/json, application/pdf;q=0.5', 'text/html, */*;q=0.1']) {
    const json = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers: { ...await submitter(), ...(accept === undefined ? {} : { accept }) } })
    t.equal(json.statusCode, 200, `Accept: ${accept}`)
    t.match(json.headers['content-type'], /^application\/json/, `Accept: ${accept}`)
    t.equal(json.json().id, letter.id)
  }
  // PDF whenever it is preferred, or the only one allowed.
  for (const accept of ['application/pdf, application/json;q=0.9', 'application/*;q=0.2, application/pdf', 'APPLICATION/PDF', 'text/html, application/pdf;q=0.5']) {
    const pdf = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers: { ...await submitter(), accept } })
    t.equal(pdf.headers['content-type'], 'application/pdf', `Accept: ${accept}`)
  }
})

t.test('an Accept that allows neither JSON nor PDF is 406', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const project = await submitProject(app)
  await withLetter(app, project.id)
  for (const accept of ['text/html', 'text/*', 'application/pdf;q=0, application/json;q=0', 'image/png, */*;q=0']) {
    const res = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers: { ...await submitter(), accept, 'accept-language': 'da' } })
    t.equal(res.statusCode, 406, `Accept: ${accept}`)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.match(res.json(), { code: 'NOT_ACCEPTABLE', type: '/problems/not-acceptable', detail: 'Accept-headeren tillader ingen af: application/json, application/pdf' })
  }
})

t.test('the PDF has the JSON\'s access rules: 404 without a letter, 404 for a project the caller cannot see', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const project = await submitProject(app)
  const none = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers: { ...await submitter(), ...PDF } })
  t.equal(none.statusCode, 404)
  t.match(none.json(), { code: 'NOT_FOUND' })

  await withLetter(app, project.id)
  // Everyone who reads the JSON reads the PDF: the owner, a participating region, a member, the secretariat, an integration.
  for (const headers of [await submitter(), await submitter('1083'), await memberHeaders(ANNE), await secretariat(), bearer(await token('integration', 'ESDH'))]) {
    const res = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers: { ...headers, ...PDF } })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], 'application/pdf')
  }
  // The other council's secretariat and an organisation outside the project see neither.
  for (const headers of [bearer(await token('secretariat', 'SIR')), await submitter('29190909')]) {
    for (const accept of ['application/pdf', 'application/json']) {
      const res = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers: { ...headers, accept } })
      t.equal(res.statusCode, 404, accept)
    }
  }
  const anonymous = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers: PDF })
  t.equal(anonymous.statusCode, 401)
})
