// Disqualification in the pages, in Chromium (forvaltningsloven §3 and §6): Bent Berg, assigned to
// a review and about to assess, declares himself disqualified from the project page (an empty
// form refused in Danish first); he can no longer assess and sees his declaration pending. The
// secretariat sees the declaration with Bent's statement, cannot issue the letter while it is
// pending, is told what is missing when it decides without a choice or a reason, and decides that
// Bent is disqualified: his assignment ends, the timeline says so by name, and a replacement can
// be assigned. The owner's page shows the decision in the timeline but never the statement.
// axe-core on every page state; screenshots in .tap/screenshots/conflicts-NN-*.png.
import type { Page } from 'playwright-core'
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { gatedProject, submitProject } from '../helpers/fixtures.ts'
import { assess, assign, expectStatus } from '../review/helpers.ts'
import { expectCount, expectPage, expectText, launch, listen, openTab, pageChecks, signInWithToken, skip } from './browser-helpers.ts'

const { checkAccessibility } = pageChecks('conflicts-')

// Three sign-ins and many page states in a real browser on a busy two-core machine.
t.setTimeout(900_000)

const TITLE = 'Fælles regional patientportal'
const STATEMENT = 'Jeg har indtil for et halvt år siden rådgivet projektets leverandør om netop denne løsning.'
const REASON = 'Rådgivningen ligger under et år tilbage og angik samme løsning.'

t.test('a member declares disqualification and the secretariat decides it, in Chromium', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)
  const admin = bearer(await token('admin', 'ITR'))
  for (const member of [
    { sub: 'anne', name: 'Anne Andersen', org: '1081' },
    { sub: 'bent', name: 'Bent Berg', org: '1083' },
    { sub: 'carl', name: 'Carl Clausen', org: '1085' }
  ]) {
    expectStatus(await app.inject({ method: 'POST', url: '/v1/members', headers: admin, payload: { ...member, council: 'regions' } }), 201)
  }
  const project = await submitProject(app, '1084', gatedProject({ title: TITLE }))
  expectStatus(await assign(app, project.id, { sub: 'anne', org: '1081' }), 201)
  expectStatus(await assign(app, project.id, { sub: 'bent', org: '1083' }), 201)
  expectStatus(await assess(app, project.id, { sub: 'anne', org: '1081' }), 201)

  /** Opens the project through the search field, as people do. */
  const openProject = async (page: Page) => {
    const search = page.getByRole('searchbox', { name: 'Søg efter sag' })
    await search.fill(project.reference)
    await search.press('Enter')
    await expectPage(t, page, TITLE)
  }

  await t.test('Bent Berg declares himself disqualified', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'member (conflicts)')
    await signInWithToken(t, page, base, await token('council_member', '1083', { sub: 'bent', name: 'Bent Berg' }), 'Sagsoversigt')
    await openProject(page)
    const actions = page.getByRole('region', { name: 'Handlinger' })
    await expectCount(t, actions.getByRole('link', { name: 'Registrér risikovurdering' }), 1, 'Bent may assess before he declares')
    await actions.getByRole('link', { name: 'Erklær inhabilitet' }).click()
    await expectPage(t, page, 'Erklær inhabilitet')
    await checkAccessibility(t, page, 'erklaer-inhabilitet')

    await page.getByRole('button', { name: 'Send erklæringen' }).click()
    const summary = page.locator('.message-error')
    await expectText(t, summary, 'Skriv grundlaget for inhabiliteten.')
    await expectText(t, summary, 'Skriv en redegørelse for de forhold, der gør dig inhabil.')
    await checkAccessibility(t, page, 'erklaer-inhabilitet-valideringsfejl')

    await page.getByLabel(/^Grundlag/).fill('forvaltningsloven § 3, stk. 1, nr. 5')
    await page.getByLabel(/^Redegørelse/).fill(STATEMENT)
    await page.getByRole('button', { name: 'Send erklæringen' }).click()
    await expectPage(t, page, TITLE)
    await expectText(t, page.locator('.message-success'), 'Din erklæring om inhabilitet er sendt til sekretariatet.')
    await expectText(t, actions, 'Du har erklæret dig inhabil. Sekretariatet træffer afgørelse om erklæringen; indtil da kan du ikke afgive risikovurdering.')
    await expectCount(t, actions.getByRole('link', { name: 'Registrér risikovurdering' }), 0, 'no assessing while the declaration is pending')
    await expectCount(t, actions.getByRole('link', { name: 'Erklær inhabilitet' }), 0, 'one declaration')
    const own = page.getByRole('region', { name: 'Erklæringer om inhabilitet' })
    await expectText(t, own, /Bent Berg \(Region Syddanmark\)/)
    await expectText(t, own, /Afgørelse\s*Afventer sekretariatets afgørelse/)
    await checkAccessibility(t, page, 'projekt-erklaeret')
    checkConsole()
  })

  await t.test('the secretariat decides: disqualified', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'secretariat (conflicts)')
    await signInWithToken(t, page, base, await token('secretariat', 'ITR', { sub: 'sek-lise', name: 'Lise Sekretariat' }), 'Sagsoversigt')
    await openProject(page)
    const actions = page.getByRole('region', { name: 'Handlinger' })
    await expectText(t, actions, 'En erklæring om inhabilitet afventer afgørelse, og anbefalingsbrevet kan først udsendes, når den er truffet.')
    await expectCount(t, actions.getByRole('link', { name: 'Udarbejd anbefalingsbrev' }), 0, 'no letter while a declaration is pending')
    const declarations = page.getByRole('region', { name: 'Erklæringer om inhabilitet' })
    await expectText(t, declarations, STATEMENT)
    await checkAccessibility(t, page, 'sekretariat-erklaering')

    const form = page.getByRole('form', { name: 'Afgørelse om Bent Berg' })
    await form.getByRole('button', { name: 'Træf afgørelse' }).click()
    await expectText(t, form.locator('.message-error'), 'Vælg, om rådsmedlemmet er inhabilt.')
    await expectText(t, form.locator('.message-error'), 'Skriv en begrundelse for afgørelsen.')
    await checkAccessibility(t, page, 'sekretariat-afgoerelse-valideringsfejl')

    await form.getByLabel(/^Inhabil:/).check()
    await form.getByLabel(/^Begrundelse/).fill(REASON)
    await form.getByRole('button', { name: 'Træf afgørelse' }).click()
    await expectPage(t, page, TITLE)
    await expectText(t, page.locator('.message-success'), 'Bent Berg er erklæret inhabil, og tilknytningen er ophørt.')
    await expectText(t, declarations, /Afgørelse\s*Inhabil\s*Begrundelse\s*Rådgivningen ligger under et år tilbage/)
    await expectText(t, declarations, /af Lise Sekretariat/)
    await expectCount(t, page.getByRole('form', { name: 'Afgørelse om Bent Berg' }), 0, 'decided once')
    await expectText(t, page.getByRole('region', { name: 'Tilknyttede rådsmedlemmer' }), /Bent Berg \(Region Syddanmark\), tilknyttet .* – ophørt \(inhabil\)/)
    const decided = page.locator('.timeline li', { hasText: 'Afgørelse om inhabilitet' })
    await expectText(t, decided, /Rådsmedlem: Bent Berg \(Region Syddanmark\)\.\s*Afgørelse: inhabil; tilknytningen er ophørt\./)
    await expectText(t, decided, 'Udført af Lise Sekretariat (Regionernes It-råds sekretariat)')
    await expectText(t, page.locator('.timeline li', { hasText: 'Rådsmedlem har erklæret sig inhabil' }), 'Udført af Bent Berg (Region Syddanmark)', 'a member by name')
    t.notMatch(await page.locator('.timeline').textContent(), /Udført af (anne|bent|sek-lise|submitter-1084)\b/, 'names, never token subjects')

    // The place is free: Carl can be assigned in Bent's stead.
    const member = page.getByRole('combobox', { name: /^Rådsmedlem/ })
    await member.selectOption({ label: 'Carl Clausen (Region Sjælland)' })
    await page.getByRole('button', { name: 'Tilknyt' }).click()
    await expectPage(t, page, TITLE)
    await expectText(t, page.locator('.message-success'), 'Rådsmedlemmet er tilknyttet sagen.')
    await checkAccessibility(t, page, 'sekretariat-afgjort')
    checkConsole()
  })

  await t.test('the owner sees the decision, not the statement', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'owner (conflicts)')
    await signInWithToken(t, page, base, await token('submitter', '1084', { sub: 'mette', name: 'Mette Projektleder' }), 'Mine projekter')
    await openProject(page)
    await expectText(t, page.locator('.timeline'), /Afgørelse om inhabilitet/)
    await expectCount(t, page.getByRole('region', { name: 'Erklæringer om inhabilitet' }), 0, 'the declarations are the secretariat\'s and the member\'s')
    t.notMatch(await page.locator('main').textContent(), /rådgivet projektets leverandør|under et år tilbage/, 'neither the statement nor the reason')
    await checkAccessibility(t, page, 'ejer-afgoerelse')
    checkConsole()
  })
})
