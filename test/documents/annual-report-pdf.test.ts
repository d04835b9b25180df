import t from 'tap'
import { extractText, getDocumentProxy } from 'unpdf'
import { RISK_DIMENSIONS, RISK_PROFILES } from '../../src/domain/risk.ts'
import { renderAnnualReportPdf } from '../../src/modules/documents/annual-report-pdf.ts'
import { categoryText, danishDate, danishDkk, danishNumber, danishPeriod, profileText } from '../../src/modules/documents/danish.ts'
import type { AnnualReport } from '../../src/schemas/reports.ts'
import { emptyAnnualReport } from '../helpers/annual-report.ts'

const REPORT: AnnualReport = {
  council: 'regions',
  year: 2026,
  reviews: { letters: 12, byRiskProfile: { A: 1, B: 5, C: 4, D: 2 }, medianWorkingDaysToLetter: 8.5, overdueLetters: 2 },
  recommendations: { total: 17, byCategory: { supplier: 6, planning: 4, economy: 3, security: 3, 'Særlige forhold': 1 } },
  portfolio: { projects: 40, eligibleCostDkk: 12_500_000 },
  statusLights: {
    '2026-H1': { green: 18, yellow: 6, red: 2, unjudged: 0, missing: 9 },
    '2026-H2': { green: 20, yellow: 8, red: 3, unjudged: 4, missing: 5 }
  },
  closures: 3
}

async function read (bytes: Buffer) {
  const doc = await getDocumentProxy(new Uint8Array(bytes))
  const sizes: string[] = []
  for (let i = 1; i <= doc.numPages; i++) {
    const { width, height } = (await doc.getPage(i)).getViewport({ scale: 1 })
    sizes.push(`${width.toFixed(2)} × ${height.toFixed(2)}`)
  }
  const { info } = await doc.getMetadata()
  const { text } = await extractText(doc, { mergePages: true })
  return { text: text.replace(/\s+/g, ' '), sizes, info: info as Record<string, unknown> }
}

t.test('the annual report as a PDF: title, key figures, three charts with their figures in Danish', async (t) => {
  const bytes = await renderAnnualReportPdf(REPORT, 'Regionernes It-råd')
  t.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-')
  const raw = bytes.toString('latin1')
  t.match(raw, /NotoSans-Regular/)
  t.notMatch(raw, /Helvetica/, 'no standard 14 font')
  t.notMatch(raw, /\/Subtype \/Image/, 'the charts are vectors, not images')

  const { text, sizes, info } = await read(bytes)
  t.ok(sizes.length >= 1)
  t.same(new Set(sizes), new Set(['595.28 × 841.89']), 'every page A4')
  t.equal(info.Title, 'Årsrapport 2026 — Regionernes It-råd')
  t.equal(info.Language, 'da-DK')

  for (const expected of [
    'Årsrapport 2026 — Regionernes It-råd',
    // Key figures
    'Anbefalingsbreve 12',
    'Median tid fra indsendelse til brev 8,5 arbejdsdage',
    'Breve efter fristen 2',
    'Anbefalinger 17',
    'Projekter i porteføljen 40',
    'Medregnede omkostninger 12.500.000 kr.',
    'Afsluttede projekter 3',
    // Risk profiles
    'A – meget høj risiko 1 brev',
    'B – høj risiko 5 breve',
    'C – middel risiko 4 breve',
    'D – lav risiko 2 breve',
    // Recommendation categories, most first, in Danish (an unknown one as written)
    'Leverandør 6 Planlægning 4 Sikkerhed 3 Økonomi 3 Særlige forhold 1',
    // Status lights per half-year: the legend and the figures
    'grøn gul rød ikke vurderet mangler',
    '1. halvår 2026 grøn 18, gul 6, rød 2, ikke vurderet 0, mangler 9 (i alt 35)',
    '2. halvår 2026 grøn 20, gul 8, rød 3, ikke vurderet 4, mangler 5 (i alt 40)',
    'Regionernes It-råd · Årsrapport 2026 · Side 1 af'
  ]) {
    t.ok(text.includes(expected), `the PDF says "${expected}"`)
  }
  t.notOk(/\b(supplier|planning|unjudged|missing)\b/.test(text), 'no API codes')
})

t.test('a year without letters, recommendations or reports', async (t) => {
  const { text } = await read(await renderAnnualReportPdf(emptyAnnualReport('state', 2019), 'Statens It-råd'))
  for (const expected of [
    'Årsrapport 2019 — Statens It-råd',
    'Median tid fra indsendelse til brev ingen breve i året',
    'Medregnede omkostninger 0 kr.',
    'A – meget høj risiko 0 breve',
    'Rådets breve i året har ingen anbefalinger.',
    '2. halvår 2019 grøn 0, gul 0, rød 0, ikke vurderet 0, mangler 0 (i alt 0)'
  ]) {
    t.ok(text.includes(expected), `the PDF says "${expected}"`)
  }
})

t.test('the documents use the pages\' Danish words and formats', async (t) => {
  const labels = await import(new URL('../../src/web/public/js/labels.js', import.meta.url).href) as {
    profileText: (profile: string) => string
    DIMENSION_LABEL: Record<string, string>
  }
  const format = await import(new URL('../../src/web/public/js/format.js', import.meta.url).href) as {
    formatDate: (date: string) => string
    formatDkk: (amount: number) => string
    formatNumber: (value: number) => string
    formatPeriod: (period: string) => string
  }
  for (const profile of RISK_PROFILES) t.equal(profileText(profile), labels.profileText(profile), profile)
  for (const dimension of RISK_DIMENSIONS) t.equal(categoryText(dimension), labels.DIMENSION_LABEL[dimension], dimension)
  t.equal(categoryText('Særlige forhold'), 'Særlige forhold', 'an unknown category as written')
  for (const date of ['2026-01-01', '2026-05-09', '2026-12-31']) t.equal(danishDate(date), format.formatDate(date), date)
  for (const amount of [0, 999, 1000, 12_500_000, -1_234_567]) t.equal(danishDkk(amount), format.formatDkk(amount), String(amount))
  for (const value of [0, 8.5, 1234567.5, -12]) t.equal(danishNumber(value), format.formatNumber(value), String(value))
  for (const period of ['2026-H1', '2026-H2']) t.equal(danishPeriod(period), format.formatPeriod(period), period)
})
