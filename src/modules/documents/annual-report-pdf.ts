import { RISK_PROFILES } from '../../domain/risk.ts'
import type { AnnualReport } from '../../schemas/reports.ts'
import { barChart, columnChart, stackedChart } from './charts.ts'
import { categoryText, danishDkk, danishNumber, danishPeriod, HALF_YEAR_PARTS, profileText } from './danish.ts'
import { createPdf, facts, finishPdf, heading, paragraph } from './pdf.ts'

/** The colours of the charts: the risk profiles from dark (A, very high) to light, the lights as lights. */
const PROFILE_COLOURS = { A: '#7f1d1d', B: '#c2410c', C: '#d9a404', D: '#4d7c0f' } as const
const CATEGORY_COLOUR = '#1f5a96'
const PART_COLOURS: Record<(typeof HALF_YEAR_PARTS)[number]['key'], string> = {
  green: '#2e7d32',
  yellow: '#f2c200',
  red: '#c62828',
  unjudged: '#8a8a8a',
  missing: '#d9d9d9'
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const count = (n: number, one: string, many: string) => `${danishNumber(n)} ${n === 1 ? one : many}`

/**
 * The council's annual report (`GET /v1/reports/annual`) as an A4 PDF in Danish: the key figures
 * and three charts drawn as vectors — letters by risk profile, recommendations by category, and
 * the status lights of each half-year — each with its figures as text.
 */
export async function renderAnnualReportPdf (report: AnnualReport, councilName: string): Promise<Buffer> {
  const title = `Årsrapport ${report.year} — ${councilName}`
  const doc = createPdf({ title, author: councilName, subject: `${councilName}s virksomhed i ${report.year}` })
  const { reviews, recommendations, portfolio } = report

  heading(doc, title, 1)
  paragraph(doc, `Rådets anbefalingsbreve dateret i ${report.year} og anbefalingerne i dem, porteføljen af projekter, ` +
    'rådet fulgte i året, halvårenes statusrapporter og de projekter, der blev afsluttet.', { muted: true })

  heading(doc, 'Nøgletal')
  facts(doc, [
    ['Anbefalingsbreve', danishNumber(reviews.letters)],
    ['Median tid fra indsendelse til brev', reviews.medianWorkingDaysToLetter === null
      ? 'ingen breve i året'
      : count(reviews.medianWorkingDaysToLetter, 'arbejdsdag', 'arbejdsdage')],
    ['Breve efter fristen', danishNumber(reviews.overdueLetters)],
    ['Anbefalinger', danishNumber(recommendations.total)],
    ['Projekter i porteføljen', danishNumber(portfolio.projects)],
    ['Medregnede omkostninger', danishDkk(portfolio.eligibleCostDkk)],
    ['Afsluttede projekter', danishNumber(report.closures)]
  ], 190)

  heading(doc, 'Anbefalingsbreve efter risikoprofil', 2, 200)
  columnChart(doc, RISK_PROFILES.map((profile) => ({ label: profile, value: reviews.byRiskProfile[profile], colour: PROFILE_COLOURS[profile] })), {
    figures: RISK_PROFILES.map((profile) => [capitalised(profileText(profile)), count(reviews.byRiskProfile[profile], 'brev', 'breve')])
  })

  heading(doc, 'Anbefalinger efter kategori', 2, 40)
  const categories = Object.entries(recommendations.byCategory)
    .map(([category, value]) => ({ label: categoryText(category), value, colour: CATEGORY_COLOUR }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, 'da'))
  if (categories.length === 0) paragraph(doc, 'Rådets breve i året har ingen anbefalinger.')
  else barChart(doc, categories)

  heading(doc, 'Statusrapporter pr. halvår', 2, 260)
  paragraph(doc, 'Rådets vurdering af halvårets statusrapporter for de fulgte projekter: grøn, gul eller rød; ' +
    '"ikke vurderet" er rapporter, rådet endnu ikke har vurderet, og "mangler" er projekter uden rapport for halvåret.', { muted: true })
  stackedChart(doc,
    Object.keys(report.statusLights).sort().map((period) => ({ label: danishPeriod(period), parts: report.statusLights[period]! })),
    HALF_YEAR_PARTS.map((part) => ({ key: part.key, label: part.da, colour: PART_COLOURS[part.key] })))

  return finishPdf(doc, `${councilName} · Årsrapport ${report.year}`)
}
