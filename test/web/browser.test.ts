// The web pages in a real browser (Debian's Chromium through playwright-core): the review from
// the queue to the owner reading the letter, with axe-core on every page. Screenshots go to
// .tap/screenshots/. Without /usr/bin/chromium the test is skipped (CI installs it).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { generateKeyPair, SignJWT } from 'jose'
import { chromium, type Browser, type Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { ROOT_DIR } from '../../src/paths.ts'
import { bearer, build, TEST_AUDIENCE, TEST_ISSUER, token } from '../helpers/build.ts'
import { gatedProject, submitProject } from '../helpers/fixtures.ts'

const CHROMIUM = '/usr/bin/chromium'
const SCREENSHOTS = join(ROOT_DIR, '.tap', 'screenshots')
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

// A real browser through three sign-ins takes longer than the suite's per-file default.
t.setTimeout(300_000)

const skip = existsSync(CHROMIUM)
  ? false
  : `Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` to run the browser tests (.ci/run installs it)`

async function launch (t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(() => browser.close())
  return browser
}

async function listen (app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

/**
 * A browser tab of its own (own sessionStorage) that records console errors, script errors, CSP
 * violations and failed requests: the pages must run without any. API answers of 400 and above
 * are compared with `expectedStatuses` (Chromium also logs them to the console; those lines are
 * left to this comparison).
 */
async function openTab (t: Test, browser: Browser, who: string, expectedStatuses: number[] = []) {
  const context = await browser.newContext({ locale: 'da-DK', timezoneId: 'Europe/Copenhagen', viewport: { width: 1280, height: 900 } })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const problems: string[] = []
  const statuses: number[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of 4')) problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`))
  page.on('response', (response) => { if (response.status() >= 400) statuses.push(response.status()) })
  /** Call at the end of the test. */
  const checkConsole = () => {
    t.same(problems, [], `${who}: no console errors, script errors, CSP violations or failed requests`)
    t.same(statuses, expectedStatuses, `${who}: only the expected error answers`)
  }
  return { page, checkConsole }
}

// Only this file writes there: start each run with an empty folder.
rmSync(SCREENSHOTS, { recursive: true, force: true })
let shot = 0
async function screenshot (page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  shot += 1
  const file = join(SCREENSHOTS, `${String(shot).padStart(2, '0')}-${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

interface AxeResult { violations: Array<{ id: string, impact: string | null, help: string, nodes: Array<{ target: unknown }> }>, passes: unknown[] }

/** axe-core in the page, all rules but the experimental ones: zero violations. */
async function checkAccessibility (t: Test, page: Page, name: string) {
  // CDP evaluation is not subject to the page's CSP, so axe needs no inline script.
  if (!await page.evaluate('typeof window.axe === "object"')) await page.evaluate(AXE_SOURCE)
  const result = await page.evaluate('axe.run(document, { resultTypes: ["violations"] })') as AxeResult
  const violations = result.violations.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`)
  t.same(violations, [], `axe: no violations on ${name}`)
  await screenshot(page, name)
}

/** Waits for the page heading after a navigation and checks that focus moved to it. */
async function expectPage (t: Test, page: Page, title: string | RegExp, { focused = true } = {}) {
  const heading = page.locator('h1#page-heading')
  await heading.filter({ hasText: title }).waitFor()
  await page.locator('main:not([aria-busy])').waitFor()
  if (focused) t.equal(await page.evaluate('document.activeElement?.id'), 'page-heading', `focus is on the heading of "${String(title)}"`)
}

async function signInWithToken (t: Test, page: Page, base: string, jwt: string, landing: string) {
  await page.goto(`${base}/app/`)
  await expectPage(t, page, 'Log ind', { focused: false })
  t.equal(await page.locator('html').getAttribute('lang'), 'da')
  t.equal(await page.locator('#dev-heading').count(), 0, 'no dev sign-in with real auth')
  await page.getByLabel('Adgangstoken (JWT)').fill(jwt)
  await page.getByRole('button', { name: 'Log ind med token' }).click()
  await expectPage(t, page, landing)
  t.match(await page.locator('main .message-success').textContent(), 'Du er logget ind.')
  t.equal(await page.evaluate('localStorage.length'), 0, 'nothing in localStorage')
  t.ok(await page.evaluate(`Object.values(sessionStorage).includes(${JSON.stringify(jwt)})`), 'the token is in sessionStorage')
  t.notOk(page.url().includes(jwt), 'the token is not in the URL')
}

t.test('a review from the queue to the letter, in Chromium', { skip }, async (t) => {
  const { app, database } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)

  // Two projects awaiting review; one of them is past its deadline.
  const project = await submitProject(app, '1084', gatedProject({ title: 'Fælles regional booking-platform' }))
  const late = await submitProject(app, '1083', gatedProject({ title: 'Fælles elektronisk patientjournal – opgradering' }))
  await database.db.execute(sql`update projects set assessment_due_on = '2024-01-08' where id = ${late.id}`)

  const secretariatJwt = await token('secretariat', 'ITR', { sub: 'sek-lise', name: 'Lise Sekretariat' })
  const annaJwt = await token('council_member', 'ITR', { sub: 'cm-anna', name: 'Anna Rådsmedlem' })
  const boJwt = await token('council_member', 'ITR', { sub: 'cm-bo', name: 'Bo Rådsmedlem' })
  const ownerJwt = await token('submitter', '1084', { sub: 'mette', name: 'Mette Hansen' })

  // 1. The secretariat: the queue, the project, and assigning the first member through the form.
  await t.test('the secretariat assigns a council member', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'secretariat', [409])
    await checkAccessibilityOfSignIn(t, page, base)
    await signInWithToken(t, page, base, secretariatJwt, 'Sagsoversigt')
    const rows = page.locator('table.data tbody tr')
    t.equal(await rows.count(), 2)
    const lateRow = rows.filter({ hasText: late.reference })
    t.match(await lateRow.textContent(), /8\. januar 2024\s*!?\s*Overskredet/, 'overdue in words, not colour alone')
    t.notMatch(await rows.filter({ hasText: project.reference }).textContent(), /Overskredet/)
    t.match(await rows.first().textContent(), late.reference, 'the earliest deadline first')
    t.match(await page.locator('main').textContent(), '10.000.000 kr.')
    await checkAccessibility(t, page, 'sagsoversigt')

    await page.getByRole('link', { name: 'Fælles regional booking-platform' }).click()
    await expectPage(t, page, 'Fælles regional booking-platform')
    await page.getByLabel('Rådsmedlemmets bruger-id').fill('cm-anna')
    await page.getByLabel('Rådsmedlemmets organisation').fill('1084')
    await page.getByRole('button', { name: 'Tilknyt' }).click()
    const error = page.locator('.message-error')
    await error.waitFor()
    t.match(await error.textContent(), /^Fejl: .+Sagens nuværende tilstand tillader ikke handlingen\./, 'a 409 (conflict of interest) is shown in Danish context')
    t.equal(await page.evaluate('document.activeElement?.classList.contains("message-error")'), true, 'focus moves to the error')
    await checkAccessibility(t, page, 'projekt-fejl-ved-tilknytning')
    await page.getByLabel('Rådsmedlemmets organisation').fill('ITR')
    await page.getByRole('button', { name: 'Tilknyt' }).click()
    await page.locator('.message-success', { hasText: 'Rådsmedlemmet er tilknyttet sagen.' }).waitFor()
    t.match(await page.locator('.lead').textContent(), 'Under vurdering')
    t.match(await page.locator('.timeline').textContent(), 'Rådsmedlem er tilknyttet')
    checkConsole()
  })

  // The second member is assigned through the API.
  const assigned = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/assignments`, headers: bearer(secretariatJwt), payload: { memberSub: 'cm-bo', memberOrg: 'ITR' } })
  t.equal(assigned.statusCode, 201)

  // 2. A council member: the queue, the project page, the assessment form.
  await t.test('a council member submits an assessment', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'council member')
    await signInWithToken(t, page, base, annaJwt, 'Sagsoversigt')
    t.match(await page.locator('header').textContent(), 'Anna Rådsmedlem')
    await page.getByRole('link', { name: 'Fælles regional booking-platform' }).click()
    await expectPage(t, page, 'Fælles regional booking-platform')
    const main = page.locator('main')
    t.match(await main.textContent(), 'Projektet skal vurderes af rådet.')
    t.match(await main.textContent(), 'Medregnede omkostninger på 10.000.000 kr. er mindst 10.000.000 kr.')
    t.match(await main.textContent(), 'Alle fem regioner deltager')
    t.match(await page.locator('tfoot').textContent(), /Medregnede omkostninger.*10\.000\.000 kr\.\s*Samlede omkostninger.*10\.900\.000 kr\./)
    t.match(await page.locator('.timeline').textContent(), 'Projektet er indsendt')
    await checkAccessibility(t, page, 'projekt')

    await page.getByRole('link', { name: 'Registrér risikovurdering' }).click()
    await expectPage(t, page, 'Risikovurdering')
    await checkAccessibility(t, page, 'risikovurdering')

    // Sent empty: a summary of what is missing, focused, each linking to its field.
    await page.getByRole('button', { name: 'Indsend risikovurdering' }).click()
    const summary = page.locator('.message-error')
    await summary.waitFor()
    t.match(await summary.textContent(), 'Vælg en risiko for Forretning.')
    t.match(await summary.textContent(), 'Skriv en sammenfatning.')
    t.equal(await page.evaluate('document.activeElement?.classList.contains("message-error")'), true, 'focus moves to the summary')
    await checkAccessibility(t, page, 'risikovurdering-valideringsfejl')
    await summary.getByRole('link', { name: 'Skriv en sammenfatning.' }).click()
    t.equal(await page.evaluate('document.activeElement?.id'), 'assessment-summary', 'the link moves focus to the field')

    const scores: Array<[string, string]> = [['Forretning', '3'], ['Styring', '2'], ['Planlægning', '4'], ['Teknologi', '2'], ['Leverandør', '3'], ['Økonomi', '3'], ['Sikkerhed', '2']]
    for (const [dimension, score] of scores) {
      await page.getByRole('group', { name: dimension }).getByRole('radio', { name: new RegExp(`^${score} – `) }).check()
    }
    // The keyboard works in a radio group: arrow keys move the choice.
    const security = page.getByRole('group', { name: 'Sikkerhed' })
    await security.getByRole('radio', { name: /^2 – / }).focus()
    await page.keyboard.press('ArrowRight')
    t.ok(await security.getByRole('radio', { name: /^3 – / }).isChecked(), 'arrow key changes the score')
    await page.keyboard.press('ArrowLeft')
    await page.getByRole('group', { name: 'Foreslået risikoprofil' }).getByRole('radio', { name: /^B – / }).check()
    await page.getByLabel('Sammenfatning').fill('Projektet er velbeskrevet, men tidsplanen er stram, og leverandørmarkedet er smalt.')
    await page.getByLabel('Område', { exact: true }).first().selectOption('planning')
    await page.getByLabel('Anbefaling', { exact: true }).first().fill('Læg buffer ind i tidsplanen før udbuddet.')
    await page.getByRole('button', { name: 'Tilføj anbefaling' }).click()
    t.equal(await page.evaluate('document.activeElement?.tagName'), 'TEXTAREA', 'focus moves to the new recommendation')
    await page.keyboard.type('Afklar exit-strategi for leverandøren.')
    await page.getByLabel('Område', { exact: true }).nth(1).selectOption('supplier')
    await page.getByRole('button', { name: 'Indsend risikovurdering' }).click()

    await expectPage(t, page, 'Fælles regional booking-platform')
    t.match(await page.locator('.message-success').textContent(), 'Din risikovurdering er registreret.')
    t.match(await page.locator('.timeline').textContent(), 'Risikovurdering er afgivet')
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
    t.match(await page.locator('main').textContent(), 'Sammenfatning fra Anna Rådsmedlem')
    t.match(await page.locator('main').textContent(), 'Sammenfatning fra Bo Rådsmedlem')
    await checkAccessibility(t, page, 'anbefalingsbrev')

    await page.getByLabel('Rådets udtalelse').fill('Rådet vurderer, at projektet har en høj risiko, primært på grund af tidsplanen.')
    await page.getByRole('group', { name: 'Risikoprofil' }).getByRole('radio', { name: /^B – / }).check()
    await page.getByLabel('Rådet anbefaler et eksternt review').check()
    await page.getByRole('button', { name: 'Udsend anbefalingsbrev' }).click()
    await expectPage(t, page, 'Fælles regional booking-platform')
    t.match(await page.locator('.message-success').textContent(), 'Anbefalingsbrevet er udsendt.')
    t.match(await page.locator('.letter').textContent(), 'Risikoprofil: B – høj risiko')
    await checkAccessibility(t, page, 'projekt-med-anbefalingsbrev')

    // The queue no longer holds it.
    await page.getByRole('link', { name: 'Sagsoversigt' }).click()
    await expectPage(t, page, 'Sagsoversigt')
    t.equal(await page.locator('table.data tbody tr').count(), 1)
    checkConsole()
  })

  const letter = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/letter`, headers: bearer(ownerJwt) })
  t.match(letter.json(), { riskProfile: 'B', externalReviewRecommended: true, recommendations: [{ category: 'planning' }, { category: 'supplier' }] })

  // A status report from the owner, for the portfolio's lights.
  const report = await app.inject({
    method: 'POST',
    url: `/v1/projects/${project.id}/status-reports`,
    headers: bearer(ownerJwt),
    payload: { period: '2027-H1', cost: 'green', schedule: 'yellow', financialBenefits: 'green', nonFinancialBenefits: null, comment: 'Tidsplanen er skubbet en måned.' }
  })
  t.equal(report.statusCode, 201)

  // 4. The owner reads the letter and sees the portfolio.
  await t.test('the owner sees the letter\'s risk profile and the portfolio', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'owner')
    await signInWithToken(t, page, base, ownerJwt, 'Porteføljeoverblik')
    const rows = page.locator('table.portfolio tbody tr')
    t.equal(await rows.count(), 2, 'its own project and the one its region takes part in')
    t.match(await rows.filter({ hasText: project.reference }).textContent(), /B – høj risiko.*2027-H1.*Gul.*Grøn.*Gul.*Grøn.*Ikke angivet/, 'the latest report\'s lights, in words')
    t.match(await rows.filter({ hasText: late.reference }).textContent(), 'Rapporterer først efter anbefalingsbrevet')
    await checkAccessibility(t, page, 'portefoeljeoverblik')

    await page.getByLabel('Status', { exact: true }).selectOption('letter_issued')
    await page.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')
    t.match(page.url(), /#\/portfolio\?status=letter_issued$/)
    t.equal(await rows.count(), 1)
    await page.getByLabel('Status', { exact: true }).selectOption('withdrawn')
    await page.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')
    t.match(await page.locator('main').textContent(), 'Ingen projekter matcher filteret.')
    await page.getByLabel('Status', { exact: true }).selectOption('')
    await page.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')

    await page.getByRole('link', { name: 'Fælles regional booking-platform' }).click()
    await expectPage(t, page, 'Fælles regional booking-platform')
    const letterBox = page.locator('.letter')
    t.match(await letterBox.textContent(), 'Risikoprofil: B – høj risiko')
    t.match(await letterBox.textContent(), 'Rådet anbefaler et eksternt review.')
    t.match(await letterBox.textContent(), 'Planlægning: Læg buffer ind i tidsplanen før udbuddet.')
    t.match(await page.locator('main').textContent(), 'Statusrapporter')
    t.match(await page.locator('main').textContent(), 'Svar på anbefalingsbrevet')
    await checkAccessibility(t, page, 'projekt-ejer')

    // Signing out forgets the token.
    await page.getByRole('button', { name: 'Log ud' }).click()
    await expectPage(t, page, 'Log ind')
    t.equal(await page.evaluate('sessionStorage.length'), 0)
    checkConsole()
  })

  // 5. The portfolio for the secretariat, filtered by region.
  await t.test('the secretariat filters the portfolio by region', async (t) => {
    const { page, checkConsole } = await openTab(t, browser, 'secretariat (portfolio)')
    await signInWithToken(t, page, base, secretariatJwt, 'Sagsoversigt')
    await page.getByRole('link', { name: 'Porteføljeoverblik' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')
    t.equal(await page.locator('table.portfolio tbody tr').count(), 2)
    await page.getByLabel('Region', { exact: true }).selectOption('1084')
    await page.getByRole('button', { name: 'Vis' }).click()
    await expectPage(t, page, 'Porteføljeoverblik')
    t.equal(await page.locator('table.portfolio tbody tr').count(), 2, 'both projects involve Region Hovedstaden')
    t.match(await page.locator('.summary').textContent(), /2 projekter i Region Hovedstaden\. Seneste statusrapporter: 0 grønne, 1 gule og 0 røde\./)
    await checkAccessibility(t, page, 'portefoeljeoverblik-region')
    checkConsole()
  })
})

t.test('an expired or foreign token is refused at sign-in, in Danish', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)
  const { page, checkConsole } = await openTab(t, browser, 'refused sign-in', [401, 401, 401])
  await page.goto(`${base}/app/#/queue`)
  await expectPage(t, page, 'Log ind', { focused: false })
  await page.getByLabel('Adgangstoken (JWT)').fill(await token('council_member', 'ITR', { expiresIn: -3600 }))
  await page.getByRole('button', { name: 'Log ind med token' }).click()
  const error = page.locator('.message-error')
  await error.waitFor()
  t.match(await error.textContent(), /^Fejl: token has expired/)
  t.match(await error.textContent(), 'Du er ikke logget ind, eller dit login er udløbet.')
  await checkAccessibility(t, page, 'log-ind-fejl')
  t.equal(await page.evaluate('sessionStorage.getItem("council-gate.token")'), null, 'a refused token is not kept')

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
  t.match(await page.locator('.message-notice').textContent(), 'Dit login er udløbet eller blev afvist. Log ind igen.')
  t.equal(await page.evaluate('sessionStorage.getItem("council-gate.token")'), null, 'the refused token is forgotten')
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
  t.equal(await page.evaluate('document.activeElement?.textContent'), 'Gå til hovedindhold')
  await page.keyboard.press('Enter')
  t.equal(await page.evaluate('document.activeElement?.id'), 'page-heading')

  await page.getByLabel('Rolle').selectOption('council_member')
  await page.getByLabel('Organisation').fill('ITR')
  await page.getByLabel('Navn (valgfrit)').fill('Dorte Dev')
  await page.getByRole('button', { name: 'Log ind', exact: true }).click()
  await expectPage(t, page, 'Sagsoversigt')
  t.match(page.url(), /#\/queue$/, 'back to where the user was going')
  t.match(await page.locator('header').textContent(), /Dorte Dev.*Rådsmedlem · ITR/)
  t.match(await page.locator('main').textContent(), 'Der er ingen projekter, der venter på vurdering.')
  await checkAccessibility(t, page, 'sagsoversigt-tom')
  checkConsole()
})

/** The sign-in page before anything else, so that it is checked with real auth too. */
async function checkAccessibilityOfSignIn (t: Test, page: Page, base: string) {
  await page.goto(`${base}/app/`)
  await expectPage(t, page, 'Log ind', { focused: false })
  await checkAccessibility(t, page, 'log-ind')
}
