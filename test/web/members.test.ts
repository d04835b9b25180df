// The council members' directory in the pages, in Chromium: Regionernes It-råds sekretariat finds
// nobody to assign on a new project and follows the link to "Rådsmedlemmer"; registers two members
// (an empty form and a duplicate user id refused in Danish first), changes one's e-mail, makes one
// inactive and active again, and a change from a stale view is refused in words and the table
// shown anew; on the project it assigns both from a list of names ("Anne Andersen (Region
// Nordjylland)") that never offers an inactive member, a member of the owning region or one already
// assigned, and a member made inactive meanwhile is refused in Danish. An admin sees both councils'
// members and registers one with Statens It-råd. axe-core on every page state; screenshots in
// .tap/screenshots/members-NN-*.png.
import t from 'tap'
import { bearer, build, token } from '../helpers/build.ts'
import { gatedProject, registerStateAuthority, submitProject } from '../helpers/fixtures.ts'
import {
  ENGLISH_PROBLEM, expectCount, expectInPage, expectPage, expectText, launch, listen, openTab, pageChecks, settled,
  signInWithToken, skip
} from './browser-helpers.ts'

const { checkAccessibility } = pageChecks('members-')

// Two sign-ins and many page states in a real browser on a busy two-core machine.
t.setTimeout(900_000)

const TITLE = 'Fælles regional booking-platform'

t.test('the directory of council members and assigning from it, in Chromium', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)

  const adminJwt = await token('admin', 'ITR', { sub: 'admin-ida', name: 'Ida Administrator' })
  const secretariatJwt = await token('secretariat', 'ITR', { sub: 'sek-lise', name: 'Lise Sekretariat' })
  const admin = bearer(adminJwt)

  /** Through the API, as an admin (what someone else does meanwhile). */
  const register = async (body: Record<string, unknown>) => {
    const res = await app.inject({ method: 'POST', url: '/v1/members', headers: admin, payload: body })
    t.equal(res.statusCode, 201, `${String(body.sub)} is registered`)
  }
  const patch = async (sub: string, body: Record<string, unknown>) => {
    const current = await app.inject({ method: 'GET', url: `/v1/members/${sub}`, headers: admin })
    const res = await app.inject({ method: 'PATCH', url: `/v1/members/${sub}`, headers: { ...admin, 'if-match': current.headers.etag as string }, payload: body })
    t.equal(res.statusCode, 200, `${sub} is changed meanwhile: ${JSON.stringify(body)}`)
  }

  const project = await submitProject(app, '1084', gatedProject({ title: TITLE }))
  await registerStateAuthority(app, '10000000', 'Demostyrelsen')
  // A member from the owning region (never offered on this project) and one of the other council.
  await register({ sub: 'carl', name: 'Carl Christensen', org: '1084', council: 'regions' })
  await register({ sub: 'sigrid', name: 'Sigrid Statslig', email: 'sigrid@demostyrelsen.dk', org: '10000000', council: 'state' })

  await t.test('Regionernes It-råds sekretariat registers, changes and assigns members', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'secretariat (members)', [409, 412, 422])
    await signInWithToken(t, page, base, secretariatJwt, 'Sagsoversigt')
    const menu = page.getByRole('navigation', { name: 'Hovedmenu' })
    await expectCount(t, menu.getByRole('link', { name: 'Rådsmedlemmer' }), 1, 'the secretariat\'s menu has the directory')
    await expectCount(t, menu.getByRole('link', { name: 'Organisationer' }), 0, 'but not the admin\'s pages')

    // Nobody to assign yet: the page says so and leads to the directory.
    await page.getByRole('link', { name: TITLE }).click()
    await expectPage(t, page, TITLE)
    const actions = page.getByRole('region', { name: 'Handlinger' })
    await expectText(t, actions, 'Der er ingen aktive rådsmedlemmer i Regionernes It-råd, som kan tilknyttes sagen. Medlemmer fra Region Hovedstaden kan ikke tilknyttes')
    await expectCount(t, page.getByRole('button', { name: 'Tilknyt' }), 0, 'no form without anyone to choose')
    await checkAccessibility(t, page, 'projekt-ingen-raadsmedlemmer')
    await actions.getByRole('link', { name: 'Rådsmedlemmer' }).click()
    await expectPage(t, page, 'Rådsmedlemmer')
    await expectInPage(t, page, 'document.querySelector(\'#nav a[href="#/members"]\')?.getAttribute("aria-current")', 'page', 'the menu marks the page')

    const rows = page.locator('table.members tbody tr:not(.row-edit)')
    await expectText(t, rows.filter({ hasText: 'Carl Christensen' }), /Carl Christensen\s*Ikke angivet\s*Region Hovedstaden\s*Regionernes It-råd\s*Ja/)
    await expectCount(t, rows, 1, 'only the own council\'s members')
    await expectCount(t, page.getByText('Sigrid Statslig'), 0, 'not Statens It-råd\'s')
    await checkAccessibility(t, page, 'raadsmedlemmer')

    // Sent empty: what is missing, focused.
    const form = page.getByRole('region', { name: 'Registrér rådsmedlem' })
    await expectText(t, form, 'Råd: Regionernes It-råd', 'a secretariat registers in its own council')
    await expectCount(t, form.getByRole('combobox', { name: /^Råd/ }), 0, 'no choice of council')
    await form.getByRole('button', { name: 'Registrér rådsmedlem' }).click()
    const summary = form.locator('.message-error')
    await expectText(t, summary, 'Skriv rådsmedlemmets bruger-id.')
    await expectText(t, summary, 'Vælg rådsmedlemmets organisation.')
    await expectInPage(t, page, 'document.activeElement?.classList.contains("message-error")', true, 'focus moves to the summary')
    await checkAccessibility(t, page, 'registrer-raadsmedlem-valideringsfejl')

    const fill = async (sub: string, name: string, email: string, org: string) => {
      await form.getByLabel(/^Bruger-id/).fill(sub)
      await form.getByLabel(/^Navn/).fill(name)
      await form.getByLabel(/^E-mail/).fill(email)
      await form.getByLabel(/^Organisation/).selectOption({ label: org })
      await form.getByRole('button', { name: 'Registrér rådsmedlem' }).click()
    }
    await fill('anne', 'Anne Andersen', 'anne.andersen@rn.dk', 'Region Nordjylland')
    await expectPage(t, page, 'Rådsmedlemmer')
    await expectText(t, page.locator('.message-success'), 'Anne Andersen er registreret som rådsmedlem i Regionernes It-råd')
    const anne = rows.filter({ hasText: 'Anne Andersen' })
    await expectText(t, anne, /Anne Andersen\s*anne\.andersen@rn\.dk\s*Region Nordjylland\s*Regionernes It-råd\s*Ja/)

    await fill('bent', 'Bent Berg', '', 'Region Syddanmark')
    await expectPage(t, page, 'Rådsmedlemmer')
    await expectText(t, page.locator('.message-success'), 'Bent Berg er registreret som rådsmedlem i Regionernes It-råd')
    const bent = rows.filter({ hasText: /Bent Berg/ })
    await expectText(t, bent, /Bent Berg\s*Ikke angivet\s*Region Syddanmark\s*Regionernes It-råd\s*Ja/)
    await expectCount(t, rows, 3)
    await checkAccessibility(t, page, 'raadsmedlemmer-registreret')

    // The same user id again: 409, in Danish.
    await fill('anne', 'Anne Anden', '', 'Region Midtjylland')
    const duplicate = form.locator('.message-error')
    await expectText(t, duplicate, /^Fejl: \S.*Der er allerede et rådsmedlem med det bruger-id\./)
    t.notMatch(await duplicate.textContent(), ENGLISH_PROBLEM, 'a duplicate member is refused in Danish')
    await checkAccessibility(t, page, 'registrer-raadsmedlem-dublet')

    // Bent's e-mail.
    await page.getByRole('button', { name: 'Ret oplysninger for Bent Berg' }).click()
    const edit = page.getByRole('form', { name: 'Ret oplysninger for Bent Berg' })
    await expectInPage(t, page, 'document.activeElement?.id', 'member-edit-name-bent', 'focus moves to the name')
    await checkAccessibility(t, page, 'raadsmedlem-ret-oplysninger')
    await edit.getByLabel(/^E-mail/).fill('bent.berg@rsyd.dk')
    await edit.getByRole('button', { name: 'Gem oplysninger' }).click()
    await expectPage(t, page, 'Rådsmedlemmer')
    await expectText(t, page.locator('.message-success'), 'Oplysningerne om Bent Berg er gemt.')
    await expectText(t, bent, /Bent Berg\s*bent\.berg@rsyd\.dk\s*Region Syddanmark/)

    // Anne inactive.
    await page.getByRole('button', { name: 'Deaktivér Anne Andersen' }).click()
    await expectPage(t, page, 'Rådsmedlemmer')
    await expectText(t, page.locator('.message-success'), 'Anne Andersen er nu inaktiv og kan ikke tilknyttes nye sager.')
    await expectText(t, anne, /Regionernes It-råd\s*Nej/)
    await checkAccessibility(t, page, 'raadsmedlemmer-inaktiv')

    // A change on a view that someone else has changed meanwhile: 412, said in words, the table anew.
    await page.getByRole('button', { name: 'Ret oplysninger for Bent Berg' }).click()
    await patch('bent', { name: 'Bent Bergholt' })
    await edit.getByLabel(/^E-mail/).fill('bent@rsyd.dk')
    await edit.getByRole('button', { name: 'Gem oplysninger' }).click()
    await expectPage(t, page, 'Rådsmedlemmer')
    const notice = page.locator('.message-notice')
    await expectText(t, notice, 'Oplysningerne om Bent Berg er blevet ændret af en anden, siden siden blev vist, så din ændring er ikke gemt.')
    t.notMatch(await notice.textContent(), /412|ETag|If-Match|precondition/i, 'no raw error')
    await expectText(t, bent, /Bent Bergholt\s*bent\.berg@rsyd\.dk/, 'the table shows the members anew')
    await checkAccessibility(t, page, 'raadsmedlemmer-aendret-imens')

    // The name back.
    await page.getByRole('button', { name: 'Ret oplysninger for Bent Bergholt' }).click()
    await page.getByRole('form', { name: 'Ret oplysninger for Bent Bergholt' }).getByLabel(/^Navn/).fill('Bent Berg')
    await page.getByRole('button', { name: 'Gem oplysninger' }).click()
    await expectPage(t, page, 'Rådsmedlemmer')
    await expectText(t, page.locator('.message-success'), 'Oplysningerne om Bent Berg er gemt.')
    await expectText(t, bent, /Bent Berg\s*bent\.berg@rsyd\.dk/)

    // The project: only Bent is offered (Anne is inactive, Carl is of the owning region).
    const openProject = async () => {
      const search = page.getByRole('searchbox', { name: 'Søg efter sag' })
      await search.fill(project.reference)
      await search.press('Enter')
      await expectPage(t, page, TITLE)
    }
    const member = page.getByRole('combobox', { name: /^Rådsmedlem/ })
    const offered = async (expected: string[]) => {
      const options = await settled(
        () => member.locator('option').evaluateAll((list) => list.map((o) => o.textContent ?? '')),
        (texts) => JSON.stringify(texts) === JSON.stringify(expected))
      t.same(options, expected, `offered: ${expected.join(', ')}`)
    }
    await openProject()
    await offered(['Vælg rådsmedlem', 'Bent Berg (Region Syddanmark)'])
    await checkAccessibility(t, page, 'projekt-tilknyt-kun-aktive')

    // Anne active again.
    await menu.getByRole('link', { name: 'Rådsmedlemmer' }).click()
    await expectPage(t, page, 'Rådsmedlemmer')
    await page.getByRole('button', { name: 'Aktivér Anne Andersen' }).click()
    await expectPage(t, page, 'Rådsmedlemmer')
    await expectText(t, page.locator('.message-success'), 'Anne Andersen er aktiv igen og kan tilknyttes sager.')
    await expectText(t, anne, /Regionernes It-råd\s*Ja/)

    await openProject()
    await offered(['Vælg rådsmedlem', 'Anne Andersen (Region Nordjylland)', 'Bent Berg (Region Syddanmark)'])
    await checkAccessibility(t, page, 'projekt-tilknyt')

    // Nobody chosen: said before anything is sent.
    await page.getByRole('button', { name: 'Tilknyt' }).click()
    await expectText(t, page.locator('.actions .message-error'), 'Vælg det rådsmedlem, der skal tilknyttes.')

    await member.selectOption({ label: 'Anne Andersen (Region Nordjylland)' })
    await page.getByRole('button', { name: 'Tilknyt' }).click()
    await expectPage(t, page, TITLE)
    await expectText(t, page.locator('.message-success'), 'Rådsmedlemmet er tilknyttet sagen.')
    const assignments = page.getByRole('region', { name: 'Tilknyttede rådsmedlemmer' })
    await expectText(t, assignments, 'Anne Andersen (Region Nordjylland)')
    await offered(['Vælg rådsmedlem', 'Bent Berg (Region Syddanmark)'])

    // Bent is made inactive while the page shows him: the API refuses (422), in Danish.
    await patch('bent', { active: false })
    await member.selectOption({ label: 'Bent Berg (Region Syddanmark)' })
    await page.getByRole('button', { name: 'Tilknyt' }).click()
    const refusal = page.locator('.actions .message-error')
    await expectText(t, refusal, /^Fejl: \S/)
    t.notMatch(await refusal.textContent(), ENGLISH_PROBLEM, 'an inactive member is refused in Danish')
    await expectInPage(t, page, 'document.activeElement?.classList.contains("message-error")', true, 'focus moves to the refusal')
    await checkAccessibility(t, page, 'projekt-tilknyt-inaktiv-afvist')

    await patch('bent', { active: true })
    await page.getByRole('button', { name: 'Tilknyt' }).click()
    await expectPage(t, page, TITLE)
    await expectText(t, page.locator('.message-success'), 'Rådsmedlemmet er tilknyttet sagen.')
    await expectText(t, assignments, /Anne Andersen \(Region Nordjylland\).*Bent Berg \(Region Syddanmark\)/)
    await expectCount(t, page.getByRole('button', { name: 'Tilknyt' }), 0, 'two active members: no third')
    await expectCount(t, page.locator('.timeline li', { hasText: 'Rådsmedlem er tilknyttet' }), 2)
    t.notMatch(await assignments.textContent(), /\b(anne|bent|1081|1083)\b/, 'names, never codes')
    await checkAccessibility(t, page, 'projekt-to-tilknyttet')
    checkConsole()
  })

  await t.test('an admin sees both councils\' members and registers one with Statens It-råd', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'admin (members)')
    await signInWithToken(t, page, base, adminJwt, 'Porteføljeoverblik')
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Rådsmedlemmer' }).click()
    await expectPage(t, page, 'Rådsmedlemmer')
    const rows = page.locator('table.members tbody tr')
    await expectText(t, rows.filter({ hasText: 'Sigrid Statslig' }), /Sigrid Statslig\s*sigrid@demostyrelsen\.dk\s*Demostyrelsen\s*Statens It-råd\s*Ja/)
    await expectText(t, rows.filter({ hasText: 'Anne Andersen' }), /Region Nordjylland\s*Regionernes It-råd\s*Ja/)
    await expectCount(t, rows, 4)

    const form = page.getByRole('region', { name: 'Registrér rådsmedlem' })
    await form.getByRole('combobox', { name: /^Råd/ }).selectOption({ label: 'Statens It-råd' })
    const orgs = await form.getByRole('combobox', { name: /^Organisation/ }).locator('option').evaluateAll((list) => list.map((o) => o.textContent ?? ''))
    t.ok(orgs.includes('Demostyrelsen'), 'Statens It-råd\'s organisations are offered')
    t.notOk(orgs.includes('Region Nordjylland'), 'not the regions')
    await checkAccessibility(t, page, 'raadsmedlemmer-admin')
    await form.getByLabel(/^Bruger-id/).fill('signe')
    await form.getByLabel(/^Navn/).fill('Signe Sørensen')
    await form.getByLabel(/^Organisation/).selectOption({ label: 'Demostyrelsen' })
    await form.getByRole('button', { name: 'Registrér rådsmedlem' }).click()
    await expectPage(t, page, 'Rådsmedlemmer')
    await expectText(t, page.locator('.message-success'), 'Signe Sørensen er registreret som rådsmedlem i Statens It-råd')
    await expectText(t, rows.filter({ hasText: 'Signe Sørensen' }), /Signe Sørensen\s*Ikke angivet\s*Demostyrelsen\s*Statens It-råd\s*Ja/)
    checkConsole()
  })
})
