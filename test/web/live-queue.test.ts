// The secretariat's Sagsoversigt updates live, in Chromium: the page follows the audit feed with
// EventSource, opened with a single-use stream ticket; a project submitted through the API while
// the page is open shows up without a reload, also after the connection was cut (a fresh ticket),
// and leaving the page closes the stream. axe-core on the updated page; screenshots in
// .tap/screenshots/live-queue-NN-*.png.
import t from 'tap'
import { build, token } from '../helpers/build.ts'
import { gatedProject, submitProject } from '../helpers/fixtures.ts'
import { expectInPage, expectPage, expectText, launch, listen, openTab, pageChecks, settled, signInWithToken, skip } from './browser-helpers.ts'

const { checkAccessibility } = pageChecks('live-queue-')

t.setTimeout(600_000)

t.test('the queue shows a new submission without a reload, in Chromium', { skip }, async (t) => {
  const { app } = await build(t)
  const base = await listen(app)
  const browser = await launch(t)
  const { page, checkConsole } = await openTab(t, browser, 'secretariat (live queue)')
  const tickets: string[] = []
  page.on('request', (request) => { if (request.url().endsWith('/v1/events/stream-tickets')) tickets.push(request.method()) })

  await signInWithToken(t, page, base, await token('secretariat', 'ITR', { sub: 'sek-lise', name: 'Lise Sekretariat' }), 'Sagsoversigt')
  await expectText(t, page.locator('main'), 'Der er ingen projekter, der venter på vurdering.')
  t.equal(await page.locator('main [aria-live="polite"]').count(), 1, 'a polite live region for the update note')
  await expectInPage(t, page, 'String(document.querySelector("main [aria-live]")?.textContent)', '', 'no note before anything changed')
  // Lost on a reload: it shows that the page updated in place.
  await page.evaluate('window.testMarker = "samme side"')
  t.equal(await settled(async () => app.eventStream.clientCount, (n) => n === 1), 1, 'the page follows the stream')

  const first = await submitProject(app, '1084', gatedProject({ title: 'Fælles regional booking-platform' }))
  await expectText(t, page.locator('table.data'), first.reference, 'the new project is in the queue')
  await expectText(t, page.locator('main [aria-live="polite"]'), /^Opdateret kl\. \d{2}\.\d{2}$/)
  await expectInPage(t, page, 'window.testMarker', 'samme side', 'no reload')
  await checkAccessibility(t, page, 'opdateret')

  // The connection is cut (a restart, a proxy): the page reconnects with a fresh ticket, from the last event it had.
  app.server.closeAllConnections()
  const second = await submitProject(app, '1083', gatedProject({ title: 'Fælles elektronisk patientjournal' }))
  await expectText(t, page.locator('table.data'), second.reference, 'the project submitted while disconnected shows up')
  await expectInPage(t, page, 'window.testMarker', 'samme side', 'still no reload')
  t.ok(tickets.length >= 2 && tickets.every((m) => m === 'POST'), `a fresh ticket for the new connection (${tickets.length} issued)`)

  // Leaving the page closes its stream.
  await page.getByRole('link', { name: 'Fælles regional booking-platform' }).click()
  await expectPage(t, page, /Fælles regional booking-platform/)
  t.equal(await settled(async () => app.eventStream.clientCount, (n) => n === 0), 0, 'the stream is closed')
  checkConsole()
})
