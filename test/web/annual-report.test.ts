// The council's annual report in Chromium: the secretariat opens "Årsrapport" from the navigation,
// picks the year, reads the key figures in Danish words (number agreement: "1 brev", "3 breve"),
// the three charts' tables of figures (their text alternative), and downloads the report as CSV
// and as PDF with its token; the administrator picks the council. axe-core on every page state;
// screenshots in .tap/screenshots/annual-report-NN-*.png.
import { readFile } from 'node:fs/promises'
import { sql } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import t from 'tap'
import { build, token } from '../helpers/build.ts'
import { gatedProject, submitProject } from '../helpers/fixtures.ts'
import { assessedByTwo, backdateLetter, expectStatus, issueLetter, letterBody, reportStatus, secretariat as secretariatHeaders, statusReportBody } from '../review/helpers.ts'
import { expectPage, expectText, expectUrl, expectValue, launch, listen, openTab, pageChecks, signInWithToken, skip } from './browser-helpers.ts'

const { checkAccessibility } = pageChecks('annual-report-')

t.setTimeout(600_000)

/** Clicks the button and answers the download's file name and bytes. */
async function downloadFrom (page: Page, name: string) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()])
  return { filename: download.suggestedFilename(), bytes: await readFile(await download.path()) }
}

t.test('the annual report: key figures, charts with their tables, CSV and PDF, in Chromium', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)

  // Three projects with 2025 letters: 5, 9 (late) and 5 working days after submission.
  const seed = async (title: string, letter: Record<string, unknown>, submittedOn: string, dueOn: string, issuedAt: string) => {
    const project = await submitProject(app, '1084', gatedProject({ title }))
    await assessedByTwo(app, project.id)
    expectStatus(await issueLetter(app, project.id, letterBody(letter)), 201)
    await app.db.execute(sql`update projects set submitted_on = ${submittedOn}, assessment_due_on = ${dueOn} where id = ${project.id}`)
    await backdateLetter(app, project.id, issuedAt)
    return project
  }
  const a = await seed('Fælles booking; første etape', { riskProfile: 'B', recommendations: [{ category: 'planning', text: 'Læg en plan.' }, { category: 'supplier', text: 'Markedsdialog.' }] },
    '2025-02-03', '2025-02-17', '2025-02-10T10:00:00+01:00')
  const b = await seed('Øresundsregionens data', { riskProfile: 'A', recommendations: [{ category: 'supplier', text: 'Exit-plan.' }] },
    '2025-03-03', '2025-03-10', '2025-03-14T10:00:00+01:00')
  const c = await seed('Sygehusenes ventetider', { riskProfile: 'D', recommendations: [] },
    '2025-08-25', '2025-09-08', '2025-09-01T10:00:00+02:00')
  // 1. halvår: a green, b red. 2. halvår: a not judged, b missing, c yellow.
  for (const [project, period, overall] of [[a, '2025-H1', 'green'], [b, '2025-H1', 'red'], [a, '2025-H2', null], [c, '2025-H2', 'yellow']] as const) {
    expectStatus(await reportStatus(app, project.id, statusReportBody({ period })), 201)
    if (overall !== null) {
      expectStatus(await app.inject({
        method: 'POST', url: `/v1/projects/${project.id}/status-reports/${period}/judgement`, headers: await secretariatHeaders(), payload: { overall, comment: 'Rådets vurdering.' }
      }), 200)
    }
  }

  const { page, checkConsole } = await openTab(t, browser, 'secretariat (annual report)')
  await signInWithToken(t, page, base, await token('secretariat', 'ITR', { sub: 'sek-lise', name: 'Lise Sekretariat' }), 'Sagsoversigt')

  await t.test('the secretariat opens the report from the navigation and picks 2025', async (t) => {
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Årsrapport' }).click()
    await expectPage(t, page, 'Årsrapport')
    const thisYear = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(new Date()).slice(0, 4)
    await expectValue(t, page.getByLabel('År', { exact: true }), thisYear, 'the current year first')
    t.equal(await page.getByLabel('År', { exact: true }).locator('option').first().textContent(), thisYear)
    t.equal(await page.getByLabel('År', { exact: true }).locator('option').last().textContent(), '2019')
    await checkAccessibility(t, page, 'indevaerende-aar')

    await page.getByLabel('År', { exact: true }).selectOption('2025')
    await page.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, page, 'Årsrapport')
    await expectUrl(t, page, /#\/annual-report\?year=2025$/)
    const figures = page.getByRole('region', { name: 'Regionernes It-råd i 2025' })
    for (const line of [
      /Anbefalingsbreve\s*3 breve/,
      /Tid fra indsendelse til brev\s*5 arbejdsdage \(median\)/,
      /Breve efter fristen\s*1 brev(?!e)/,
      /Anbefalinger\s*3 anbefalinger/,
      /Projekter i porteføljen\s*3 projekter/,
      /Støtteberettigede omkostninger\s*30\.000\.000 kr\./,
      /Afsluttede projekter\s*0 projekter/
    ]) await expectText(t, figures, line)

    // The charts' text alternatives: a table of the same numbers under each.
    const rows = async (caption: RegExp, row: string) => await page.getByRole('table', { name: caption }).getByRole('row').filter({ hasText: row }).getByRole('cell').allTextContents()
    t.same(await rows(/^Anbefalingsbreve pr\. risikoprofil, 2025/, 'A – meget høj risiko'), ['1'])
    t.same(await rows(/^Anbefalingsbreve pr\. risikoprofil, 2025/, 'C – middel risiko'), ['0'])
    t.same(await rows(/^Anbefalinger pr\. kategori, 2025/, 'Leverandør'), ['2'])
    t.same(await rows(/^Anbefalinger pr\. kategori, 2025/, 'Planlægning'), ['1'])
    const lights = /^Rådets vurderinger af statusrapporterne pr\. halvår, 2025/
    t.same(await page.getByRole('table', { name: lights }).getByRole('columnheader').allTextContents(), ['Halvår', 'Grøn', 'Gul', 'Rød', 'Ikke vurderet', 'Mangler statusrapport', 'I alt'])
    t.same(await rows(lights, '1. halvår 2025'), ['1', '0', '1', '0', '0', '2'])
    t.same(await rows(lights, '2. halvår 2025'), ['0', '1', '0', '1', '1', '3'])
    t.equal(await page.locator('figure svg[aria-hidden="true"]').count(), 3, 'three charts, drawn for the eye only')
    await checkAccessibility(t, page, '2025')
  })

  await t.test('"Hent CSV" and "Hent PDF" download the report with the session\'s token', async (t) => {
    const csv = await downloadFrom(page, 'Hent CSV')
    t.equal(csv.filename, 'aarsrapport-regions-2025.csv')
    t.same([...csv.bytes.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'with a byte order mark for Excel')
    const lines = csv.bytes.subarray(3).toString('utf8').split('\r\n')
    t.equal(lines[0], 'reference;title;owner;council;riskProfile;letterDate;eligibleCostDkk;2025-H1;2025-H2')
    t.equal(lines[1], `${a.reference};"Fælles booking; første etape";Region Hovedstaden;Regionernes It-råd;B;2025-02-10;10000000;grøn;ikke vurderet`)
    const pdf = await downloadFrom(page, 'Hent PDF')
    t.equal(pdf.filename, 'aarsrapport-regions-2025.pdf')
    t.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-')
    t.equal(await page.locator('main .message-error').count(), 0, 'no error shown')
    checkConsole()
  })

  await t.test('the administrator picks the council', async (t) => {
    const { page: admin, checkConsole } = await openTab(t, browser, 'admin (annual report)')
    await signInWithToken(t, admin, base, await token('admin', 'ITR', { sub: 'root', name: 'Ada Administrator' }), 'Porteføljeoverblik')
    await admin.goto(`${base}/app/#/annual-report?year=2025`)
    await expectPage(t, admin, 'Årsrapport', { focused: false })
    await expectValue(t, admin.getByLabel('Råd', { exact: true }), 'regions')
    await expectText(t, admin.getByRole('region', { name: 'Regionernes It-råd i 2025' }), /Anbefalingsbreve\s*3 breve/)
    await admin.getByLabel('Råd', { exact: true }).selectOption({ label: 'Statens It-råd' })
    await admin.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, admin, 'Årsrapport')
    await expectUrl(t, admin, /#\/annual-report\?council=state&year=2025$/)
    const figures = admin.getByRole('region', { name: 'Statens It-råd i 2025' })
    await expectText(t, figures, /Anbefalingsbreve\s*0 breve/)
    await expectText(t, figures, /Tid fra indsendelse til brev\s*Ingen breve i året/)
    await expectText(t, admin.locator('main'), 'Ingen anbefalinger i 2025.')
    await checkAccessibility(t, admin, 'statens-it-raad')
    checkConsole()
  })
})
