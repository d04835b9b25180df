// The two councils in the pages, in Chromium: an admin reads the councils' policy versions on "Råd og
// regelsæt" and adds one (a refused date and a duplicate id said in Danish first); registers a state
// authority on "Organisationer", makes it inactive and active again, and a rename from a stale view
// is refused in Danish and the table shown anew; a state authority (Demostyrelsen) submits a
// programme without regions and sees its SIR reference, "Statens It-råd" and "Program"; a region's
// form keeps the owner among the regions, and the gate's refusal shows its Danish detail; Statens
// It-råd's secretariat sees the state programme but not the regional project. In dev mode the
// sign-in offers both councils, and an organisation nobody has registered is told it cannot
// submit. axe-core on every page state; screenshots in
// .tap/screenshots/councils-NN-*.png.
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { gatedProject, registerStateAuthority, submitProject } from '../helpers/fixtures.ts'
import {
  ENGLISH_PROBLEM, expectCount, expectInPage, expectPage, expectText, expectValue, launch, listen, openTab, pageChecks,
  signInWithToken, skip
} from './browser-helpers.ts'

const { checkAccessibility } = pageChecks('councils-')

// Six sign-ins and two fresh databases in a real browser on a busy two-core machine.
t.setTimeout(900_000)

/** A year after this one (Copenhagen): a new policy version takes effect after today. */
const FUTURE_YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric' }).format(new Date())) + 2
const NEW_POLICY = `state-${FUTURE_YEAR}`
const PROGRAMME = 'Fælles statslig datadeling'
const REVISED = `${PROGRAMME} og genbrug`
const REGIONAL = 'Fælles regional booking-platform'
const CVR = '29190909'
const AUTHORITY = 'Styrelsen for Dataforsyning'

t.test('the councils for an admin, a state authority and Statens It-råds sekretariat, in Chromium', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)

  // Dev mode seeds Demostyrelsen; with real auth an admin registers it (the dev test below uses the seed).
  await registerStateAuthority(app, '10000000', 'Demostyrelsen')
  const adminJwt = await token('admin', 'ITR', { sub: 'admin-ida', name: 'Ida Administrator' })
  const stateJwt = await token('submitter', '10000000', { sub: 'sofie', name: 'Sofie Statslig' })
  const regionJwt = await token('submitter', '1084', { sub: 'mette', name: 'Mette Hansen' })
  const sirJwt = await token('secretariat', 'SIR', { sub: 'sek-sara', name: 'Sara Sekretariat' })

  await t.test('an admin reads the policy versions and adds one', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'admin (councils)', [422, 409])
    await signInWithToken(t, page, base, adminJwt, 'Porteføljeoverblik')
    await expectText(t, page.locator('#brand-owner'), 'Regionernes It-råd', 'an admin keeps the default brand')
    const menu = page.getByRole('navigation', { name: 'Hovedmenu' })
    await expectCount(t, menu.getByRole('link', { name: 'Organisationer' }), 1, 'the admin\'s menu has the organisations')
    await menu.getByRole('link', { name: 'Råd og regelsæt' }).click()
    await expectPage(t, page, 'Råd og regelsæt')

    const regions = page.getByRole('region', { name: 'Regionernes It-råd', exact: true })
    const state = page.getByRole('region', { name: 'Statens It-råd', exact: true })
    await expectText(t, regions, 'Regionernes It-råds sekretariat', 'the secretariat by name')
    await expectText(t, regions.locator('tbody tr', { hasText: 'regions-2019' }),
      /regions-2019\s*1\s*1\. december 2019\s*I kraft\s*10\.000\.000 kr\.\s*Ja\s*10\s*10\s*gul fra 5 %, rød fra 15 %/)
    await expectText(t, state, 'Statens It-råds sekretariat')
    await expectText(t, state.locator('tbody tr', { hasText: 'state-2011' }), /state-2011\s*1\s*1\. januar 2011\s*Afløst\s*10\.000\.000 kr\.\s*Nej\s*10\s*15/)
    await expectText(t, state.locator('tbody tr', { hasText: 'state-2021' }),
      /state-2021\s*2\s*1\. januar 2021\s*I kraft\s*15\.000\.000 kr\.\s*Nej\s*10\s*15\s*gul fra 5 %, rød fra 15 %.*gul fra 30 dage, rød fra 90 dage/)
    await expectText(t, state, 'Regelsæt i kraft i dag')
    await checkAccessibility(t, page, 'raad-og-regelsaet')

    // The form starts from the chosen council's version in force.
    const form = page.getByRole('region', { name: 'Tilføj regelsæt' })
    await form.getByLabel(/^Råd/).selectOption({ label: 'Statens It-råd' })
    await expectValue(t, form.getByLabel(/^Tærskel/), '15.000.000', 'filled in from state-2021')
    await expectValue(t, form.getByLabel(/^Program/), '15')
    await form.getByLabel(/^Id/).fill(NEW_POLICY)
    await form.getByLabel(/^Gælder fra/).fill('2020-01-01')
    await form.getByLabel(/^Tærskel/).fill('20.000.000')
    await form.getByLabel(/^Program/).fill('20')
    await form.getByRole('button', { name: 'Tilføj regelsæt' }).click()

    // A date in the past: 422, the API's Danish detail beside the form.
    const error = form.locator('.message-error')
    await expectText(t, error, /^Fejl: .*skal gælde fra en dato efter i dag/)
    t.notMatch(await error.textContent(), ENGLISH_PROBLEM, 'a retroactive version is refused in Danish')
    await expectInPage(t, page, 'document.activeElement?.classList.contains("message-error")', true, 'focus moves to the refusal')
    await checkAccessibility(t, page, 'tilfoej-regelsaet-fortid')

    // An id the council already has: 409, in Danish.
    await form.getByLabel(/^Gælder fra/).fill(`${FUTURE_YEAR}-01-01`)
    await form.getByLabel(/^Id/).fill('state-2021')
    await form.getByRole('button', { name: 'Tilføj regelsæt' }).click()
    await expectText(t, error, /^Fejl: .*state-2021/)
    t.notMatch(await error.textContent(), ENGLISH_PROBLEM, 'a duplicate id is refused in Danish')
    await checkAccessibility(t, page, 'tilfoej-regelsaet-dublet')

    await form.getByLabel(/^Id/).fill(NEW_POLICY)
    await form.getByRole('button', { name: 'Tilføj regelsæt' }).click()
    await expectPage(t, page, 'Råd og regelsæt')
    await expectText(t, page.locator('.message-success'),
      `Regelsæt ${NEW_POLICY} (version 3) for Statens It-råd er tilføjet. Det gælder fra 1. januar ${FUTURE_YEAR}.`)
    await expectText(t, state.locator('tbody tr', { hasText: NEW_POLICY }),
      new RegExp(`${NEW_POLICY}\\s*3\\s*1\\. januar ${FUTURE_YEAR}\\s*Kommende\\s*20\\.000\\.000 kr\\.\\s*Nej\\s*10\\s*20`))
    await expectCount(t, state.locator('tbody tr'), 3, 'state-2011, state-2021 and the new one')
    await expectText(t, state.locator('tbody tr', { hasText: 'state-2021' }), 'I kraft', 'the new version is not in force before its date')
    await checkAccessibility(t, page, 'raad-og-regelsaet-ny-version')
    checkConsole()
  })

  await t.test('an admin registers a state authority, makes it inactive and active again; a stale rename is refused', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'admin (organisations)', [409, 412])
    await signInWithToken(t, page, base, adminJwt, 'Porteføljeoverblik')
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Organisationer' }).click()
    await expectPage(t, page, 'Organisationer')
    const rows = page.locator('table.organisations tbody tr')
    await expectText(t, rows.filter({ hasText: 'Region Hovedstaden' }), /1084\s*Region Hovedstaden\s*Region\s*Regionernes It-råd\s*Ja/)
    await expectText(t, rows.filter({ hasText: 'Statens It-råds sekretariat' }), /SIR\s*Statens It-råds sekretariat\s*Sekretariat\s*Statens It-råd\s*Ja/)
    await expectText(t, rows.filter({ hasText: 'Demostyrelsen' }), /10000000\s*Demostyrelsen\s*Statslig myndighed\s*Statens It-råd\s*Ja/)
    await checkAccessibility(t, page, 'organisationer')

    // Sent empty: what is missing, focused.
    const register = page.getByRole('region', { name: 'Registrér statslig myndighed' })
    await register.getByRole('button', { name: 'Registrér myndighed' }).click()
    await expectText(t, register.locator('.message-error'), 'Angiv CVR-nummeret med 8 cifre, fx 29190909.')
    await expectInPage(t, page, 'document.activeElement?.classList.contains("message-error")', true, 'focus moves to the summary')
    await checkAccessibility(t, page, 'registrer-myndighed-valideringsfejl')

    await register.getByLabel('CVR-nummer').fill(CVR)
    await register.getByLabel(/^Navn/).fill(AUTHORITY)
    await register.getByRole('button', { name: 'Registrér myndighed' }).click()
    await expectPage(t, page, 'Organisationer')
    await expectText(t, page.locator('.message-success'), `${AUTHORITY} (CVR ${CVR}) er registreret som statslig myndighed under Statens It-råd.`)
    const authority = rows.filter({ hasText: CVR })
    await expectText(t, authority, new RegExp(`${CVR}\\s*${AUTHORITY}\\s*Statslig myndighed\\s*Statens It-råd\\s*Ja`))

    // The same CVR number again: 409, in Danish.
    await register.getByLabel('CVR-nummer').fill(CVR)
    await register.getByLabel(/^Navn/).fill(AUTHORITY)
    await register.getByRole('button', { name: 'Registrér myndighed' }).click()
    const duplicate = register.locator('.message-error')
    await expectText(t, duplicate, /^Fejl: .*findes allerede/)
    t.notMatch(await duplicate.textContent(), ENGLISH_PROBLEM, 'a duplicate organisation is refused in Danish')
    await checkAccessibility(t, page, 'registrer-myndighed-dublet')

    await page.getByRole('button', { name: `Deaktivér ${AUTHORITY}` }).click()
    await expectPage(t, page, 'Organisationer')
    await expectText(t, page.locator('.message-success'), `${AUTHORITY} er nu inaktiv.`)
    await expectText(t, authority, /Statens It-råd\s*Nej/)
    await checkAccessibility(t, page, 'organisationer-inaktiv')
    const refused = await app.inject({ method: 'POST', url: '/v1/gate/preview', headers: bearer(await token('submitter', CVR)), payload: { participatingRegions: [], budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 1 }] } })
    t.equal(refused.statusCode, 403, 'an inactive authority\'s submitters are refused')

    await page.getByRole('button', { name: `Aktivér ${AUTHORITY}` }).click()
    await expectPage(t, page, 'Organisationer')
    await expectText(t, page.locator('.message-success'), `${AUTHORITY} er aktiv igen.`)
    await expectText(t, authority, /Statens It-råd\s*Ja/)

    // A rename on a view that someone else has changed meanwhile: 412, said in words, the table anew.
    await page.getByRole('button', { name: `Ret navn for ${AUTHORITY}` }).click()
    const newName = page.getByLabel(`Nyt navn for ${AUTHORITY}`)
    await expectInPage(t, page, 'document.activeElement?.id', `org-rename-${CVR}`, 'focus moves to the new name')
    await expectValue(t, newName, AUTHORITY)
    await checkAccessibility(t, page, 'organisationer-ret-navn')
    const admin = bearer(adminJwt)
    const current = await app.inject({ method: 'GET', url: `/v1/organisations/${CVR}`, headers: admin })
    const changed = await app.inject({ method: 'PATCH', url: `/v1/organisations/${CVR}`, headers: { ...admin, 'if-match': current.headers.etag as string }, payload: { name: 'Klimadatastyrelsen' } })
    t.equal(changed.statusCode, 200, 'someone else renames it meanwhile')
    await newName.fill('Styrelsen for Dataforsyning og Infrastruktur')
    await page.getByRole('button', { name: 'Gem navn' }).click()
    await expectPage(t, page, 'Organisationer')
    const notice = page.locator('.message-notice')
    await expectText(t, notice, `${AUTHORITY} er blevet ændret af en anden, siden siden blev vist, så din ændring er ikke gemt.`)
    t.notMatch(await notice.textContent(), /412|ETag|If-Match|precondition/i, 'no raw error')
    await expectText(t, authority, /Klimadatastyrelsen/, 'the table shows the organisations anew')
    await checkAccessibility(t, page, 'organisationer-aendret-imens')

    await page.getByRole('button', { name: 'Ret navn for Klimadatastyrelsen' }).click()
    await page.getByLabel('Nyt navn for Klimadatastyrelsen').fill(AUTHORITY)
    await page.getByRole('button', { name: 'Gem navn' }).click()
    await expectPage(t, page, 'Organisationer')
    await expectText(t, page.locator('.message-success'), `Klimadatastyrelsen hedder nu ${AUTHORITY}.`)
    await expectText(t, authority, AUTHORITY)
    checkConsole()
  })

  let programmeReference = ''
  await t.test('a state authority submits a programme without regions: SIR reference, Statens It-råd, Program', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'state authority')
    await signInWithToken(t, page, base, stateJwt, 'Mine projekter')
    await expectText(t, page.locator('#brand-owner'), 'Statens It-råd', 'the state council\'s portal')
    await expectInPage(t, page, 'document.title', 'Mine projekter – Rådsportal – Statens It-råd', 'the tab says which council')
    await expectText(t, page.locator('header'), /Sofie Statslig.*Indsender · Demostyrelsen/, 'the organisation by name')
    await expectText(t, page.locator('main'), 'De projekter, Demostyrelsen ejer.')
    await checkAccessibility(t, page, 'mine-projekter-statslig')

    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Indsend projekt' }).click()
    await expectPage(t, page, 'Indsend projekt')
    await expectText(t, page.locator('main'), 'Indsend et it-projekt eller -program til Statens It-råd.')
    const regions = page.getByRole('group', { name: /^Deltagende regioner/ })
    await expectText(t, regions, 'Valgfrit: vælg de regioner, der deltager (0–5). Statens It-råd kræver ikke, at regioner deltager.')
    await expectCount(t, regions.getByRole('checkbox', { checked: true }), 0, 'no region is chosen')
    const policy = page.locator('#policy-info')
    await expectText(t, policy, /regelsæt state-2021 \(version 2\).*mindst 15\.000\.000 kr\..*et projekt, har det 10 arbejdsdage/)
    await expectText(t, page.locator('.gate-preview'), 'Gatens vurdering vises, når alle budgetlinjer har år og beløb.')
    await page.getByRole('group', { name: /^Type/ }).getByRole('radio', { name: 'Program' }).check()
    await expectText(t, policy, 'Skal rådet vurdere et program, har det 15 arbejdsdage fra indsendelsen til anbefalingsbrevet.')
    await checkAccessibility(t, page, 'indsend-program-statslig')

    await page.getByLabel('Titel').fill(PROGRAMME)
    await page.getByLabel('Beskrivelse').fill('Et program for fælles datadeling mellem statslige myndigheder.')
    await page.getByLabel('Fase').selectOption({ label: 'Analyse' })
    await page.getByLabel('Planlagt start').fill('2027-01-01')
    await page.getByLabel('Planlagt slut').fill('2029-12-31')
    await page.getByLabel('Navn').fill('Sofie Statslig')
    await page.getByLabel('E-mail').fill('sofie@demostyrelsen.dk')
    const line = page.getByRole('group', { name: 'Budgetlinje 1', exact: true })
    await line.getByLabel('År').fill('2027')
    await line.getByLabel('Beløb (kr.)').fill('16.000.000')
    const verdict = page.locator('.gate-preview-result')
    await expectText(t, verdict, 'Projektet skal vurderes af rådet.')
    await expectText(t, verdict, 'Medregnede omkostninger på 16.000.000 kr. er mindst 15.000.000 kr.')
    await expectText(t, verdict, 'Efter regelsæt state-2021 (version 2).')
    await checkAccessibility(t, page, 'indsend-program-udfyldt')

    await page.getByRole('button', { name: 'Indsend projekt' }).click()
    await expectPage(t, page, PROGRAMME)
    await expectText(t, page.locator('.message-success'), /Projektet er indsendt med referencen SIR-\d{4}-\d{4,}\./)
    programmeReference = (await page.locator('.lead .reference').textContent()) ?? ''
    t.match(programmeReference, /^SIR-\d{4}-\d{4,}$/, 'a reference of Statens It-råd')
    await expectText(t, page.locator('.lead'), 'Program under Statens It-råd')
    const facts = page.locator('.facts')
    await expectText(t, facts, /Råd\s*Statens It-råd\s*Type\s*Program\s*Ejer\s*Demostyrelsen\s*Deltagende regioner\s*Ingen\s*Regelsæt\s*Regelsæt state-2021 \(version 2\)/)
    await expectText(t, page.getByRole('region', { name: 'Resultat af gaten' }), 'Regelsæt state-2021 (version 2)')
    await checkAccessibility(t, page, 'projekt-program-statslig')

    // A revision keeps the kind and the optional regions, and is gated by the policy in force.
    await page.getByRole('link', { name: 'Revidér projektet' }).click()
    await expectPage(t, page, 'Revidér projekt')
    await expectText(t, page.locator('main form'), 'Type: Program (kan ikke ændres ved en revision).')
    await expectCount(t, page.getByRole('radio', { name: 'Projekt' }), 0, 'no choice of kind on a revision')
    await expectText(t, page.locator('#policy-info'), 'Skal rådet vurdere et program, har det 15 arbejdsdage')
    await expectText(t, page.locator('.gate-preview-result'), 'Projektet skal vurderes af rådet.', 'the verdict on the stored version')
    await checkAccessibility(t, page, 'revider-program-statslig')
    await page.getByLabel('Titel').fill(REVISED)
    await page.getByRole('button', { name: 'Gem ændringer' }).click()
    await expectPage(t, page, REVISED)
    await expectText(t, page.locator('.message-success'), 'Projektet er revideret. Det er nu version 2.')
    checkConsole()
  })

  await t.test('a region\'s form keeps its own region among the participants; the gate\'s refusal is shown in Danish', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'region (form)', [422])
    await signInWithToken(t, page, base, regionJwt, 'Mine projekter')
    await expectText(t, page.locator('#brand-owner'), 'Regionernes It-råd')
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Indsend projekt' }).click()
    await expectPage(t, page, 'Indsend projekt')
    const regions = page.getByRole('group', { name: /^Deltagende regioner/ })
    await expectText(t, regions, 'Region Hovedstaden ejer projektet og skal derfor deltage; regionen er valgt på forhånd.')
    await expectInPage(t, page, 'document.getElementById("project-region-1084")?.checked', true, 'the own region is chosen from the start')
    await expectText(t, page.locator('#policy-info'), /regelsæt regions-2019 \(version 1\).*når alle fem regioner deltager.*10 arbejdsdage/)
    const line = page.getByRole('group', { name: 'Budgetlinje 1', exact: true })
    await line.getByLabel('År').fill('2027')
    await line.getByLabel('Beløb (kr.)').fill('6.000.000')
    const verdict = page.locator('.gate-preview-result')
    await expectText(t, verdict, 'Projektet skal ikke vurderes af rådet.')

    // Without the owner the API refuses the draft (422): its Danish detail, not a broken preview.
    await page.getByLabel('Region Sjælland').check()
    await page.getByLabel('Region Hovedstaden').uncheck()
    const refusal = page.locator('.gate-refused')
    await expectText(t, refusal, /^Gaten kan ikke vurdere udkastet: et regionalt projekts ejer skal være blandt/)
    t.notMatch(await refusal.textContent(), ENGLISH_PROBLEM, 'the refusal is in Danish')
    await checkAccessibility(t, page, 'indsend-projekt-ejer-mangler')
    await page.getByLabel('Region Hovedstaden').check()
    await expectText(t, verdict, 'Projektet skal ikke vurderes af rådet.')
    checkConsole()
  })

  const regional = await submitProject(app, '1084', gatedProject({ title: REGIONAL }))
  // Statens It-råd's directory has a member from another authority than the programme's owner.
  const member = await app.inject({ method: 'POST', url: '/v1/members', headers: bearer(adminJwt), payload: { sub: 'cm-sten', name: 'Sten Sørensen', org: CVR, council: 'state' } })
  t.equal(member.statusCode, 201, 'a member of Statens It-råd is in the directory')

  await t.test('Statens It-råds sekretariat sees the state programme, not the regional project', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'secretariat (SIR)', [404])
    await signInWithToken(t, page, base, sirJwt, 'Sagsoversigt')
    await expectText(t, page.locator('#brand-owner'), 'Statens It-råd')
    await expectText(t, page.locator('header'), /Sara Sekretariat.*Sekretariat · Statens It-råds sekretariat/)
    const rows = page.locator('table.data tbody tr')
    await expectText(t, rows.filter({ hasText: REVISED }), new RegExp(`${programmeReference}.*${REVISED}.*Demostyrelsen.*Afventer vurdering`))
    await expectCount(t, rows, 1, 'only its own council\'s projects')
    await expectCount(t, page.getByRole('link', { name: REGIONAL }), 0, 'not the regional project')
    await checkAccessibility(t, page, 'sagsoversigt-sir')

    await page.getByRole('link', { name: REVISED }).click()
    await expectPage(t, page, REVISED)
    await expectText(t, page.locator('.facts'), /Råd\s*Statens It-råd\s*Type\s*Program/)
    await expectCount(t, page.getByRole('button', { name: 'Tilknyt' }), 1, 'the secretariat may assign members')
    const options = await page.getByRole('combobox', { name: /^Rådsmedlem/ }).locator('option').evaluateAll((list) => list.map((o) => o.textContent ?? ''))
    t.same(options, ['Vælg rådsmedlem', `Sten Sørensen (${AUTHORITY})`], 'the members of Statens It-råd, by name')

    // The regional project by its reference: as if it did not exist, in Danish.
    const search = page.getByRole('searchbox', { name: 'Søg efter sag' })
    await search.fill(regional.reference)
    await search.press('Enter')
    await expectPage(t, page, 'Siden kunne ikke vises')
    const error = page.locator('.message-error')
    await expectText(t, error, 'Det findes ikke, eller du har ikke adgang til det.')
    t.notMatch(await error.textContent(), ENGLISH_PROBLEM, 'the 404 is in Danish')
    await checkAccessibility(t, page, 'sir-regionalt-projekt-findes-ikke')
    checkConsole()
  })
})

t.test('dev mode: the sign-in offers both councils, and Demostyrelsen signs in to Statens It-råd', { skip }, async (t) => {
  const { app } = await build(t, { devAuthDir: t.testdir() })
  const base = await listen(app)
  const browser = await launch(t)
  const { page, checkConsole } = await openTab(t, browser, 'dev sign-in (state)')
  await page.goto(`${base}/app/#/projects`)
  await expectPage(t, page, 'Log ind', { focused: false })
  await page.locator('#dev-heading').waitFor()
  await expectText(t, page.locator('main'), 'Rådsportalen er for Regionernes It-råd og Statens It-råd')
  const options = await page.locator('#dev-orgs option').evaluateAll((list) => list.map((o) => `${o.getAttribute('value') ?? ''} ${o.textContent ?? ''}`))
  t.same(options, [
    '1081 Region Nordjylland', '1082 Region Midtjylland', '1083 Region Syddanmark', '1084 Region Hovedstaden', '1085 Region Sjælland',
    'ITR Regionernes It-råds sekretariat', 'SIR Statens It-råds sekretariat', '10000000 Demostyrelsen (statslig myndighed)'
  ], 'the regions, both secretariats and the demo state authority')
  await checkAccessibility(t, page, 'log-ind-udvikling-to-raad')

  await page.getByLabel('Rolle').selectOption('submitter')
  await page.getByLabel('Organisation').fill('10000000')
  await page.getByLabel('Navn (valgfrit)').fill('Sofie Statslig')
  await page.getByRole('button', { name: 'Log ind', exact: true }).click()
  await expectPage(t, page, 'Mine projekter')
  await expectText(t, page.locator('#brand-owner'), 'Statens It-råd')
  await expectText(t, page.locator('#footer-owner'), 'Statens It-råd')
  await expectInPage(t, page, 'document.title.endsWith("Statens It-råd")', true, 'the tab says which council')
  await expectText(t, page.locator('header'), /Sofie Statslig.*Indsender · Demostyrelsen/)
  await checkAccessibility(t, page, 'mine-projekter-demostyrelsen')

  // Signing out returns to the default portal.
  await page.getByRole('button', { name: 'Log ud' }).click()
  await expectPage(t, page, 'Log ind')
  await expectText(t, page.locator('#brand-owner'), 'Regionernes It-råd')

  // An organisation nobody has registered: the form says why it cannot submit, before anything is sent.
  await page.getByLabel('Rolle').selectOption('submitter')
  await page.getByLabel('Organisation').fill('12345678')
  await page.getByRole('button', { name: 'Log ind', exact: true }).click()
  await expectPage(t, page, 'Mine projekter')
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Indsend projekt' }).click()
  await expectPage(t, page, 'Indsend projekt')
  await expectText(t, page.locator('main .notice'), '12345678 er ikke registreret som en aktiv region eller statslig myndighed, så du kan ikke indsende projekter herfra.')
  await expectCount(t, page.getByRole('button', { name: 'Indsend projekt' }), 0, 'no form to fill in for nothing')
  await checkAccessibility(t, page, 'indsend-projekt-ukendt-organisation')
  checkConsole()
})
