// The letter as a PDF from the pages, in Chromium: "Hent brev som PDF" on the project page and on
// the letter's page fetches the letter with the session's token (Accept: application/pdf) and hands
// it to the browser as a download named after the reference. axe-core on both pages; screenshots
// in .tap/screenshots/letter-pdf-NN-*.png.
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import t from 'tap'
import { build, token } from '../helpers/build.ts'
import { gatedProject, submitProject } from '../helpers/fixtures.ts'
import { assessedByTwo, expectStatus, issueLetter, letterBody } from '../review/helpers.ts'
import { expectPage, launch, listen, openTab, pageChecks, signInWithToken, skip } from './browser-helpers.ts'

const { checkAccessibility } = pageChecks('letter-pdf-')

t.setTimeout(600_000)

const TITLE = 'Fælles løsning til åbne data om sygehusenes ventetider'

/** Clicks the button and answers the download's file name, its bytes and the type of the Blob the page made. */
async function downloadLetter (page: Page) {
  // The page's Blob: its type says what the page received (recorded as the page makes it).
  // (Once per document: moving between the pages' hash routes keeps it.)
  await page.evaluate(`(() => {
    if (window.blobTypes === undefined) {
      const created = URL.createObjectURL.bind(URL)
      URL.createObjectURL = (object) => {
        if (object instanceof Blob) window.blobTypes.push(object.type)
        return created(object)
      }
    }
    window.blobTypes = []
  })()`)
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Hent brev som PDF' }).click()
  ])
  const bytes = await readFile(await download.path())
  const blobTypes = await page.evaluate('window.blobTypes') as string[]
  return { filename: download.suggestedFilename(), bytes, blobTypes }
}

t.test('"Hent brev som PDF" downloads the letter as a PDF, in Chromium', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)
  const project = await submitProject(app, '1084', gatedProject({ title: TITLE }))
  await assessedByTwo(app, project.id)
  expectStatus(await issueLetter(app, project.id, letterBody({
    recommendations: [{ category: 'planning', text: 'Fastlæg en tidsplan for udfasning af de gamle løsninger i Ærø og Ølstykke.' }]
  })), 201)

  const { page, checkConsole } = await openTab(t, browser, 'owner (letter PDF)')
  await signInWithToken(t, page, base, await token('submitter', '1084', { sub: 'mette', name: 'Mette Projektleder' }), 'Mine projekter')

  for (const [where, path] of [['the project page', `#/projects/${project.reference}`], ['the letter\'s page', `#/projects/${project.reference}/letter`]] as const) {
    await t.test(where, async (t) => {
      await page.goto(`${base}/app/${path}`)
      await expectPage(t, page, path.endsWith('/letter') ? 'Anbefalingsbrev' : TITLE)
      const button = page.getByRole('button', { name: 'Hent brev som PDF' })
      t.equal(await button.count(), 1, 'one button, labelled in Danish')
      await checkAccessibility(t, page, path.endsWith('/letter') ? 'brevside' : 'projektside')

      const { filename, bytes, blobTypes } = await downloadLetter(page)
      t.equal(filename, `anbefalingsbrev-${project.reference}.pdf`)
      t.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-')
      t.same(blobTypes, ['application/pdf'])
      t.equal(await page.locator('.letter-download .message-error').count(), 0, 'no error shown')
    })
  }
  checkConsole()
})
