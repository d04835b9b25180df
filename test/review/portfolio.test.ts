// The council's portfolio per half-year (API.md v1.1, "Portfolio, exactly"): projects with a letter,
// not withdrawn, not closed before the half-year; the asked period's report or none (a report of
// another period never stands in); red first (the council's judgement, else the project's own),
// then by reference; keyset-paged; region and status filters; a secretariat sees its own council.
import t from 'tap'
import { copenhagenDate } from '../../src/domain/calendar.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { gatedProject, submitProject } from '../helpers/fixtures.ts'
import { backdateLetter, expectStatus, recentPeriods, reportStatus, respond, secretariat, statusReportBody, submitter, withLetter } from './helpers.ts'

t.test('the portfolio of a half-year, honestly', async (t) => {
  const { app } = await build(t)
  const [now, before] = recentPeriods(2) as [string, string]
  const halfYearAgo = new Date(Date.now() - 190 * 86_400_000).toISOString()
  const followed = async (title: string, org = '1084', overrides: Record<string, unknown> = {}) => {
    const project = await submitProject(app, org, gatedProject({ title, ...overrides }))
    await withLetter(app, project.id)
    await backdateLetter(app, project.id, halfYearAgo)
    return project
  }
  const judge = async (projectId: string, period: string, overall: string) => expectStatus(await app.inject({
    method: 'POST', url: `/v1/projects/${projectId}/status-reports/${period}/judgement`, headers: await secretariat(), payload: { overall, comment: 'Rådets vurdering.' }
  }), 200)

  // A: green before, its own red now (unjudged): red first. B: reported before only: missing now.
  // C: its own red now, judged green by the council: not red. D: only Region Sjælland, answered its letter.
  const a = await followed('A')
  expectStatus(await reportStatus(app, a.id, statusReportBody({ period: before, cost: 'green', schedule: 'green', financialBenefits: 'green', nonFinancialBenefits: 'green' })), 201)
  expectStatus(await reportStatus(app, a.id, statusReportBody({ period: now, cost: 'red' })), 201)
  const b = await followed('B')
  expectStatus(await reportStatus(app, b.id, statusReportBody({ period: before })), 201)
  const c = await followed('C')
  expectStatus(await reportStatus(app, c.id, statusReportBody({ period: now, schedule: 'red' })), 201)
  await judge(c.id, now, 'green')
  const d = await followed('D', '1085', { participatingRegions: ['1085'], reviewRequested: true })
  expectStatus(await respond(app, d.id, '1085'), 201)
  // Not in the portfolio: no letter; withdrawn after the letter; closed (completed) long before this half-year.
  await submitProject(app, '1084', gatedProject({ title: 'Uden brev' }))
  const withdrawn = await followed('Trukket tilbage')
  expectStatus(await app.inject({ method: 'POST', url: `/v1/projects/${withdrawn.id}/withdraw`, headers: await submitter(), payload: {} }), 200)
  const closed = await followed('Afsluttet')
  expectStatus(await app.inject({
    method: 'POST', url: `/v1/projects/${closed.id}/closure`, headers: await submitter(), payload: { completedOn: copenhagenDate(new Date(Date.now() - 400 * 86_400_000)), finalCostDkk: 1, note: 'Færdig.' }
  }), 200)

  const read = async (query: string, headers?: Record<string, string>) => app.inject({ method: 'GET', url: `/v1/portfolio${query}`, headers: headers ?? await secretariat() })
  const page = expectStatus(await read(''), 200).json()
  t.match(page, { council: 'regions', period: now, nextCursor: null })
  t.same(page.items.map((row: { project: { id: string } }) => row.project.id), [a.id, b.id, c.id, d.id], 'red first, then by reference; only followed projects')
  const [rowA, rowB, rowC, rowD] = page.items
  t.match(rowA, {
    project: { reference: a.reference, title: 'A', ownerOrg: '1084', ownerName: 'Region Hovedstaden', status: 'letter_issued' },
    riskProfile: 'B',
    approvedBaseline: { version: 1 },
    report: { period: now, ownOverall: 'red', overall: null },
    missingReport: false,
    followUpTrack: null
  })
  t.match(rowB, { report: null, missingReport: true }, 'a report of another period never stands in')
  t.match(rowC, { report: { ownOverall: 'red', overall: 'green' }, missingReport: false }, 'the council\'s judgement decides')
  t.match(rowD, { project: { ownerName: 'Region Sjælland', status: 'responded' }, missingReport: true })

  // The half-year before: A green, B reported, the others missing.
  const earlier = expectStatus(await read(`?period=${before}`), 200).json()
  t.same(earlier.items.map((row: { project: { id: string }, missingReport: boolean }) => [row.project.id, row.missingReport]), [[a.id, false], [b.id, false], [c.id, true], [d.id, true]])

  // Paged one by one: the same rows, in the same order, no duplicates.
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const next: { items: Array<{ project: { id: string } }>, nextCursor: string | null } = expectStatus(await read(`?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`), 200).json()
    seen.push(...next.items.map((row) => row.project.id))
    cursor = next.nextCursor
  } while (cursor !== null && seen.length < 10)
  t.same(seen, [a.id, b.id, c.id, d.id], 'keyset paging across the red and the other rows')

  // Filters as on /v1/projects.
  t.same(expectStatus(await read('?region=1084'), 200).json().items.map((row: { project: { id: string } }) => row.project.id), [a.id, b.id, c.id])
  t.same(expectStatus(await read('?status=responded'), 200).json().items.map((row: { project: { id: string } }) => row.project.id), [d.id])

  // Who reads it, and bad input.
  t.equal((await read('?council=state')).statusCode, 403, 'a secretariat reads its own council only')
  t.same(expectStatus(await read('', bearer(await token('secretariat', 'SIR'))), 200).json(), { items: [], nextCursor: null, council: 'state', period: now }, 'Statens It-råd follows none of these')
  t.equal((await read('', bearer(await token('admin', 'ITR')))).statusCode, 400, 'an admin names the council')
  t.equal(expectStatus(await read('?council=regions', bearer(await token('admin', 'ITR'))), 200).json().items.length, 4)
  for (const role of ['submitter', 'council_member', 'integration'] as const) t.equal((await read('?council=regions', bearer(await token(role, '1084')))).statusCode, 403, role)
  for (const bad of ['?period=2026-H3', '?period=2026', '?cursor=bm90LWEtY3Vyc29y', '?region=9999', '?status=lost', '?limit=0', '?extra=1']) t.equal((await read(bad)).statusCode, 400, bad)
})
