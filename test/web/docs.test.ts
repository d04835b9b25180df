// The API reference at /docs in a real browser (Debian's Chromium): it renders the operations
// without a single console error, Content-Security-Policy violations included.
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { chromium } from 'playwright-core'
import t from 'tap'
import { DOCS_CONTENT_SECURITY_POLICY } from '../../src/plugins/openapi.ts'
import { build } from '../helpers/build.ts'

const CHROMIUM = '/usr/bin/chromium'
t.setTimeout(300_000)

t.test('/docs loads without console errors or CSP violations', { skip: existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}` }, async (t) => {
  const { app } = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  const res = await fetch(`${base}/docs/`)
  t.equal(res.headers.get('content-security-policy'), DOCS_CONTENT_SECURITY_POLICY)

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  t.teardown(() => browser.close())
  const page = await browser.newPage()
  page.setDefaultTimeout(60_000)
  const problems: string[] = []
  page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`) })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`))
  await page.goto(`${base}/docs`)
  // Rendered: the operations of the document are on the page.
  await page.locator('.opblock-summary-path', { hasText: '/v1/projects/{id}/response' }).first().waitFor()
  t.same(problems, [], 'no console errors, CSP violations or failed requests')
})
