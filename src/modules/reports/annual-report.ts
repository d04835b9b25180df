import { pipeline, Readable } from 'node:stream'
import { stringify, type Options } from 'csv-stringify'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { copenhagenDate, danishHolidays } from '../../domain/calendar.ts'
import { councilOf, type CouncilCode } from '../../domain/councils.ts'
import type { TrafficLight } from '../../domain/risk.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { portfolioFigures, portfolioProjects, recommendationCounts, reviewFigures, type HalfYearCell, type ReportYear } from '../../repositories/annual-report.ts'
import type { AnnualReport, AnnualReportQueryInput } from '../../schemas/reports.ts'
import { renderAnnualReportPdf } from '../documents/annual-report-pdf.ts'
import { councilFor } from '../portfolio/portfolio.ts'

/** The council and year the caller may read: the portfolio's scoping, and a year that has begun. */
function reportYearFor (caller: Caller, query: AnnualReportQueryInput): ReportYear {
  const council = councilFor(caller, query.council)
  const current = Number(copenhagenDate(new Date()).slice(0, 4))
  if (query.year > current) throw new AppError('VALIDATION_FAILED', msg('annualReportFutureYear', { year: query.year, current }))
  return { council, year: query.year }
}

/** The Danish non-working days (besides weekends) of the years `from` to `to`, as dates. */
function holidaysOf (from: number, to: number): string[] {
  const days: string[] = []
  for (let year = from; year <= to; year++) days.push(...danishHolidays(year).keys())
  return days
}

/**
 * GET /v1/reports/annual (API.md v1.1, "Annual report" and "Annual report, exactly"): the council's
 * year counted in the database — three aggregate queries, whatever the number of projects.
 */
export async function readAnnualReport (db: Db, caller: Caller, query: AnnualReportQueryInput): Promise<AnnualReport> {
  const report = reportYearFor(caller, query)
  // A review takes weeks: the holidays of the year and the one before cover its letters' spans.
  // Should a letter answer an older submission, count again with the holidays since then.
  let reviews = await reviewFigures(db, report, holidaysOf(report.year - 1, report.year))
  const earliest = reviews.earliestSubmission === null ? report.year : Number(reviews.earliestSubmission.slice(0, 4))
  if (earliest < report.year - 1) reviews = await reviewFigures(db, report, holidaysOf(earliest, report.year))
  const recommendations = await recommendationCounts(db, report)
  const portfolio = await portfolioFigures(db, report)
  return {
    council: report.council,
    year: report.year,
    reviews: {
      letters: reviews.letters,
      byRiskProfile: { A: reviews.a, B: reviews.b, C: reviews.c, D: reviews.d },
      // A median of whole days is whole or half: one decimal holds it exactly.
      medianWorkingDaysToLetter: reviews.medianWorkingDays === null ? null : Math.round(reviews.medianWorkingDays * 10) / 10,
      overdueLetters: reviews.overdue
    },
    recommendations: {
      total: recommendations.reduce((sum, row) => sum + row.count, 0),
      byCategory: Object.fromEntries(recommendations.map((row) => [row.category, row.count]))
    },
    portfolio: { projects: portfolio.projects, eligibleCostDkk: portfolio.eligibleCostDkk },
    statusLights: { [`${report.year}-H1`]: portfolio.h1, [`${report.year}-H2`]: portfolio.h2 },
    closures: portfolio.closures
  }
}

/** The same report as an A4 PDF in Danish with its charts, and the file name it is offered under. */
export async function annualReportPdf (db: Db, caller: Caller, query: AnnualReportQueryInput): Promise<{ filename: string, pdf: Buffer }> {
  const report = await readAnnualReport(db, caller, query)
  const pdf = await renderAnnualReportPdf(report, councilOf(report.council).name)
  return { filename: annualReportFilename(report.council, report.year, 'pdf'), pdf }
}

const LIGHT_DA: Record<TrafficLight, string> = { green: 'grøn', yellow: 'gul', red: 'rød' }

function halfYearCell (cell: HalfYearCell): string {
  if (!cell.followed) return ''
  if (!cell.report) return 'mangler'
  return cell.overall === null ? 'ikke vurderet' : LIGHT_DA[cell.overall]
}

/**
 * CSV for Danish Excel (RFC 4180 quoting by csv-stringify): UTF-8 with a byte order mark, `;`
 * between fields, CRLF line ends, a field with a line break quoted too. A text that begins like a
 * formula (=, +, -, @) gets a leading apostrophe, so that Excel shows a project's title rather than
 * running it (OWASP, "CSV injection").
 */
const CSV_OPTIONS: Options = {
  bom: true,
  delimiter: ';',
  record_delimiter: '\r\n',
  quoted_match: /[\r\n]/,
  cast: { string: (value) => /^[=+\-@\t\r]/.test(value) ? `'${value}` : value }
}

/** The records as a CSV stream; a failure reading them destroys it, so the response ends instead of hanging. */
function csvOf (records: AsyncIterable<Array<string | number>>): Readable {
  return pipeline(Readable.from(records), stringify(CSV_OPTIONS), () => {})
}

// Rows per database round trip: a page is a few hundred kB of CSV at most.
const CSV_PAGE = 500

/**
 * The year's portfolio as CSV for Danish Excel, one row per project in reference order. Streamed
 * page by page (keyset on the reference), so a large portfolio never sits in memory as one string.
 */
export function annualReportCsv (db: Db, caller: Caller, query: AnnualReportQueryInput): { filename: string, stream: Readable } {
  const report = reportYearFor(caller, query)
  const councilName = councilOf(report.council).name
  async function * records () {
    yield ['reference', 'title', 'owner', 'council', 'riskProfile', 'letterDate', 'eligibleCostDkk', `${report.year}-H1`, `${report.year}-H2`]
    let after: string | undefined
    for (;;) {
      const rows = await portfolioProjects(db, report, after, CSV_PAGE)
      for (const row of rows) {
        yield [row.reference, row.title, row.ownerName, councilName, row.riskProfile ?? '', row.letterDate ?? '', row.eligibleCostDkk, halfYearCell(row.h1), halfYearCell(row.h2)]
      }
      if (rows.length < CSV_PAGE) return
      after = rows.at(-1)!.reference
    }
  }
  return { filename: annualReportFilename(report.council, report.year, 'csv'), stream: csvOf(records()) }
}

export function annualReportFilename (council: CouncilCode, year: number, extension: 'csv' | 'pdf'): string {
  return `aarsrapport-${council}-${year}.${extension}`
}
