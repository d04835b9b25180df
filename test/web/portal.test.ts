// The portal for every role, in Chromium: a region submits a gated project through the form (the
// live sums and the gate's verdict before sending), the secretariat assigns two members, both
// assess (one through "Mine sager"), the secretariat issues the letter, the region reads it at
// #/projects/<reference>/letter, answers and files a status report; a revision from a stale tab
// says who changed what; a withdrawal's reason shows in the history; nothing shows English problem
// text. axe-core on every page state; screenshots in .tap/screenshots/portal-NN-*.png.
import type { Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { submitProject, ungatedProject } from '../helpers/fixtures.ts'
import {
  ENGLISH_PROBLEM, expectCount, expectInPage, expectPage, expectText, expectUrl, expectValue, launch, listen, openTab,
  pageChecks, signInWithToken, skip
} from './browser-helpers.ts'

const { checkAccessibility } = pageChecks('portal-')

// Seven sign-ins in a real browser on a busy two-core machine: far beyond the per-file default.
t.setTimeout(900_000)

const TITLE = 'Fælles regional talegenkendelse'
const STATEMENT = 'Rådet vurderer, at projektet har en middel risiko; leverandørmarkedet bør afdækkes før udbuddet.'
const ANSWER = 'Projektet gennemfører en markedsdialog før udbuddet, som rådet anbefaler.'

/** The half-year of today in Denmark, as the status report page offers it ("2. halvår 2026"). */
function currentHalfYear (): string {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit' })
    .format(new Date()).split('-')
  return `${Number(month) <= 6 ? 1 : 2}. halvår ${year}`
}

/** A council member's assessment through the form, from the project page. */
async function assess (t: Test, page: Page, scores: string[], profile: string, summary: string) {
  await page.getByRole('link', { name: 'Registrér risikovurdering' }).click()
  await expectPage(t, page, 'Risikovurdering')
  const dimensions = ['Forretning', 'Styring', 'Planlægning', 'Teknologi', 'Leverandør', 'Økonomi', 'Sikkerhed']
  for (const [i, dimension] of dimensions.entries()) {
    await page.getByRole('group', { name: dimension }).getByRole('radio', { name: new RegExp(`^${scores[i]} – `) }).check()
  }
  await page.getByRole('group', { name: 'Foreslået risikoprofil' }).getByRole('radio', { name: new RegExp(`^${profile} – `) }).check()
  await page.getByLabel('Sammenfatning').fill(summary)
  await page.getByLabel('Område', { exact: true }).first().selectOption('supplier')
  await page.getByLabel('Anbefaling', { exact: true }).first().fill('Afdæk leverandørmarkedet før udbuddet.')
  await page.getByRole('button', { name: 'Indsend risikovurdering' }).click()
}

t.test('the portal for every role, in Chromium', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)

  const metteJwt = await token('submitter', '1084', { sub: 'mette', name: 'Mette Hansen' })
  const jensJwt = await token('submitter', '1084', { sub: 'jens', name: 'Jens Jensen' })
  const secretariatJwt = await token('secretariat', 'ITR', { sub: 'sek-lise', name: 'Lise Sekretariat' })
  // Council members sign in with their own organisation's code, as the directory has it.
  const annaJwt = await token('council_member', '1081', { sub: 'cm-anna', name: 'Anna Rådsmedlem' })
  const boJwt = await token('council_member', '1082', { sub: 'cm-bo', name: 'Bo Rådsmedlem' })
  // The council's directory (as an admin, through the API): the secretariat assigns from it.
  const adminJwt = await token('admin', 'ITR', { sub: 'admin-ida', name: 'Ida Administrator' })
  for (const member of [{ sub: 'cm-anna', name: 'Anna Rådsmedlem', org: '1081' }, { sub: 'cm-bo', name: 'Bo Rådsmedlem', org: '1082' }]) {
    const registered = await app.inject({ method: 'POST', url: '/v1/members', headers: bearer(adminJwt), payload: { ...member, council: 'regions' } })
    t.equal(registered.statusCode, 201, `${member.name} is in the directory`)
  }

  let reference = ''
  let id = ''

  // 1. The region submits a gated project through the form.
  await t.test('the region submits a gated project: live sums and the gate\'s verdict before sending', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'region (submission)')
    await signInWithToken(t, page, base, metteJwt, 'Mine projekter')
    await expectText(t, page.locator('main'), 'Region Hovedstaden har endnu ikke indsendt projekter.')
    await expectText(t, page.locator('header'), /Mette Hansen.*Indsender · Region Hovedstaden/)
    await expectCount(t, page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Sagsoversigt' }), 0, 'no queue in a region\'s menu')
    await checkAccessibility(t, page, 'mine-projekter-tom')

    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Indsend projekt' }).click()
    await expectPage(t, page, 'Indsend projekt')
    await expectInPage(t, page, 'document.getElementById("project-region-1084")?.checked', true, 'the own region is chosen from the start')
    await expectText(t, page.locator('.gate-preview'), 'Gatens vurdering vises, når mindst én region er valgt og alle budgetlinjer har år og beløb.')
    await checkAccessibility(t, page, 'indsend-projekt')

    // Sent empty: a summary of what is missing, focused.
    await page.getByRole('button', { name: 'Indsend projekt' }).click()
    const summary = page.locator('.message-error')
    await expectText(t, summary, 'Skriv projektets titel.')
    await expectText(t, summary, 'Angiv beløbet i budgetlinje 1 i hele kroner, fx 6.000.000.')
    await expectInPage(t, page, 'document.activeElement?.classList.contains("message-error")', true, 'focus moves to the summary')
    await checkAccessibility(t, page, 'indsend-projekt-valideringsfejl')

    await page.getByLabel('Titel').fill(TITLE)
    await page.getByLabel('Beskrivelse').fill('Fælles talegenkendelse til journalføring i alle fem regioner.')
    await page.getByLabel('Fase').selectOption({ label: 'Analyse' })
    await page.getByLabel('Planlagt start').fill('2027-01-01')
    await page.getByLabel('Planlagt slut').fill('2028-12-31')
    await page.getByLabel('Navn').fill('Mette Hansen')
    await page.getByLabel('E-mail').fill('mette.hansen@regionh.dk')

    // The budget: three lines, one of them running costs that the gate does not count.
    const line = (n: number) => page.getByRole('group', { name: `Budgetlinje ${n}`, exact: true })
    await line(1).getByLabel('Kategori').selectOption({ label: 'Leverandør' })
    await line(1).getByLabel('År').fill('2027')
    await line(1).getByLabel('Beløb (kr.)').fill('6.000.000')
    await expectText(t, page.locator('#budget-eligible'), '6.000.000 kr.')
    await page.getByRole('button', { name: 'Tilføj budgetlinje' }).click()
    await expectInPage(t, page, 'document.activeElement?.closest("fieldset")?.querySelector("legend")?.textContent', 'Budgetlinje 2', 'focus moves to the new line')
    await line(2).getByLabel('Kategori').selectOption({ label: 'Interne ressourcer' })
    await line(2).getByLabel('År').fill('2027')
    await line(2).getByLabel('Beløb (kr.)').fill('4000000')
    await page.getByRole('button', { name: 'Tilføj budgetlinje' }).click()
    await line(3).getByLabel('Kategori').selectOption({ label: 'Drift' })
    await line(3).getByLabel('År').fill('2029')
    await line(3).getByLabel('Beløb (kr.)').fill('900.000')
    await expectText(t, line(3), 'Medregnes ikke i gaten.')
    await expectText(t, page.locator('#budget-eligible'), '10.000.000 kr.', 'the eligible cost leaves running costs out')
    await expectText(t, page.locator('#budget-total'), '10.900.000 kr.')

    // With only its own region the project is below the gate, and the verdict says why, with names.
    const verdict = page.locator('.gate-preview')
    await expectText(t, verdict, 'Projektet skal ikke vurderes af rådet.')
    await expectText(t, verdict, 'Kun 1 af 5 påkrævede regioner deltager (mangler Region Nordjylland, Region Midtjylland, Region Syddanmark, Region Sjælland)')

    // A fourth line, added and removed again: the sums follow.
    await page.getByRole('button', { name: 'Tilføj budgetlinje' }).click()
    await line(4).getByLabel('Kategori').selectOption({ label: 'Renter' })
    await line(4).getByLabel('År').fill('2028')
    await line(4).getByLabel('Beløb (kr.)').fill('100.000')
    await expectText(t, page.locator('#budget-total'), '11.000.000 kr.')
    await expectText(t, page.locator('#budget-eligible'), '10.000.000 kr.', 'interest does not count either')
    await page.getByRole('button', { name: 'Fjern budgetlinje 4' }).click()
    await expectCount(t, page.locator('fieldset.budget-line'), 3)
    await expectText(t, page.locator('#budget-total'), '10.900.000 kr.')

    for (const region of ['Region Nordjylland', 'Region Midtjylland', 'Region Syddanmark', 'Region Sjælland']) await page.getByLabel(region).check()
    await expectText(t, verdict, 'Projektet skal vurderes af rådet.')
    await expectText(t, verdict, 'Medregnede omkostninger på 10.000.000 kr. er mindst 10.000.000 kr.')
    await expectText(t, verdict, 'Alle fem regioner deltager')
    await expectText(t, verdict, 'regions-2019')
    await checkAccessibility(t, page, 'indsend-projekt-udfyldt')

    // Expected benefits are optional, but an amount needs its description.
    await page.getByLabel(/^Økonomiske gevinster i kr\./).fill('2.000.000')
    await page.getByRole('button', { name: 'Indsend projekt' }).click()
    await expectText(t, page.locator('.message-error'), 'Beskriv de forventede gevinster, når der er angivet et beløb.')
    await page.getByLabel(/^Beskriv gevinsterne/).fill('Kortere tid på journalføring for læger og sygeplejersker.')
    await page.getByRole('button', { name: 'Indsend projekt' }).click()
    await expectPage(t, page, TITLE)
    const success = page.locator('.message-success')
    await expectText(t, success, /Projektet er indsendt med referencen (ITR|SIR)-\d{4}-\d{4,}\./)
    reference = /((ITR|SIR)-\d{4}-\d{4,})/.exec(await success.textContent() ?? '')?.[1] ?? ''
    id = /#\/projects\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? ''
    t.ok(reference && id, 'the new project\'s reference and id')
    await expectText(t, page.locator('.lead'), 'Afventer vurdering')
    await expectText(t, page.locator('tfoot'), /10\.000\.000 kr\..*10\.900\.000 kr\./)
    await expectText(t, page.getByRole('region', { name: 'Oplysninger om projektet' }), /Forventede gevinster\s*Økonomiske gevinster: 2\.000\.000 kr\.\s*Kortere tid på journalføring/)
    await expectText(t, page.locator('.timeline'), 'Udført af Mette Hansen (Region Hovedstaden)')
    await expectCount(t, page.getByRole('link', { name: 'Revidér projektet' }), 1, 'the owner may revise')
    await checkAccessibility(t, page, 'projekt-indsendt')

    await page.getByRole('link', { name: 'Mine projekter' }).click()
    await expectPage(t, page, 'Mine projekter')
    await expectText(t, page.locator('main table'), reference)
    await checkAccessibility(t, page, 'mine-projekter')
    checkConsole()
  })

  const stored = await app.inject({ method: 'GET', url: `/v1/projects/${id}`, headers: bearer(metteJwt) })
  t.match(stored.json(), { status: 'awaiting_assessment', eligibleCostDkk: 10_000_000, totalCostDkk: 10_900_000, participatingRegions: ['1081', '1082', '1083', '1084', '1085'] })

  // 2. The secretariat assigns two members, chosen by name; one assigned is no longer offered.
  await t.test('the secretariat assigns two council members', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'secretariat (assignments)')
    await signInWithToken(t, page, base, secretariatJwt, 'Sagsoversigt')
    await page.getByRole('link', { name: TITLE }).click()
    await expectPage(t, page, TITLE)
    const member = page.getByRole('combobox', { name: /^Rådsmedlem/ })
    const assign = async (name: string) => {
      await member.selectOption({ label: name })
      await page.getByRole('button', { name: 'Tilknyt' }).click()
    }
    await assign('Anna Rådsmedlem (Region Nordjylland)')
    await expectPage(t, page, TITLE)
    await expectText(t, page.locator('.message-success'), 'Rådsmedlemmet er tilknyttet sagen.')

    // Anna is assigned: she is no longer offered.
    const options = await member.locator('option').evaluateAll((list) => list.map((o) => o.textContent ?? ''))
    t.same(options, ['Vælg rådsmedlem', 'Bo Rådsmedlem (Region Midtjylland)'], 'an assigned member is not offered again')
    await checkAccessibility(t, page, 'tilknyt-anden')

    await assign('Bo Rådsmedlem (Region Midtjylland)')
    await expectPage(t, page, TITLE)
    await expectText(t, page.locator('.message-success'), 'Rådsmedlemmet er tilknyttet sagen.')
    await expectCount(t, page.locator('.timeline li', { hasText: 'Rådsmedlem er tilknyttet' }), 2)
    await expectCount(t, page.getByRole('button', { name: 'Tilknyt' }), 0, 'two active members: no third')
    await expectText(t, page.getByRole('region', { name: 'Tilknyttede rådsmedlemmer' }), /Anna Rådsmedlem \(Region Nordjylland\).*Bo Rådsmedlem \(Region Midtjylland\)/)
    await expectCount(t, page.getByRole('link', { name: 'Udarbejd anbefalingsbrev' }), 1)
    await checkAccessibility(t, page, 'projekt-to-tilknyttet')
    checkConsole()
  })

  // 3. Both members assess; Anna through "Mine sager".
  await t.test('a council member assesses from "Mine sager", then sees the own assessment and nothing more to do', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'council member (Anna)')
    await signInWithToken(t, page, base, annaJwt, 'Sagsoversigt')
    const mine = page.getByRole('region', { name: 'Mine sager' })
    await expectText(t, mine, 'Du er tilknyttet 1 projekt.')
    await checkAccessibility(t, page, 'sagsoversigt-mine-sager')
    await mine.getByRole('link', { name: TITLE }).click()
    await expectPage(t, page, TITLE)
    await assess(t, page, ['3', '2', '3', '2', '4', '2', '2'], 'C', 'Middel risiko; leverandørmarkedet er smalt.')
    await expectPage(t, page, TITLE)
    await expectText(t, page.locator('.message-success'), 'Din risikovurdering er registreret.')
    const own = page.getByRole('region', { name: 'Din risikovurdering' })
    await expectText(t, own, 'Middel risiko; leverandørmarkedet er smalt.')
    await expectText(t, own, 'C – middel risiko')
    await expectText(t, own, /Leverandør\s*4 – Meget høj risiko/)
    await expectCount(t, page.getByRole('link', { name: 'Registrér risikovurdering' }), 0, 'no second assessment offered')
    await expectText(t, page.locator('.actions'), 'Du har afgivet din risikovurdering af projektet.')
    await checkAccessibility(t, page, 'projekt-egen-risikovurdering')

    // The form's address, typed in: the assessment, not an empty form.
    await page.goto(`${base}/app/#/projects/${reference}/assessment`)
    await expectPage(t, page, 'Risikovurdering')
    await expectText(t, page.locator('main'), 'Du har allerede afgivet din risikovurdering af projektet.')
    await expectCount(t, page.getByRole('button', { name: 'Indsend risikovurdering' }), 0)
    await checkAccessibility(t, page, 'risikovurdering-allerede-afgivet')
    checkConsole()
  })

  await t.test('the second council member assesses', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'council member (Bo)')
    await signInWithToken(t, page, base, boJwt, 'Sagsoversigt')
    await page.getByRole('region', { name: 'Mine sager' }).getByRole('link', { name: TITLE }).click()
    await expectPage(t, page, TITLE)
    await assess(t, page, ['2', '2', '3', '2', '3', '2', '2'], 'C', 'Samlet middel risiko.')
    await expectPage(t, page, TITLE)
    await expectText(t, page.getByRole('region', { name: 'Din risikovurdering' }), 'Samlet middel risiko.')
    checkConsole()
  })

  // 4. The secretariat issues the letter.
  await t.test('the secretariat issues the letter', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'secretariat (letter)')
    await signInWithToken(t, page, base, secretariatJwt, 'Sagsoversigt')
    await page.getByRole('link', { name: TITLE }).click()
    await expectPage(t, page, TITLE)
    await page.getByRole('link', { name: 'Udarbejd anbefalingsbrev' }).click()
    await expectPage(t, page, 'Anbefalingsbrev')
    await expectText(t, page.locator('main'), 'Sammenfatning fra Anna Rådsmedlem')
    await page.getByLabel('Rådets udtalelse').fill(STATEMENT)
    await page.getByRole('group', { name: 'Risikoprofil' }).getByRole('radio', { name: /^C – / }).check()
    await page.getByRole('button', { name: 'Udsend anbefalingsbrev' }).click()
    await expectPage(t, page, TITLE)
    await expectText(t, page.locator('.message-success'), 'Anbefalingsbrevet er udsendt.')
    await expectCount(t, page.getByRole('link', { name: 'Udarbejd anbefalingsbrev' }), 0, 'one letter')
    checkConsole()
  })

  // 5. The region finds the project by its reference, reads the letter, answers and reports.
  await t.test('the region reads the letter at its address, answers it and files a status report', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'region (letter)', [404])
    await signInWithToken(t, page, base, metteJwt, 'Mine projekter')
    const search = page.getByRole('searchbox', { name: 'Søg efter sag' })
    await search.fill(reference.toLowerCase())
    await search.press('Enter')
    await expectPage(t, page, TITLE)
    await expectUrl(t, page, new RegExp(`#/projects/${reference}$`), 'a reference opens the project')
    await expectCount(t, page.getByRole('link', { name: 'Registrér risikovurdering' }), 0)

    await page.goto(`${base}/app/#/projects/${reference}/letter`)
    await expectPage(t, page, 'Anbefalingsbrev')
    const letter = page.locator('.letter')
    await expectText(t, letter, STATEMENT, 'the letter, not an empty form')
    await expectText(t, letter, 'Risikoprofil: C – middel risiko')
    await expectCount(t, page.getByRole('button', { name: 'Udsend anbefalingsbrev' }), 0)
    await checkAccessibility(t, page, 'anbefalingsbrev-laest')

    await page.getByLabel('Projektets svar').fill(ANSWER)
    await page.getByRole('button', { name: 'Send svar' }).click()
    await expectPage(t, page, TITLE)
    await expectText(t, page.locator('.message-success'), 'Svaret på anbefalingsbrevet er sendt.')
    await expectText(t, page.locator('.lead'), 'Besvaret')
    await expectText(t, page.getByRole('region', { name: 'Projektets svar på anbefalingsbrevet' }), ANSWER, 'the answer, read back from the API')
    await expectCount(t, page.getByRole('button', { name: 'Send svar' }), 0, 'one answer')
    await checkAccessibility(t, page, 'projekt-besvaret')

    await page.getByRole('link', { name: 'Indsend statusrapport' }).click()
    await expectPage(t, page, 'Indsend statusrapport')
    const period = currentHalfYear()
    await expectText(t, page.getByLabel('Periode'), period, 'the half-year of the letter, in words')
    await checkAccessibility(t, page, 'statusrapport')
    await page.getByRole('button', { name: 'Indsend statusrapport' }).click()
    await expectText(t, page.locator('.message-error'), 'Skriv de forventede omkostninger i kr.')
    await expectText(t, page.locator('.message-error'), 'Skriv den forventede slutdato.')
    await expectText(t, page.locator('.message-error'), 'Vælg et lys for Økonomi.')
    // The figures against the baseline the letter approved: 10.000.000 kr., ending 31 December 2028.
    await expectText(t, page.locator('main'), 'Godkendt baseline: 10.000.000 kr.')
    await page.getByLabel(/^Forventede omkostninger/).fill('10.600.000')
    await page.getByLabel(/^Forventet slutdato/).fill('2029-03-01')
    const deviation = page.getByRole('region', { name: 'Beregnet afvigelse fra den godkendte baseline' })
    await expectText(t, deviation, /Økonomi \+6,0 % \(600\.000 kr\.\) – .?Gul/)
    await expectText(t, deviation, /Tidsplan 60 dage senere – .?Gul/)
    const light = (group: string, name: string) => page.getByRole('group', { name: group, exact: true }).getByRole('radio', { name, exact: true })
    await light('Økonomi (skal udfyldes)', 'Grøn').check()
    await light('Tidsplan (skal udfyldes)', 'Gul').check()
    await light('Økonomiske gevinster (skal udfyldes)', 'Grøn').check()
    await light('Ikke-økonomiske gevinster', 'Ikke angivet').check()
    await page.getByLabel('Kommentar').fill('Markedsdialogen har forsinket udbuddet en måned.')
    await page.getByRole('button', { name: 'Indsend statusrapport' }).click()
    await expectPage(t, page, TITLE)
    await expectText(t, page.locator('.message-success'), `Statusrapporten for ${period} er indsendt.`)
    const reports = page.getByRole('region', { name: 'Statusrapporter' })
    await expectText(t, reports, new RegExp(`${period}\\s*Rådets vurdering\\s*Ikke vurderet endnu\\s*Projektets egen samlede vurdering\\s*.?Gul`))
    await expectText(t, reports, /Økonomi: .?Grøn\s*Tidsplan: .?Gul\s*Økonomiske gevinster: .?Grøn\s*Ikke-økonomiske gevinster: Ikke angivet/)
    await expectText(t, reports, /Økonomi \+6,0 % \(600\.000 kr\.\) – .?Gul/)
    await expectCount(t, reports.getByRole('link', { name: /^Ret statusrapport/ }), 1, 'the owner may correct it until the council has judged it')
    await expectText(t, page.locator('.timeline'), `${period}: projektets egen samlede vurdering gul.`)
    await checkAccessibility(t, page, 'projekt-med-statusrapport')

    // A reference that does not exist: a Danish 404, no English.
    await search.fill('ITR-2099-9999')
    await search.press('Enter')
    await expectPage(t, page, 'Siden kunne ikke vises')
    const error = page.locator('.message-error')
    await expectText(t, error, 'Det findes ikke, eller du har ikke adgang til det.')
    t.notMatch(await error.textContent(), ENGLISH_PROBLEM, 'the 404 is in Danish')
    await checkAccessibility(t, page, 'sag-findes-ikke')

    // Anything else searches reference and title.
    await search.fill('talegenkendelse')
    await search.press('Enter')
    await expectPage(t, page, 'Søgeresultater')
    await expectText(t, page.locator('.summary'), '1 sag matcher "talegenkendelse".')
    await expectText(t, page.locator('main table'), reference)
    await checkAccessibility(t, page, 'soegeresultater')
    checkConsole()
  })

  // 6. A revision from a stale tab, and a withdrawal with a reason, on a project of its own.
  const second = await submitProject(app, '1084', ungatedProject({ title: 'Regional app til hjemmemonitorering' }))

  await t.test('a revision from a stale tab says who changed what, and offers the new version', async (t) => {
    const { page: first, checkConsole: checkFirst } = await openTab(t, browser, 'region (stale tab)', [412])
    const { page: other, checkConsole: checkOther } = await openTab(t, browser, 'region (other tab)')
    await signInWithToken(t, first, base, metteJwt, 'Mine projekter')
    await signInWithToken(t, other, base, jensJwt, 'Mine projekter')
    for (const page of [first, other]) {
      await page.goto(`${base}/app/#/projects/${second.id}/edit`)
      await expectPage(t, page, 'Revidér projekt')
      await expectValue(t, page.getByLabel('Titel'), 'Regional app til hjemmemonitorering')
    }
    await checkAccessibility(t, first, 'revider-projekt')
    await expectText(t, first.locator('.gate-preview'), 'Projektet skal ikke vurderes af rådet.', 'the verdict on the stored version')

    await other.getByLabel('Titel').fill('Regional app til hjemmemonitorering af KOL')
    await other.getByRole('button', { name: 'Gem ændringer' }).click()
    await expectPage(t, other, 'Regional app til hjemmemonitorering af KOL')
    await expectText(t, other.locator('.message-success'), 'Projektet er revideret. Det er nu version 2.')
    await expectText(t, other.locator('.timeline'), 'Ændret: Titel.')

    await first.getByLabel('Beskrivelse').fill('Hjemmemonitorering af borgere med kronisk sygdom.')
    await first.getByRole('button', { name: 'Gem ændringer' }).click()
    const stale = first.locator('.stale-version')
    await expectText(t, stale, 'Projektet er ændret, siden du åbnede formularen.')
    await expectText(t, stale, /jens \(Region Hovedstaden\) reviderede projektet .* så det nu er version 2\./)
    await expectText(t, stale, 'Ændret: Titel.')
    t.notMatch(await stale.textContent(), /412|If-Match|precondition/i, 'no raw error')
    await expectInPage(t, first, 'document.activeElement?.classList.contains("stale-version")', true, 'focus moves to the message')
    await checkAccessibility(t, first, 'revider-projekt-foraeldet')

    await first.getByRole('button', { name: 'Indlæs den nye version' }).click()
    await expectPage(t, first, 'Revidér projekt')
    await expectText(t, first.locator('.message-success'), 'Formularen viser nu version 2.')
    await expectValue(t, first.getByLabel('Titel'), 'Regional app til hjemmemonitorering af KOL', 'the form holds the new version')
    await first.getByLabel('Beskrivelse').fill('Hjemmemonitorering af borgere med kronisk sygdom.')
    await first.getByRole('button', { name: 'Gem ændringer' }).click()
    await expectPage(t, first, 'Regional app til hjemmemonitorering af KOL')
    await expectText(t, first.locator('.message-success'), 'Det er nu version 3.')
    checkFirst()
    checkOther()
  })

  await t.test('a withdrawal with a reason appears in the history; the portfolio does not wait for its reports', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'region (withdrawal)')
    await signInWithToken(t, page, base, metteJwt, 'Mine projekter')
    await page.getByRole('link', { name: 'Regional app til hjemmemonitorering af KOL' }).click()
    await expectPage(t, page, 'Regional app til hjemmemonitorering af KOL')
    await page.getByRole('link', { name: 'Træk projektet tilbage' }).click()
    await expectPage(t, page, 'Træk projektet tilbage')
    await expectText(t, page.locator('main'), 'En tilbagetrækning er endelig')
    await checkAccessibility(t, page, 'traek-tilbage')
    await page.getByLabel('Begrundelse').fill('Projektet indgår i den nationale løsning.')
    await page.getByRole('button', { name: 'Ja, træk projektet tilbage' }).click()
    await expectPage(t, page, 'Regional app til hjemmemonitorering af KOL')
    await expectText(t, page.locator('.message-success'), 'Projektet er trukket tilbage.')
    await expectText(t, page.locator('.lead'), 'Trukket tilbage')
    const withdrawal = page.locator('.timeline li', { hasText: 'Projektet er trukket tilbage' })
    await expectText(t, withdrawal, 'Begrundelse: Projektet indgår i den nationale løsning.')
    await expectText(t, withdrawal, 'Udført af Mette Hansen (Region Hovedstaden)')
    await expectCount(t, page.locator('.actions'), 0, 'nothing more to do on a withdrawn project')
    await checkAccessibility(t, page, 'projekt-trukket-tilbage')

    await page.getByRole('link', { name: 'Porteføljeoverblik' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')
    const rows = page.locator('table.portfolio tbody tr')
    await expectText(t, rows.filter({ hasText: 'hjemmemonitorering' }), 'Følges ikke op')
    await expectText(t, rows.filter({ hasText: reference }), new RegExp(`C – middel risiko.*${currentHalfYear()}.*Gul`))
    await expectText(t, page.locator('.summary'), '2 projekter. Seneste statusrapporter: 0 grønne, 1 gul og 0 røde. 1 af dem er projektets egen vurdering, fordi rådet endnu ikke har vurderet rapporten.')
    await checkAccessibility(t, page, 'portefoeljeoverblik-region')
    checkConsole()
  })
})
