// After a red judgement, in Chromium: the secretariat records the council's decision (an empty form
// refused in Danish first), the owner closes the project (an empty form and a future date refused
// in Danish first) and reports the realised benefits once; the project page and the timeline show
// them. The council's portfolio for a half-year: the period picker, red rows first, a missing
// report marked, "Vis flere" with a small page size, and the chart of the lights with its table of
// the same numbers. axe-core on every page state; screenshots in .tap/screenshots/closure-NN-*.png.
import type { Page } from 'playwright-core'
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { gatedProject, submitProject } from '../helpers/fixtures.ts'
import { backdateLetter, expectStatus, recentPeriods, secretariat as secretariatHeaders, statusReportBody, withLetter } from '../review/helpers.ts'
import { expectCount, expectPage, expectText, expectUrl, expectValue, launch, listen, openTab, pageChecks, signInWithToken, skip } from './browser-helpers.ts'

const { checkAccessibility } = pageChecks('closure-')

t.setTimeout(900_000)

const RED = 'Fælles regional sengeplanlægning'
const GREEN = 'Regional løsning til digitale henvisninger'
const SILENT = 'Fælles regionalt vagtplansystem'
const DECISION = 'Rådet anbefaler at lukke projektet, fordi gevinsterne ikke længere kan nås.'

/** "2026-H2" → "2. halvår 2026" */
const inWords = (period: string) => `${period.slice(-1)}. halvår ${period.slice(0, 4)}`
/** Today in Denmark, and a date some days from it, as YYYY-MM-DD. */
const danishDate = (offsetDays = 0) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(new Date(Date.now() + offsetDays * 86_400_000))
/** "2026-12-03" → "3. december 2026" */
const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december']
const dateInWords = (date: string) => `${Number(date.slice(8))}. ${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`

t.test('red judgement, decision, closure and benefits; the council\'s portfolio per half-year, in Chromium', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)
  const [current, previous, , oldest] = recentPeriods(4) as [string, string, string, string]
  // Letters from the oldest of the chart's half-years, so that the previous half-year can be reported.
  const letterDate = `${oldest.slice(0, 4)}-${oldest.endsWith('H1') ? '01' : '07'}-15T10:00:00Z`
  const ownerJwt = await token('submitter', '1084', { sub: 'mette', name: 'Mette Projektleder' })
  const secretariatJwt = await token('secretariat', 'ITR', { sub: 'sek-lise', name: 'Lise Sekretariat' })

  // Submitted in this order, so that by reference the red one would come last: the API puts it first.
  const projects: Record<string, { id: string, reference: string }> = {}
  for (const title of [GREEN, SILENT, RED]) {
    const project = await submitProject(app, '1084', gatedProject({ title }))
    await withLetter(app, project.id)
    await backdateLetter(app, project.id, letterDate)
    projects[title] = project
  }
  const red = projects[RED]!
  const report = (id: string, body: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/v1/projects/${id}/status-reports`, headers: bearer(ownerJwt), payload: statusReportBody({ period: previous, ...body }) })
  expectStatus(await report(projects[GREEN]!.id, { cost: 'green', schedule: 'green', financialBenefits: 'green', nonFinancialBenefits: 'green' }), 201)
  expectStatus(await report(red.id, { cost: 'red', schedule: 'yellow' }), 201)
  expectStatus(await app.inject({
    method: 'POST',
    url: `/v1/projects/${red.id}/status-reports/${previous}/judgement`,
    headers: await secretariatHeaders(),
    payload: { overall: 'red', comment: 'Omkostningerne er løbet løbsk.' }
  }), 200)

  const openProject = async (page: Page, reference: string, title: string) => {
    const search = page.getByRole('searchbox', { name: 'Søg efter sag' })
    await search.fill(reference)
    await search.press('Enter')
    await expectPage(t, page, title)
  }

  const { page: secretariat, checkConsole: secretariatConsole } = await openTab(t, browser, 'secretariat (closure)')
  await signInWithToken(t, secretariat, base, secretariatJwt, 'Sagsoversigt')

  await t.test('the secretariat records the council\'s decision after the red judgement', async (t) => {
    await openProject(secretariat, red.reference, RED)
    const form = secretariat.getByRole('form', { name: 'Rådets beslutning efter rød vurdering' })
    await expectText(t, form, `Rådet har vurderet statusrapporten for ${inWords(previous)} rød.`)
    await checkAccessibility(t, secretariat, 'beslutning')
    await form.getByRole('button', { name: 'Gem rådets beslutning' }).click()
    await expectText(t, form.locator('.message-error'), 'Vælg rådets opfølgningsspor.')
    await expectText(t, form.locator('.message-error'), 'Skriv en begrundelse for beslutningen.')
    await checkAccessibility(t, secretariat, 'beslutning-valideringsfejl')

    for (const label of ['Tilbage til planen', 'Ny baseline']) await expectCount(t, form.getByRole('radio', { name: label, exact: true }), 1)
    await form.getByRole('radio', { name: 'Projektet lukkes', exact: true }).check()
    await form.getByLabel(/^Begrundelse/).fill(DECISION)
    await form.getByRole('button', { name: 'Gem rådets beslutning' }).click()
    await expectPage(t, secretariat, RED)
    await expectText(t, secretariat.locator('.message-success'), 'Rådets beslutning er registreret: Projektet lukkes.')
    await expectText(t, secretariat.getByRole('region', { name: 'Oplysninger om projektet' }), /Opfølgningsspor\s*Projektet lukkes/)
    await expectCount(t, secretariat.getByRole('form', { name: 'Rådets beslutning efter rød vurdering' }), 0, 'once per red judgement')
    await expectText(t, secretariat.locator('.timeline li', { hasText: 'Rådets beslutning efter rød vurdering' }), `${inWords(previous)}: opfølgningsspor "Projektet lukkes".`)
    await checkAccessibility(t, secretariat, 'beslutning-registreret')
  })

  const { page: owner, checkConsole: ownerConsole } = await openTab(t, browser, 'owner (closure)')
  await signInWithToken(t, owner, base, ownerJwt, 'Mine projekter')
  const today = danishDate()

  await t.test('the owner closes the project: an empty form and a future date are refused first', async (t) => {
    await openProject(owner, red.reference, RED)
    await expectText(t, owner.getByRole('region', { name: 'Oplysninger om projektet' }), /Opfølgningsspor\s*Projektet lukkes/)
    await owner.getByRole('link', { name: 'Afslut projektet' }).click()
    await expectPage(t, owner, 'Afslut projektet')
    await expectText(t, owner.locator('main .notice'), 'Afslutningen er endelig.')
    await checkAccessibility(t, owner, 'afslut')

    await owner.getByRole('button', { name: 'Ja, afslut projektet' }).click()
    const summary = owner.locator('.message-error')
    await expectText(t, summary, 'Skriv den dato, projektet blev afsluttet.')
    await expectText(t, summary, 'Skriv de endelige omkostninger i kr.')
    await expectText(t, summary, 'Skriv en bemærkning til afslutningen.')
    await checkAccessibility(t, owner, 'afslut-valideringsfejl')

    await owner.getByLabel(/^Afsluttet den/).fill(danishDate(3))
    await owner.getByLabel(/^Endelige omkostninger/).fill('10,4 mio.')
    await owner.getByLabel(/^Bemærkning/).fill('Projektet lukkes efter rådets beslutning; den første del er leveret.')
    await owner.getByRole('button', { name: 'Ja, afslut projektet' }).click()
    await expectText(t, summary, `Afslutningsdatoen kan ikke ligge i fremtiden (efter ${dateInWords(today)}).`)
    await expectText(t, summary, 'Skriv de endelige omkostninger som et helt antal kroner, fx 10.400.000.')
    await checkAccessibility(t, owner, 'afslut-fremtidig-dato')

    await owner.getByLabel(/^Afsluttet den/).fill(today)
    await owner.getByLabel(/^Endelige omkostninger/).fill('10.400.000')
    await owner.getByRole('button', { name: 'Ja, afslut projektet' }).click()
    await expectPage(t, owner, RED)
    await expectText(t, owner.locator('.message-success'), 'Projektet er afsluttet.')
    await expectText(t, owner.locator('.lead'), 'Afsluttet')
    const facts = owner.getByRole('region', { name: 'Oplysninger om projektet' })
    await expectText(t, facts, `Afsluttet den ${dateInWords(today)}`)
    await expectText(t, facts, 'Endelige omkostninger: 10.400.000 kr.')
    await expectCount(t, owner.getByRole('link', { name: 'Afslut projektet' }), 0, 'closed is final')
    await expectCount(t, owner.getByRole('link', { name: 'Indsend statusrapport' }), 0)
    const closed = owner.locator('.timeline li', { hasText: 'Projektet er afsluttet' })
    await expectText(t, closed, `Afsluttet den ${dateInWords(today)}.`)
    await expectText(t, closed, 'Endelige omkostninger: 10.400.000 kr.')
    await expectText(t, owner.getByRole('region', { name: 'Gevinstopgørelser' }), 'Projektet har endnu ikke indsendt en gevinstopgørelse.')
    await checkAccessibility(t, owner, 'afsluttet')
  })

  await t.test('the owner reports the realised benefits within the window', async (t) => {
    await owner.getByRole('link', { name: 'Indsend gevinstopgørelse' }).click()
    await expectPage(t, owner, 'Indsend gevinstopgørelse')
    const until = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`
    await expectText(t, owner.locator('main'), `inden for 12 måneder efter afslutningen: ${dateInWords(today)} – ${dateInWords(until)}`)
    await checkAccessibility(t, owner, 'gevinstopgoerelse')
    await owner.getByRole('button', { name: 'Indsend gevinstopgørelse' }).click()
    await expectText(t, owner.locator('.message-error'), 'Skriv den dato, gevinsterne er opgjort.')
    await expectText(t, owner.locator('.message-error'), 'Skriv de realiserede økonomiske gevinster i kr.')
    await checkAccessibility(t, owner, 'gevinstopgoerelse-valideringsfejl')

    await owner.getByLabel(/^Opgjort den/).fill(today)
    await owner.getByLabel(/^Realiserede økonomiske gevinster/).fill('1.500.000')
    await owner.getByLabel(/^Bemærkning/).fill('Den første del af gevinsterne er hentet hjem.')
    await owner.getByRole('button', { name: 'Indsend gevinstopgørelse' }).click()
    await expectPage(t, owner, RED)
    await expectText(t, owner.locator('.message-success'), 'Gevinstopgørelse 1 er indsendt.')
    const reports = owner.getByRole('region', { name: 'Gevinstopgørelser' })
    await expectText(t, reports.getByRole('article', { name: 'Gevinstopgørelse 1' }), /Realiserede økonomiske gevinster\s*1\.500\.000 kr\./)
    await expectText(t, owner.locator('.timeline li', { hasText: 'Gevinstopgørelse er indsendt' }), 'Realiserede økonomiske gevinster: 1.500.000 kr.')
    await expectCount(t, owner.getByRole('link', { name: 'Indsend gevinstopgørelse' }), 1, 'one more may follow')
    await checkAccessibility(t, owner, 'gevinstopgoerelse-indsendt')
    ownerConsole()
  })

  await t.test('the portfolio per half-year: red first, a missing report marked, more on demand, the chart', async (t) => {
    await secretariat.goto(`${base}/app/#/portfolio?period=${previous}&limit=2`)
    await expectPage(t, secretariat, 'Porteføljeoverblik', { focused: false })
    await expectValue(t, secretariat.getByLabel('Halvår', { exact: true }), previous)
    const rows = secretariat.locator('table.portfolio tbody tr')
    await expectCount(t, rows, 2, 'a page of two')
    await expectText(t, rows.nth(0), new RegExp(`${RED}.*Rød.*Projektet lukkes`), 'red first, with the follow-up track')
    await expectText(t, rows.nth(1), new RegExp(`${GREEN}.*Grøn \\(projektets egen vurdering\\)`))
    await expectText(t, secretariat.locator('.summary'),
      `${inWords(previous)}: 3 projekter under Regionernes It-råd. Samlet vurdering: 1 grøn, 0 gule og 1 rød; 1 uden statusrapport. 1 af dem er projektets egen vurdering`)
    const chart = secretariat.getByRole('table', { name: /^Lysene pr\. halvår/ })
    const cells = async (period: string) => await chart.getByRole('row').filter({ hasText: inWords(period) }).getByRole('cell').allTextContents()
    t.same(await cells(previous), ['1', '0', '1', '1', '3'], 'the chart\'s table: green, yellow, red, missing, total')
    t.same(await cells(current), ['0', '0', '0', '3', '3'], 'the current half-year: nothing reported yet')
    await expectCount(t, secretariat.locator('figure svg[aria-hidden="true"]'), 1, 'the bars, with the table as their text alternative')
    await expectText(t, secretariat.locator('figure figcaption'), 'Lysene pr. halvår, Regionernes It-råd')
    await checkAccessibility(t, secretariat, 'portefoelje-forrige-halvaar')

    await secretariat.getByRole('button', { name: 'Vis flere' }).click()
    await expectCount(t, rows, 3)
    await expectText(t, rows.nth(2), new RegExp(`${SILENT}.*Mangler statusrapport`))
    await expectCount(t, secretariat.getByRole('button', { name: 'Vis flere' }), 0, 'no more')
    await expectText(t, secretariat.locator('main'), 'Viser 3 af 3 projekter.')
    await checkAccessibility(t, secretariat, 'portefoelje-vis-flere')

    await secretariat.getByLabel('Halvår', { exact: true }).selectOption(current)
    await secretariat.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, secretariat, 'Porteføljeoverblik')
    await expectUrl(t, secretariat, /#\/portfolio\?limit=2$/)
    await expectCount(t, secretariat.locator('table.portfolio tbody tr', { hasText: 'Ikke indsendt endnu' }), 2, 'the current half-year: not reported yet')
    await checkAccessibility(t, secretariat, 'portefoelje-indevaerende-halvaar')
    secretariatConsole()
  })

  await t.test('the administrator picks the council', async (t) => {
    const { page: admin, checkConsole } = await openTab(t, browser, 'admin (portfolio)')
    await signInWithToken(t, admin, base, await token('admin', 'ITR', { sub: 'root', name: 'Ada Administrator' }), 'Porteføljeoverblik')
    await expectValue(t, admin.getByLabel('Råd', { exact: true }), 'regions')
    await expectCount(t, admin.locator('table.portfolio tbody tr'), 3, 'Regionernes It-råd by default')
    await checkAccessibility(t, admin, 'portefoelje-administrator')
    await admin.getByLabel('Råd', { exact: true }).selectOption({ label: 'Statens It-råd' })
    await admin.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, admin, 'Porteføljeoverblik')
    await expectUrl(t, admin, /#\/portfolio\?council=state$/)
    await expectText(t, admin.locator('main'), 'Ingen projekter matcher filteret.')
    await expectText(t, admin.locator('.summary'), `${inWords(current)}: 0 projekter under Statens It-råd.`)
    const stateChart = admin.getByRole('table', { name: /^Lysene pr\. halvår, Statens It-råd/ })
    await expectCount(t, stateChart, 1)
    t.same(await stateChart.getByRole('row').filter({ hasText: inWords(current) }).getByRole('cell').allTextContents(), ['0', '0', '0', '0', '0'], 'nothing under Statens It-råd')
    await checkAccessibility(t, admin, 'portefoelje-statens-it-raad')
    checkConsole()
  })
})
