// The web pages in a real browser (Debian's Chromium through playwright-core): the review from
// the queue to the owner reading the letter, with axe-core on every page. Screenshots go to
// .tap/screenshots/. Without /usr/bin/chromium the test is skipped (CI installs it).
// Each role's whole path through the portal is in portal.test.ts.
import { sql } from 'drizzle-orm'
import { generateKeyPair, SignJWT } from 'jose'
import type { Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { bearer, build, TEST_AUDIENCE, TEST_ISSUER, token } from '../helpers/build.ts'
import { gatedProject, submitProject } from '../helpers/fixtures.ts'
import { recentPeriods } from '../review/helpers.ts'
import {
  expectCount, expectInPage, expectPage, expectText, expectUrl, launch, listen, openTab, pageChecks,
  settled, signInWithToken, skip
} from './browser-helpers.ts'

const { checkAccessibility } = pageChecks('')

// A real browser through three sign-ins, on three fresh databases, takes far longer than the
// suite's per-file default (.taprc): ~3 minutes on a busy machine. Counted from here.
t.setTimeout(600_000)

t.test('a review from the queue to the letter, in Chromium', { skip }, async (t) => {
  const { app, database } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)

  // Two projects awaiting review; one of them is past its deadline.
  const project = await submitProject(app, '1084', gatedProject({ title: 'Fælles regional booking-platform' }))
  const late = await submitProject(app, '1083', gatedProject({ title: 'Fælles elektronisk patientjournal – opgradering' }))
  await database.db.execute(sql`update projects set assessment_due_on = '2024-01-08' where id = ${late.id}`)

  const secretariatJwt = await token('secretariat', 'ITR', { sub: 'sek-lise', name: 'Lise Sekretariat' })
  // Council members sign in with their own organisation's code, as the directory has it.
  const annaJwt = await token('council_member', '1081', { sub: 'cm-anna', name: 'Anna Rådsmedlem' })
  const boJwt = await token('council_member', '1082', { sub: 'cm-bo', name: 'Bo Rådsmedlem' })
  const ownerJwt = await token('submitter', '1084', { sub: 'mette', name: 'Mette Hansen' })
  // The council's directory (as an admin, through the API): the secretariat assigns from it.
  const adminJwt = await token('admin', 'ITR', { sub: 'admin-ida', name: 'Ida Administrator' })
  for (const member of [
    { sub: 'cm-anna', name: 'Anna Rådsmedlem', org: '1081' },
    { sub: 'cm-bo', name: 'Bo Rådsmedlem', org: '1082' },
    { sub: 'cm-carl', name: 'Carl Rådsmedlem', org: '1084' }
  ]) {
    const registered = await app.inject({ method: 'POST', url: '/v1/members', headers: bearer(adminJwt), payload: { ...member, council: 'regions' } })
    t.equal(registered.statusCode, 201, `${member.name} is in the directory`)
  }

  // 1. The secretariat: the queue, the project, and assigning the first member through the form.
  await t.test('the secretariat assigns a council member', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'secretariat')
    await checkAccessibilityOfSignIn(t, page, base)
    await signInWithToken(t, page, base, secretariatJwt, 'Sagsoversigt')
    const rows = page.locator('table.data tbody tr')
    await expectCount(t, rows, 2)
    const lateRow = rows.filter({ hasText: late.reference })
    await expectText(t, lateRow, /8\. januar 2024\s*!?\s*Overskredet/, 'overdue in words, not colour alone')
    // The rows are in place (above), so the other row's text is final.
    t.notMatch(await rows.filter({ hasText: project.reference }).textContent(), /Overskredet/)
    await expectText(t, rows.first(), late.reference, 'the earliest deadline first')
    await expectText(t, page.locator('main'), '10.000.000 kr.')
    await checkAccessibility(t, page, 'sagsoversigt')

    await page.getByRole('link', { name: 'Fælles regional booking-platform' }).click()
    await expectPage(t, page, 'Fælles regional booking-platform')
    // Chosen by name; a member from the owning region (inhabil) is not offered.
    const member = page.getByRole('combobox', { name: /^Rådsmedlem/ })
    const options = await member.locator('option').evaluateAll((list) => list.map((o) => o.textContent ?? ''))
    t.same(options, ['Vælg rådsmedlem', 'Anna Rådsmedlem (Region Nordjylland)', 'Bo Rådsmedlem (Region Midtjylland)'], 'the active members of other organisations than the owner')
    await checkAccessibility(t, page, 'projekt-tilknyt')
    await member.selectOption({ label: 'Anna Rådsmedlem (Region Nordjylland)' })
    await page.getByRole('button', { name: 'Tilknyt' }).click()
    // The project page again, rendered anew with the confirmation.
    await expectPage(t, page, 'Fælles regional booking-platform')
    await page.locator('.message-success', { hasText: 'Rådsmedlemmet er tilknyttet sagen.' }).waitFor()
    await expectText(t, page.locator('.lead'), 'Under vurdering')
    await expectText(t, page.locator('.timeline'), 'Rådsmedlem er tilknyttet')
    await expectText(t, page.getByRole('region', { name: 'Tilknyttede rådsmedlemmer' }), 'Anna Rådsmedlem (Region Nordjylland)')
    checkConsole()
  })

  // The second member is assigned through the API.
  const assigned = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/assignments`, headers: bearer(secretariatJwt), payload: { memberSub: 'cm-bo' } })
  t.equal(assigned.statusCode, 201)

  // 2. A council member: the queue, the project page, the assessment form.
  await t.test('a council member submits an assessment', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'council member')
    await signInWithToken(t, page, base, annaJwt, 'Sagsoversigt')
    await expectText(t, page.locator('header'), 'Anna Rådsmedlem')
    // Anna is assigned: the project is among her own cases as well as in the queue.
    const mine = page.getByRole('region', { name: 'Mine sager' })
    await expectText(t, mine, 'Du er tilknyttet 1 projekt.')
    await mine.getByRole('link', { name: 'Fælles regional booking-platform' }).click()
    await expectPage(t, page, 'Fælles regional booking-platform')
    const main = page.locator('main')
    await expectText(t, main, 'Projektet skal vurderes af rådet.')
    await expectText(t, main, 'Medregnede omkostninger på 10.000.000 kr. er mindst 10.000.000 kr.')
    await expectText(t, main, 'Alle fem regioner deltager')
    await expectText(t, page.locator('tfoot'), /Medregnede omkostninger.*10\.000\.000 kr\.\s*Samlede omkostninger.*10\.900\.000 kr\./)
    await expectText(t, page.locator('.timeline'), 'Projektet er indsendt')
    await checkAccessibility(t, page, 'projekt')

    await page.getByRole('link', { name: 'Registrér risikovurdering' }).click()
    await expectPage(t, page, 'Risikovurdering')
    await checkAccessibility(t, page, 'risikovurdering')

    // Sent empty: a summary of what is missing, focused, each linking to its field.
    await page.getByRole('button', { name: 'Indsend risikovurdering' }).click()
    const summary = page.locator('.message-error')
    await summary.waitFor()
    await expectText(t, summary, 'Vælg en risiko for Forretning.')
    await expectText(t, summary, 'Skriv en sammenfatning.')
    await expectInPage(t, page, 'document.activeElement?.classList.contains("message-error")', true, 'focus moves to the summary')
    await checkAccessibility(t, page, 'risikovurdering-valideringsfejl')
    await summary.getByRole('link', { name: 'Skriv en sammenfatning.' }).click()
    await expectInPage(t, page, 'document.activeElement?.id', 'assessment-summary', 'the link moves focus to the field')

    const scores: Array<[string, string]> = [['Forretning', '3'], ['Styring', '2'], ['Planlægning', '4'], ['Teknologi', '2'], ['Leverandør', '3'], ['Økonomi', '3'], ['Sikkerhed', '2']]
    for (const [dimension, score] of scores) {
      await page.getByRole('group', { name: dimension }).getByRole('radio', { name: new RegExp(`^${score} – `) }).check()
    }
    // The keyboard works in a radio group: arrow keys move the choice.
    const security = page.getByRole('group', { name: 'Sikkerhed' })
    await security.getByRole('radio', { name: /^2 – / }).focus()
    await page.keyboard.press('ArrowRight')
    const three = security.getByRole('radio', { name: /^3 – / })
    t.ok(await settled(() => three.isChecked(), Boolean), 'arrow key changes the score')
    await page.keyboard.press('ArrowLeft')
    const two = security.getByRole('radio', { name: /^2 – / })
    await settled(() => two.isChecked(), Boolean) // back to 2 before the form is sent
    await page.getByRole('group', { name: 'Foreslået risikoprofil' }).getByRole('radio', { name: /^B – / }).check()
    await page.getByLabel('Sammenfatning').fill('Projektet er velbeskrevet, men tidsplanen er stram, og leverandørmarkedet er smalt.')
    await page.getByLabel('Område', { exact: true }).first().selectOption('planning')
    await page.getByLabel('Anbefaling', { exact: true }).first().fill('Læg buffer ind i tidsplanen før udbuddet.')
    await page.getByRole('button', { name: 'Tilføj anbefaling' }).click()
    await expectInPage(t, page, 'document.activeElement?.tagName', 'TEXTAREA', 'focus moves to the new recommendation')
    await page.keyboard.type('Afklar exit-strategi for leverandøren.')
    await page.getByLabel('Område', { exact: true }).nth(1).selectOption('supplier')
    await page.getByRole('button', { name: 'Indsend risikovurdering' }).click()

    await expectPage(t, page, 'Fælles regional booking-platform')
    await expectText(t, page.locator('.message-success'), 'Din risikovurdering er registreret.')
    await expectText(t, page.locator('.timeline'), 'Risikovurdering er afgivet')
    await expectText(t, page.getByRole('region', { name: 'Din risikovurdering' }), 'Projektet er velbeskrevet')
    await expectCount(t, page.getByRole('link', { name: 'Registrér risikovurdering' }), 0, 'nothing more to assess')
    await checkAccessibility(t, page, 'projekt-efter-risikovurdering')
    checkConsole()
  })

  const own = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/assessments`, headers: bearer(secretariatJwt) })
  t.match(own.json().items, [{ memberSub: 'cm-anna', proposedProfile: 'B', scores: { business: 3, governance: 2, planning: 4, technology: 2, supplier: 3, economy: 3, security: 2 }, recommendations: [{ category: 'planning' }, { category: 'supplier' }] }])

  // The second member assesses through the API, to save time.
  const second = await app.inject({
    method: 'POST',
    url: `/v1/projects/${project.id}/assessments`,
    headers: bearer(boJwt),
    payload: { scores: { business: 2, governance: 2, planning: 3, technology: 3, supplier: 2, economy: 2, security: 3 }, proposedProfile: 'C', summary: 'Middel risiko samlet set.', recommendations: [] }
  })
  t.equal(second.statusCode, 201)

  // 3. The secretariat issues the letter.
  await t.test('the secretariat issues the recommendation letter', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'secretariat (letter)')
    await signInWithToken(t, page, base, secretariatJwt, 'Sagsoversigt')
    await page.getByRole('link', { name: 'Fælles regional booking-platform' }).click()
    await expectPage(t, page, 'Fælles regional booking-platform')
    await page.getByRole('link', { name: 'Udarbejd anbefalingsbrev' }).click()
    await expectPage(t, page, 'Anbefalingsbrev')
    await expectText(t, page.locator('main'), 'Sammenfatning fra Anna Rådsmedlem')
    await expectText(t, page.locator('main'), 'Sammenfatning fra Bo Rådsmedlem')
    await checkAccessibility(t, page, 'anbefalingsbrev')

    await page.getByLabel('Rådets udtalelse').fill('Rådet vurderer, at projektet har en høj risiko, primært på grund af tidsplanen.')
    await page.getByRole('group', { name: 'Risikoprofil' }).getByRole('radio', { name: /^B – / }).check()
    await page.getByLabel('Rådet anbefaler et eksternt review').check()
    await page.getByRole('button', { name: 'Udsend anbefalingsbrev' }).click()
    await expectPage(t, page, 'Fælles regional booking-platform')
    await expectText(t, page.locator('.message-success'), 'Anbefalingsbrevet er udsendt.')
    await expectText(t, page.locator('.letter'), 'Risikoprofil: B – høj risiko')
    await checkAccessibility(t, page, 'projekt-med-anbefalingsbrev')

    // The queue no longer holds it.
    await page.getByRole('link', { name: 'Sagsoversigt' }).click()
    await expectPage(t, page, 'Sagsoversigt')
    await expectCount(t, page.locator('table.data tbody tr'), 1)
    checkConsole()
  })

  const letter = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers: bearer(ownerJwt) })
  t.match(letter.json(), { riskProfile: 'B', externalReviewRecommended: true, recommendations: [{ category: 'planning' }, { category: 'supplier' }] })

  // A status report from the owner, for the portfolio's lights.
  const period = recentPeriods(1)[0]!
  const periodInWords = `${period.slice(-1)}. halvår ${period.slice(0, 4)}`
  const report = await app.inject({
    method: 'POST',
    url: `/v1/projects/${project.id}/status-reports`,
    headers: bearer(ownerJwt),
    payload: {
      // The current half-year (the letter's: it was issued today), on budget and a month late.
      period,
      forecastCostDkk: 10_000_000,
      forecastEndDate: '2029-07-31',
      forecastFinancialBenefitsDkk: null,
      cost: 'green',
      schedule: 'yellow',
      financialBenefits: 'green',
      nonFinancialBenefits: null,
      comment: 'Tidsplanen er skubbet en måned.'
    }
  })
  t.equal(report.statusCode, 201)

  // 4. The owner reads the letter and sees the portfolio.
  await t.test('the owner sees the letter\'s risk profile and the portfolio', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'owner')
    await signInWithToken(t, page, base, ownerJwt, 'Mine projekter')
    await page.getByRole('link', { name: 'Porteføljeoverblik' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')
    const rows = page.locator('table.portfolio tbody tr')
    await expectCount(t, rows, 2, 'its own project and the one its region takes part in')
    await expectText(t, rows.filter({ hasText: project.reference }), new RegExp(`B – høj risiko.*${periodInWords}.*Gul \\(projektets egen vurdering\\).*Grøn.*Gul.*Grøn.*Ikke angivet`), 'the latest report\'s lights, in words')
    await expectText(t, rows.filter({ hasText: late.reference }), 'Rapporterer først efter anbefalingsbrevet')
    await checkAccessibility(t, page, 'portefoeljeoverblik')

    await page.getByLabel('Status', { exact: true }).selectOption('letter_issued')
    await page.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')
    await expectUrl(t, page, /#\/portfolio\?status=letter_issued$/)
    await expectCount(t, rows, 1)
    await page.getByLabel('Status', { exact: true }).selectOption('withdrawn')
    await page.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')
    await expectText(t, page.locator('main'), 'Ingen projekter matcher filteret.')
    await page.getByLabel('Status', { exact: true }).selectOption('')
    await page.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')

    await page.getByRole('link', { name: 'Fælles regional booking-platform' }).click()
    await expectPage(t, page, 'Fælles regional booking-platform')
    const letterBox = page.locator('.letter')
    await expectText(t, letterBox, 'Risikoprofil: B – høj risiko')
    await expectText(t, letterBox, 'Rådet anbefaler et eksternt review.')
    await expectText(t, letterBox, 'Planlægning: Læg buffer ind i tidsplanen før udbuddet.')
    await expectText(t, page.locator('main'), 'Statusrapporter')
    await expectText(t, page.locator('main'), 'Svar på anbefalingsbrevet')
    await checkAccessibility(t, page, 'projekt-ejer')

    // Signing out forgets the token.
    await page.getByRole('button', { name: 'Log ud' }).click()
    await expectPage(t, page, 'Log ind')
    await expectInPage(t, page, 'sessionStorage.length', 0, 'signing out forgets the token')
    checkConsole()
  })

  // 5. The portfolio for the secretariat, filtered by region.
  await t.test('the secretariat filters the portfolio by region', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'secretariat (portfolio)')
    await signInWithToken(t, page, base, secretariatJwt, 'Sagsoversigt')
    await page.getByRole('link', { name: 'Porteføljeoverblik' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')
    // The council's portfolio for the current half-year: the projects with a letter (the one still
    // under assessment is not followed up yet).
    await expectCount(t, page.locator('table.portfolio tbody tr'), 1)
    await page.getByLabel('Region', { exact: true }).selectOption('1084')
    await page.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')
    await expectUrl(t, page, /#\/portfolio\?region=1084$/)
    await expectCount(t, page.locator('table.portfolio tbody tr'), 1, 'the project involves Region Hovedstaden')
    await expectText(t, page.locator('table.portfolio tbody tr'), 'Gul (projektets egen vurdering)')
    await expectText(t, page.locator('.summary'), new RegExp(`^${periodInWords}: 1 projekt under Regionernes It-råd i Region Hovedstaden\\. Samlet vurdering: 0 grønne, 1 gul og 0 røde; 0 uden statusrapport endnu\\. 1 af dem er projektets egen vurdering`))
    await checkAccessibility(t, page, 'portefoeljeoverblik-region')
    checkConsole()
  })
})

t.test('an expired or foreign token is refused at sign-in, in Danish', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)
  // 401s: the expired token at sign-in; then, with the foreign token, the portfolio's projects and
  // the organisations and councils the header and the page ask for together (one request each).
  const { page, checkConsole } = await openTab(t, browser, 'refused sign-in', [401, 401, 401, 401])
  await page.goto(`${base}/app/#/queue`)
  await expectPage(t, page, 'Log ind', { focused: false })
  await page.getByLabel('Adgangstoken (JWT)').fill(await token('council_member', 'ITR', { expiresIn: -3600 }))
  await page.getByRole('button', { name: 'Log ind med token' }).click()
  const error = page.locator('.message-error')
  await error.waitFor()
  await expectText(t, error, /^Fejl: \S/)
  await expectText(t, error, 'Du er ikke logget ind, eller dit login er udløbet.')
  await checkAccessibility(t, page, 'log-ind-fejl')
  await expectInPage(t, page, 'sessionStorage.getItem("council-gate.token")', null, 'a refused token is not kept')

  // A kept token that the API stops accepting (here: signed by an unknown key) leads back to
  // the sign-in page with a notice, and after signing in again to where the user was.
  const { privateKey } = await generateKeyPair('ES256')
  const foreign = await new SignJWT({ org: 'ITR', roles: ['secretariat'] })
    .setProtectedHeader({ alg: 'ES256', kid: 'someone-else' })
    .setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setSubject('x').setExpirationTime('10m')
    .sign(privateKey)
  await page.evaluate(`sessionStorage.setItem("council-gate.token", ${JSON.stringify(foreign)})`)
  await page.goto(`${base}/app/#/portfolio`)
  await expectPage(t, page, 'Log ind', { focused: false })
  await expectText(t, page.locator('.message-notice'), 'Dit login er udløbet eller blev afvist. Log ind igen.')
  await expectInPage(t, page, 'sessionStorage.getItem("council-gate.token")', null, 'the refused token is forgotten')
  await page.getByLabel('Adgangstoken (JWT)').fill(await token('secretariat', 'ITR'))
  await page.getByRole('button', { name: 'Log ind med token' }).click()
  await expectPage(t, page, 'Porteføljeoverblik')
  checkConsole()
})

t.test('dev mode: sign in by choosing a role and an organisation', { skip }, async (t) => {
  const { app } = await build(t, { devAuthDir: t.testdir() })
  const base = await listen(app)
  const browser = await launch(t)
  const { page, checkConsole } = await openTab(t, browser, 'dev sign-in')
  await page.goto(`${base}/app/#/queue`)
  await expectPage(t, page, 'Log ind', { focused: false })
  await page.locator('#dev-heading').waitFor()
  await checkAccessibility(t, page, 'log-ind-udvikling')

  // Keyboard only: the skip link is the first stop and leads to the page heading.
  await page.keyboard.press('Tab')
  await expectInPage(t, page, 'document.activeElement?.textContent', 'Gå til hovedindhold', 'the skip link is the first stop')
  await page.keyboard.press('Enter')
  await expectInPage(t, page, 'document.activeElement?.id', 'page-heading', 'the skip link leads to the page heading')

  await page.getByLabel('Rolle').selectOption('council_member')
  await page.getByLabel('Organisation').fill('ITR')
  await page.getByLabel('Navn (valgfrit)').fill('Dorte Dev')
  await page.getByRole('button', { name: 'Log ind', exact: true }).click()
  await expectPage(t, page, 'Sagsoversigt')
  await expectUrl(t, page, /#\/queue$/, 'back to where the user was going')
  await expectText(t, page.locator('header'), /Dorte Dev.*Rådsmedlem · Regionernes It-råds sekretariat/)
  await expectText(t, page.locator('main'), 'Der er ingen projekter, der venter på vurdering.')
  await checkAccessibility(t, page, 'sagsoversigt-tom')
  checkConsole()
})

/** The sign-in page before anything else, so that it is checked with real auth too. */
async function checkAccessibilityOfSignIn (t: Test, page: Page, base: string) {
  await page.goto(`${base}/app/`)
  await expectPage(t, page, 'Log ind', { focused: false })
  await checkAccessibility(t, page, 'log-ind')
}
