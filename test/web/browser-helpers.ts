// What the browser tests share (browser.test.ts, portal.test.ts): Debian's Chromium through
// playwright-core, tabs that record every console error and error answer, axe-core on every page
// state with a screenshot in .tap/screenshots/, and checks that wait for the page to settle.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import type { Test } from 'tap'
import { ROOT_DIR } from '../../src/paths.ts'

export const CHROMIUM = '/usr/bin/chromium'
const SCREENSHOTS = join(ROOT_DIR, '.tap', 'screenshots')
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/*
 * Every check of what the page shows waits for it, as Playwright's `expect` does: the pages render
 * after their fetches, so a check made right after an action may see the page from before it. A
 * check that holds returns at once; SETTLE_MS is generous because the suite runs on busy machines.
 */
export const SETTLE_MS = 30_000

export const skip = existsSync(CHROMIUM)
  ? false
  : `Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` to run the browser tests (.ci/run installs it)`

export async function launch (t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(() => browser.close())
  return browser
}

export async function listen (app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

/**
 * A browser tab of its own (own sessionStorage) that records console errors, script errors, CSP
 * violations and failed requests: the pages must run without any. API answers of 400 and above
 * are compared with `expectedStatuses` (Chromium also logs them to the console; those lines are
 * left to this comparison).
 */
export async function openTab (t: Test, browser: Browser, who: string, expectedStatuses: number[] = []) {
  const context = await browser.newContext({ locale: 'da-DK', timezoneId: 'Europe/Copenhagen', viewport: { width: 1280, height: 900 } })
  context.setDefaultTimeout(SETTLE_MS)
  t.teardown(() => context.close())
  const page = await context.newPage()
  const problems: string[] = []
  const statuses: number[] = []
  // The event stream ends when the page closes it (leaving a live page) or the connection is cut;
  // the page reconnects by itself: neither is a failure.
  const isEventStream = (url: string) => url !== '' && new URL(url).pathname === '/v1/events/stream'
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of 4') &&
      !isEventStream(message.location().url)) problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => {
    if (!isEventStream(request.url())) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`)
  })
  page.on('response', (response) => { if (response.status() >= 400) statuses.push(response.status()) })
  /** Call at the end of the test. */
  const checkConsole = () => {
    t.same(problems, [], `${who}: no console errors, script errors, CSP violations or failed requests`)
    t.same(statuses, expectedStatuses, `${who}: only the expected error answers`)
  }
  return { page, checkConsole }
}

interface AxeResult { violations: Array<{ id: string, impact: string | null, help: string, nodes: Array<{ target: unknown }> }>, passes: unknown[] }

/**
 * axe and screenshots for one test file: its screenshots are `<prefix>NN-<name>.png` in
 * .tap/screenshots/, and those of an earlier run of the same file are removed first (the files run
 * side by side, so each removes only its own).
 */
export function pageChecks (prefix: string) {
  const own = new RegExp(`^${prefix}\\d{2}-.*\\.png$`)
  if (existsSync(SCREENSHOTS)) {
    for (const name of readdirSync(SCREENSHOTS)) if (own.test(name)) rmSync(join(SCREENSHOTS, name), { force: true })
  }
  let shot = 0

  async function screenshot (page: Page, name: string): Promise<string> {
    mkdirSync(SCREENSHOTS, { recursive: true })
    shot += 1
    const file = join(SCREENSHOTS, `${prefix}${String(shot).padStart(2, '0')}-${name}.png`)
    await page.screenshot({ path: file, fullPage: true })
    return file
  }

  /** axe-core in the page, all rules but the experimental ones: zero violations. */
  async function checkAccessibility (t: Test, page: Page, name: string) {
    // CDP evaluation is not subject to the page's CSP, so axe needs no inline script.
    if (!await page.evaluate('typeof window.axe === "object"')) await page.evaluate(AXE_SOURCE)
    const result = await page.evaluate('axe.run(document, { resultTypes: ["violations"] })') as AxeResult
    const violations = result.violations.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`)
    t.same(violations, [], `axe: no violations on ${name}`)
    await screenshot(page, name)
  }

  return { screenshot, checkAccessibility }
}

/**
 * Polls `read` until `holds` accepts its value or SETTLE_MS pass, and returns the last value for
 * the assertion to judge (so that a failure reports what the page showed).
 */
export async function settled<T> (read: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + SETTLE_MS
  for (;;) {
    const value = await read()
    if (holds(value) || Date.now() >= deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** `expression`, evaluated in the page (the focused element, storage), is `expected` once the page has settled. */
export async function expectInPage (t: Test, page: Page, expression: string, expected: unknown, message: string) {
  t.equal(await settled(() => page.evaluate(expression), (value) => value === expected), expected, message)
}

/** The locator matches `expected` elements once the page has settled. */
export async function expectCount (t: Test, locator: Locator, expected: number, message = `${expected} of ${String(locator)}`) {
  t.equal(await settled(() => locator.count(), (n) => n === expected), expected, message)
}

/** The (single) element's text contains `pattern` (a string) or matches it (a RegExp) once the page has settled. */
export async function expectText (t: Test, locator: Locator, pattern: string | RegExp, message = `${String(locator)} shows ${String(pattern)}`) {
  const holds = (text: string) => typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)
  t.match(await settled(async () => await locator.textContent() ?? '', holds), pattern, message)
}

/** The (single) element's value is `expected` once the page has settled. */
export async function expectValue (t: Test, locator: Locator, expected: string, message = `${String(locator)} has the value ${expected}`) {
  t.equal(await settled(() => locator.inputValue(), (value) => value === expected), expected, message)
}

/** The page's URL matches `pattern` once the page has settled. */
export async function expectUrl (t: Test, page: Page, pattern: RegExp, message = `the URL matches ${String(pattern)}`) {
  t.match(await settled(async () => page.url(), (url) => pattern.test(url)), pattern, message)
}

/**
 * Waits for the page that an action leads to and checks that focus moved to its heading. Every
 * render puts a new heading in place, and the heading is marked once it has been checked: the next
 * call waits for an unmarked one, so a page rendered again under the same title (a filter, a
 * confirmation) is never mistaken for the page before it. Call it after every action that renders.
 */
export async function expectPage (t: Test, page: Page, title: string | RegExp, { focused = true } = {}) {
  const heading = page.locator('h1#page-heading:not([data-test-checked])').filter({ hasText: title })
  await heading.waitFor()
  await page.locator('main:not([aria-busy])').waitFor()
  if (focused) await expectInPage(t, page, 'document.activeElement?.id', 'page-heading', `focus is on the heading of "${String(title)}"`)
  await heading.evaluate((element) => element.setAttribute('data-test-checked', ''))
}

export async function signInWithToken (t: Test, page: Page, base: string, jwt: string, landing: string) {
  await page.goto(`${base}/app/`)
  await expectPage(t, page, 'Log ind', { focused: false })
  t.equal(await page.locator('html').getAttribute('lang'), 'da')
  t.equal(await page.locator('#dev-heading').count(), 0, 'no dev sign-in with real auth')
  await page.getByLabel('Adgangstoken (JWT)').fill(jwt)
  await page.getByRole('button', { name: 'Log ind med token' }).click()
  await expectPage(t, page, landing)
  await expectText(t, page.locator('main .message-success'), 'Du er logget ind.')
  await expectInPage(t, page, `Object.values(sessionStorage).includes(${JSON.stringify(jwt)})`, true, 'the token is in sessionStorage')
  // Checked on the settled page (above): nothing writes them later.
  t.equal(await page.evaluate('localStorage.length'), 0, 'nothing in localStorage')
  t.notOk(page.url().includes(jwt), 'the token is not in the URL')
}

/**
 * English problem wording that the pages must never show: they ask for Danish (Accept-Language),
 * so a refusal reads in Danish from the title to the field messages.
 */
export const ENGLISH_PROBLEM = /\b(the|not found|already|cannot|must|belongs|is|has|of|with|invalid|required|expected|forbidden)\b/i
