// Documents on the project page, in Chromium: the owner uploads a real PDF through the form (no
// file, then a file that is no document, refused in Danish first), sees it listed with its type,
// size and checksum, and downloads it under its Danish name; an assigned council member sees the
// list and the download but no upload form. axe-core on every page state; screenshots in
// .tap/screenshots/documents-NN-*.png.
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { build, token } from '../helpers/build.ts'
import { gatedProject, submitProject } from '../helpers/fixtures.ts'
import { minimalPdf, sha256 } from '../documents/helpers.ts'
import { ANNE, assign, expectStatus } from '../review/helpers.ts'
import { expectCount, expectPage, expectText, launch, listen, openTab, pageChecks, signInWithToken, skip } from './browser-helpers.ts'

const { checkAccessibility } = pageChecks('documents-')

t.setTimeout(600_000)

const TITLE = 'Fælles regional booking-platform'
const FILENAME = 'Projektgrundlag æøå.pdf'

t.test('the owner uploads a PDF on the project page; an assigned member downloads but does not upload', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)
  const project = await submitProject(app, '1084', gatedProject({ title: TITLE }))
  expectStatus(await assign(app, project.id, ANNE), 201)
  const pdf = minimalPdf('Projektgrundlag for faelles booking')

  // 1. The owner: the empty section and its form, two refusals, then the upload.
  const { page: owner, checkConsole: ownerConsole } = await openTab(t, browser, 'owner (documents)', [415])
  await signInWithToken(t, owner, base, await token('submitter', '1084', { sub: 'mette', name: 'Mette Projektleder' }), 'Mine projekter')
  await owner.goto(`${base}/app/#/projects/${project.reference}`)
  await expectPage(t, owner, TITLE)
  const section = owner.getByRole('region', { name: 'Dokumenter' })
  await expectText(t, section, 'Der er ikke lagt dokumenter på projektet.')
  const form = owner.getByRole('form', { name: 'Læg et dokument op' })
  await checkAccessibility(t, owner, 'tom')

  await form.getByRole('button', { name: 'Læg dokumentet op' }).click()
  await expectText(t, form.locator('.message-error'), 'Vælg en fil.')
  await form.getByLabel(/^Fil/).setInputFiles({ name: 'Noter.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Bare nogle noter.\n') })
  await form.getByRole('button', { name: 'Læg dokumentet op' }).click()
  await expectText(t, form.locator('.message-error'), 'kun PDF-, DOCX-, XLSX-, ODT- og ODS-dokumenter modtages')
  await checkAccessibility(t, owner, 'afvist')

  await form.getByLabel(/^Type/).selectOption({ label: 'Projektgrundlag (PID)' })
  await form.getByLabel(/^Fil/).setInputFiles({ name: FILENAME, mimeType: 'application/pdf', buffer: pdf })
  await form.getByRole('button', { name: 'Læg dokumentet op' }).click()
  await expectPage(t, owner, TITLE)
  await expectText(t, owner.locator('main .message-success'), `${FILENAME} er lagt op.`)
  const row = owner.getByRole('region', { name: 'Dokumenter' }).locator('tbody tr')
  await expectCount(t, row, 1)
  await expectText(t, row, 'Projektgrundlag (PID)')
  await expectText(t, row, FILENAME)
  await expectText(t, row, `${pdf.length} byte`)
  t.equal(await row.locator('code').getAttribute('title'), sha256(pdf), 'the full sha256 in the title')
  await expectText(t, owner.locator('.timeline'), 'Dokument er tilføjet')
  await checkAccessibility(t, owner, 'lagt-op')

  const [download] = await Promise.all([owner.waitForEvent('download'), row.getByRole('button', { name: `Hent ${FILENAME}` }).click()])
  t.equal(download.suggestedFilename(), FILENAME, 'downloaded under its Danish name')
  t.ok((await readFile((await download.path())!)).equals(pdf), 'the same bytes')
  ownerConsole()

  // 2. An assigned council member: the list and the download, no form.
  const { page: member, checkConsole: memberConsole } = await openTab(t, browser, 'member (documents)')
  await signInWithToken(t, member, base, await token('council_member', ANNE.org, { sub: ANNE.sub, name: 'Anne Rådsmedlem' }), 'Sagsoversigt')
  await member.goto(`${base}/app/#/projects/${project.reference}`)
  await expectPage(t, member, TITLE)
  const memberRow = member.getByRole('region', { name: 'Dokumenter' }).locator('tbody tr')
  await expectCount(t, memberRow, 1)
  await expectCount(t, memberRow.getByRole('button', { name: `Hent ${FILENAME}` }), 1, 'a download button')
  await expectCount(t, member.getByRole('form', { name: 'Læg et dokument op' }), 0, 'no upload form')
  await checkAccessibility(t, member, 'medlem')
  memberConsole()
})
