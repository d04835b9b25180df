// The council's annual report (API.md v1.1, "Annual report" and "Annual report, exactly"): the year's
// letters (by risk profile, the median of the Danish working days from submission to letter, overdue
// letters), their recommendations by category, the year's portfolio and eligible cost, the council's
// judgements per half-year with the unjudged and missing reports, the closures; as JSON and as CSV
// for Danish Excel; a secretariat reads its own council's, an admin names the council.
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { extractText, getDocumentProxy } from 'unpdf'
import { emptyAnnualReport } from '../helpers/annual-report.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { failOnServerErrors, gatedProject, registerStateAuthority, submitProject } from '../helpers/fixtures.ts'
import {
  assessedByTwo,
  assessmentBody,
  backdateLetter,
  expectStatus,
  issueLetter,
  letterBody,
  memberHeaders,
  register,
  reportStatus,
  secretariat,
  statusReportBody,
  submitter
} from './helpers.ts'

interface Dates {
  /** The project's submittedOn and assessmentDueOn, and the letter's issued_at (an instant). */
  submittedOn: string
  dueOn: string
  issuedAt: string
}

/** Dates the project's submission, deadline and letter back: the API does all three today. */
async function placeInTime (app: FastifyInstance, projectId: string, dates: Dates): Promise<void> {
  await app.db.execute(sql`update projects set submitted_on = ${dates.submittedOn}, assessment_due_on = ${dates.dueOn} where id = ${projectId}`)
  await backdateLetter(app, projectId, dates.issuedAt)
}

const SIR = async () => bearer(await token('secretariat', 'SIR', { sub: 'sir-1' }))

t.test('the annual report counts every figure of the council\'s year', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })

  /** A regional project with its letter, dated as asked. */
  const followed = async (title: string, letter: Record<string, unknown>, dates: Dates, overrides: Record<string, unknown> = {}, org = '1084') => {
    const project = await submitProject(app, org, gatedProject({ title, ...overrides }))
    await assessedByTwo(app, project.id)
    expectStatus(await issueLetter(app, project.id, letterBody(letter)), 201)
    await placeInTime(app, project.id, dates)
    return project
  }
  const judge = async (projectId: string, period: string, overall: string, headers?: Record<string, string>) => expectStatus(await app.inject({
    method: 'POST', url: `/v1/projects/${projectId}/status-reports/${period}/judgement`, headers: headers ?? await secretariat(), payload: { overall, comment: 'Rådets vurdering.' }
  }), 200)
  const report = async (projectId: string, period: string, org = '1084') => expectStatus(await reportStatus(app, projectId, statusReportBody({ period }), org), 201)
  const close = async (projectId: string, completedOn: string) => expectStatus(await app.inject({
    method: 'POST', url: `/v1/projects/${projectId}/closure`, headers: await submitter(), payload: { completedOn, finalCostDkk: 9_500_000, note: 'Færdig.' }
  }), 200)

  // 2025's letters. Working days from submission to letter: 10, 8, 12, 9, 12, 5 → median (9 + 10) / 2.
  // 1. Owned by Region Hovedstaden; its title needs quoting in the CSV.
  const p1 = await followed('Æblehøst; fælles "platform"', {
    riskProfile: 'B',
    recommendations: [{ category: 'planning', text: 'Læg en plan.' }, { category: 'supplier', text: 'Udbyd i konkurrence.' }]
  }, { submittedOn: '2025-01-06', dueOn: '2025-01-20', issuedAt: '2025-01-20T10:00:00+01:00' })
  // 2. Over Easter (17, 18 and 21 April are no working days), a day late, 12,000,000 DKK eligible.
  const p2 = await followed('Øresundsdata', {
    riskProfile: 'A',
    recommendations: [{ category: 'supplier', text: 'Markedsdialog.' }, { category: 'supplier', text: 'Exit-plan.' }, { category: 'governance', text: 'Styregruppe.' }]
  }, { submittedOn: '2025-04-10', dueOn: '2025-04-24', issuedAt: '2025-04-25T09:00:00+02:00' }, {
    participatingRegions: ['1081', '1082', '1083', '1084', '1085'],
    budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 8_000_000 }, { category: 'internal', year: 2027, amountDkk: 4_000_000 }]
  }, '1085')
  // 3. Over Grundlovsdag and 2. pinsedag, late; no recommendations.
  const p3 = await followed('Sundhedsdata på tværs', { riskProfile: 'C', recommendations: [] },
    { submittedOn: '2025-06-02', dueOn: '2025-06-16', issuedAt: '2025-06-20T12:00:00+02:00' })
  // 4. Over Christmas and New Year; issued 00:30 on 3 January, Copenhagen time (still 2 January in UTC). Closed in the autumn.
  const p4 = await followed('Fælles journal', {}, { submittedOn: '2024-12-16', dueOn: '2025-01-03', issuedAt: '2025-01-02T23:30:00Z' })
  // 5. Its letter in 2024: in the portfolio, not among the year's letters.
  const p5 = await followed('Gammel kending', {}, { submittedOn: '2024-11-01', dueOn: '2024-11-15', issuedAt: '2024-11-15T10:00:00+01:00' })
  // 6. Its letter in the second half-year: not followed in the first; late; a title like a formula.
  const p6 = await followed('=SUM(A1)', {
    riskProfile: 'D',
    recommendations: [{ category: 'security', text: 'Styrk adgangsstyringen.' }]
  }, { submittedOn: '2025-08-04', dueOn: '2025-08-18', issuedAt: '2025-08-20T10:00:00+02:00' })
  // 7. Closed (completed) before 2025: in 2024's report only.
  const p7 = await followed('Lukket i 2024', {}, { submittedOn: '2024-05-21', dueOn: '2024-06-04', issuedAt: '2024-06-03T10:00:00+02:00' })
  await close(p7.id, '2024-12-15')
  // 8. Withdrawn after its 2025 letter and a green report: its letter counts, the project no longer does.
  const p8 = await followed('Trukket tilbage', { riskProfile: 'A', recommendations: [{ category: 'planning', text: 'Genovervej.' }] },
    { submittedOn: '2025-03-03', dueOn: '2025-03-17', issuedAt: '2025-03-10T10:00:00+01:00' })
  await report(p8.id, '2025-H1')
  await judge(p8.id, '2025-H1', 'green')
  expectStatus(await app.inject({ method: 'POST', url: `/v1/projects/${p8.id}/withdraw`, headers: await submitter(), payload: {} }), 200)
  // 9. Its letter in 2026: in neither year.
  await followed('Næste år', {}, { submittedOn: '2026-01-05', dueOn: '2026-01-19', issuedAt: '2026-01-19T10:00:00+01:00' })
  // 10. A third 2024 letter, over Easter 2024; followed in 2025 without reports.
  const p10 = await followed('Påskeprojektet', {}, { submittedOn: '2024-03-22', dueOn: '2024-04-05', issuedAt: '2024-04-05T10:00:00+02:00' })
  // No letter at all.
  await submitProject(app, '1084', gatedProject({ title: 'Uden brev' }))

  // The state council's project, with its 2025 letter: never in Regionernes It-råd's figures.
  const authority = await registerStateAuthority(app)
  const state = await submitProject(app, authority, gatedProject({ title: 'Statsligt projekt', participatingRegions: [], budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 20_000_000 }] }))
  for (const member of [{ sub: 'signe', org: '1082' }, { sub: 'svend', org: '1083' }]) {
    await register(app, member, 'state')
    expectStatus(await app.inject({ method: 'POST', url: `/v1/projects/${state.id}/assignments`, headers: await SIR(), payload: { memberSub: member.sub } }), 201)
    expectStatus(await app.inject({ method: 'POST', url: `/v1/projects/${state.id}/assessments`, headers: await memberHeaders(member), payload: assessmentBody() }), 201)
  }
  expectStatus(await app.inject({ method: 'POST', url: `/v1/projects/${state.id}/letter`, headers: await SIR(), payload: letterBody({ riskProfile: 'D' }) }), 201)
  await placeInTime(app, state.id, { submittedOn: '2025-02-03', dueOn: '2025-02-17', issuedAt: '2025-02-07T10:00:00+01:00' })

  // Status reports and the council's judgements. 2025-H1: p1 green, p2 yellow, p3 red, p4 unjudged,
  // p5 and p10 missing. 2025-H2: p1 red, p2 unjudged, p3, p4 (closed on 30 September) and p10 missing,
  // p5 green, p6 yellow.
  for (const [project, period, overall] of [[p1, '2025-H1', 'green'], [p2, '2025-H1', 'yellow'], [p3, '2025-H1', 'red'], [p4, '2025-H1', null],
    [p1, '2025-H2', 'red'], [p2, '2025-H2', null], [p5, '2025-H2', 'green'], [p6, '2025-H2', 'yellow']] as const) {
    await report(project.id, period, project === p2 ? '1085' : '1084')
    if (overall !== null) await judge(project.id, period, overall)
  }
  await close(p4.id, '2025-09-30')

  const read = async (query: string, headers?: Record<string, string>, accept?: string) => app.inject({
    method: 'GET', url: `/v1/reports/annual${query}`, headers: { ...(headers ?? await secretariat()), ...(accept === undefined ? {} : { accept }) }
  })

  t.test('2025 as JSON', async (t) => {
    const res = expectStatus(await read('?year=2025'), 200)
    t.match(res.headers['content-type'], /^application\/json/)
    t.same(res.json(), {
      council: 'regions',
      year: 2025,
      reviews: { letters: 6, byRiskProfile: { A: 2, B: 2, C: 1, D: 1 }, medianWorkingDaysToLetter: 9.5, overdueLetters: 3 },
      recommendations: { total: 8, byCategory: { governance: 1, planning: 2, security: 1, supplier: 4 } },
      portfolio: { projects: 7, eligibleCostDkk: 72_000_000 },
      statusLights: {
        '2025-H1': { green: 1, yellow: 1, red: 1, unjudged: 1, missing: 2 },
        '2025-H2': { green: 1, yellow: 1, red: 1, unjudged: 1, missing: 3 }
      },
      closures: 1
    })
    t.same(expectStatus(await read('?year=2025&council=regions', bearer(await token('admin', 'ITR'))), 200).json(), res.json(), 'an admin names the council and reads the same')
    t.same(expectStatus(await read('?year=2025', undefined, '*/*'), 200).json(), res.json(), '*/* is JSON')
  })

  t.test('2024: an odd number of letters, a closure, no reports', async (t) => {
    // Working days 10 (p5), 9 (p7) and 7 (p10, over Easter 2024): the middle one.
    t.same(expectStatus(await read('?year=2024'), 200).json(), {
      council: 'regions',
      year: 2024,
      reviews: { letters: 3, byRiskProfile: { A: 0, B: 3, C: 0, D: 0 }, medianWorkingDaysToLetter: 9, overdueLetters: 0 },
      recommendations: { total: 3, byCategory: { supplier: 3 } },
      portfolio: { projects: 3, eligibleCostDkk: 30_000_000 },
      statusLights: {
        '2024-H1': { green: 0, yellow: 0, red: 0, unjudged: 0, missing: 2 },
        '2024-H2': { green: 0, yellow: 0, red: 0, unjudged: 0, missing: 3 }
      },
      closures: 1
    })
  })

  t.test('a year without letters, and the other council', async (t) => {
    t.same(expectStatus(await read('?year=2019'), 200).json(), emptyAnnualReport('regions', 2019))
    // Statens It-råd: 3 February to 7 February 2025 is 4 working days.
    t.match(expectStatus(await read('?year=2025', await SIR()), 200).json(), {
      council: 'state',
      reviews: { letters: 1, byRiskProfile: { A: 0, B: 0, C: 0, D: 1 }, medianWorkingDaysToLetter: 4, overdueLetters: 0 },
      recommendations: { total: 1, byCategory: { supplier: 1 } },
      portfolio: { projects: 1, eligibleCostDkk: 20_000_000 },
      statusLights: { '2025-H1': { missing: 1 }, '2025-H2': { missing: 1 } },
      closures: 0
    })
  })

  t.test('2025 as CSV for Danish Excel', async (t) => {
    const res = expectStatus(await read('?year=2025', undefined, 'text/csv'), 200)
    t.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
    t.equal(res.headers['content-disposition'], 'attachment; filename=aarsrapport-regions-2025.csv')
    t.match(res.headers.vary, /Accept/)
    const bytes = res.rawPayload
    t.same([...bytes.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'UTF-8 with a byte order mark')
    const expected = [
      'reference;title;owner;council;riskProfile;letterDate;eligibleCostDkk;2025-H1;2025-H2',
      `${p1.reference};"Æblehøst; fælles ""platform""";Region Hovedstaden;Regionernes It-råd;B;2025-01-20;10000000;grøn;rød`,
      `${p2.reference};Øresundsdata;Region Sjælland;Regionernes It-råd;A;2025-04-25;12000000;gul;ikke vurderet`,
      `${p3.reference};Sundhedsdata på tværs;Region Hovedstaden;Regionernes It-råd;C;2025-06-20;10000000;rød;mangler`,
      `${p4.reference};Fælles journal;Region Hovedstaden;Regionernes It-råd;B;2025-01-03;10000000;ikke vurderet;mangler`,
      `${p5.reference};Gammel kending;Region Hovedstaden;Regionernes It-råd;B;2024-11-15;10000000;mangler;grøn`,
      `${p6.reference};'=SUM(A1);Region Hovedstaden;Regionernes It-råd;D;2025-08-20;10000000;;gul`,
      `${p10.reference};Påskeprojektet;Region Hovedstaden;Regionernes It-råd;B;2024-04-05;10000000;mangler;mangler`
    ].map((line) => `${line}\r\n`).join('')
    t.equal(bytes.subarray(3).toString('utf8'), expected, 'the header, one row per project in reference order, quoted where needed, CRLF')
    t.same(bytes.subarray(3), Buffer.from(expected, 'utf8'), 'byte for byte')
    t.same(expectStatus(await read('?year=2025', undefined, 'text/csv;q=0.9, application/json;q=0.5'), 200).headers['content-type'], 'text/csv; charset=utf-8', 'the heavier weight wins')
  })

  t.test('2025 as a PDF', async (t) => {
    const res = expectStatus(await read('?year=2025', undefined, 'application/pdf'), 200)
    t.equal(res.headers['content-type'], 'application/pdf')
    t.equal(res.headers['content-disposition'], 'inline; filename=aarsrapport-regions-2025.pdf')
    t.equal(res.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-')
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(res.rawPayload)), { mergePages: true })
    t.match(text, 'Årsrapport 2025 — Regionernes It-råd', 'the PDF renderer has the JSON\'s report')
    t.match(text, '72.000.000 kr.')
  })

  t.test('who may read it, and bad input', async (t) => {
    const problem = async (query: string, status: number, headers?: Record<string, string>, accept?: string) => {
      const res = await read(query, headers, accept)
      t.equal(res.statusCode, status, `${query} ${accept ?? ''} → ${status}`)
      t.match(res.headers['content-type'], /^application\/problem\+json/)
      return res.json()
    }
    await problem('?year=2025&council=state', 403)
    await problem('?year=2025&council=regions', 403, await SIR())
    await problem('?year=2025', 400, bearer(await token('admin', 'ITR')))
    for (const role of ['submitter', 'council_member', 'integration'] as const) await problem('?year=2025&council=regions', 403, bearer(await token(role, '1084')))
    await problem('?year=2025', 401, {})
    for (const bad of ['', '?year=2018', '?year=abc', '?year=2025.5', '?year=10000', '?year=2025&council=kommuner', '?year=2025&extra=1']) await problem(bad, 400)
    const future = Number(new Date().toISOString().slice(0, 4)) + 1
    t.match(await problem(`?year=${future}`, 400), { detail: new RegExp(`not ${future}`) }, 'a year that has not begun')
    t.match(await problem('?year=2025', 406, undefined, 'text/html'), { code: 'NOT_ACCEPTABLE' })
  })
})
