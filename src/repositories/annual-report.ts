import { aliasedTable, and, asc, count, desc, eq, gt, lt, ne, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { letters, organisations, projects, statusReports } from '../db/schema/index.ts'
import type { CouncilCode } from '../domain/councils.ts'
import type { TrafficLight } from '../domain/risk.ts'
import { followedProjects } from './portfolio.ts'

/** The year asked for, as the dates and half-years its figures are counted by. */
export interface ReportYear {
  council: CouncilCode
  year: number
}

const h1 = aliasedTable(statusReports, 'h1')
const h2 = aliasedTable(statusReports, 'h2')

/** The instant a Copenhagen calendar day begins: letters are dated by the Danish day of `issued_at`. */
const copenhagenMidnight = (date: string): SQL => sql`(${date}::timestamp at time zone 'Europe/Copenhagen')`
const letterDate = sql`(${letters.issuedAt} at time zone 'Europe/Copenhagen')::date`
const completedOn = sql`(${projects.closure}->>'completedOn')`

function bounds ({ year }: ReportYear) {
  return { start: `${year}-01-01`, midYear: `${year}-07-01`, next: `${year + 1}-01-01` }
}

/** The project has a letter dated before `date` (a Copenhagen date). */
function letterBefore (date: string): SQL {
  return sql`exists (select 1 from ${letters} where ${letters.projectId} = ${projects.id} and ${letters.issuedAt} < ${copenhagenMidnight(date)})`
}

/**
 * The year's portfolio (API.md v1.1, "Annual report, exactly"): the portfolio's rule for a period
 * beginning on 1 January, with a letter dated by 31 December.
 */
function yearPortfolio (report: ReportYear): SQL[] {
  const { start, next } = bounds(report)
  return [...followedProjects(report.council, start), letterBefore(next)]
}

/** The letters of the council's projects dated (Copenhagen) in the year. */
function lettersOfYear (report: ReportYear): SQL {
  const { start, next } = bounds(report)
  return and(eq(projects.council, report.council), sql`${letters.issuedAt} >= ${copenhagenMidnight(start)}`, lt(letters.issuedAt, copenhagenMidnight(next)))!
}

const n = (expression: SQL) => sql<number>`${expression}`.mapWith(Number)
const countWhere = (condition: SQL) => n(sql`count(*) filter (where ${condition})`)

/**
 * The year's letters: how many, by risk profile, overdue, and the median of the Danish working days
 * from submission to letter — every figure one aggregate over the letters, never a row in Node.
 *
 * Working days are counted in SQL: the days after `submittedOn` up to the letter's date that are
 * neither a weekend nor in `holidays` (the Danish non-working days computed by src/domain/calendar.ts
 * for the years the spans cover). `earliestSubmission` lets the caller check that they did cover them.
 */
export async function reviewFigures (db: Db, report: ReportYear, holidays: readonly string[]) {
  const workingDays = sql`(select count(*) from generate_series((${projects.submittedOn} + 1)::timestamp, ${letterDate}::timestamp, interval '1 day') as span(day)
    where extract(isodow from span.day) < 6 and span.day::date <> all(${sql.param(holidays)}::date[]))`
  const [row] = await db.select({
    letters: n(sql`count(*)`),
    a: countWhere(sql`${letters.riskProfile} = 'A'`),
    b: countWhere(sql`${letters.riskProfile} = 'B'`),
    c: countWhere(sql`${letters.riskProfile} = 'C'`),
    d: countWhere(sql`${letters.riskProfile} = 'D'`),
    // percentile_cont: the mean of the middle two for an even count, as API.md asks.
    medianWorkingDays: sql<number | null>`percentile_cont(0.5) within group (order by ${workingDays})`.mapWith(Number),
    overdue: countWhere(sql`${letterDate} > ${projects.assessmentDueOn}`),
    earliestSubmission: sql<string | null>`min(${projects.submittedOn})::text`
  }).from(letters).innerJoin(projects, eq(projects.id, letters.projectId)).where(lettersOfYear(report))
  return row!
}

/** The recommendations of the year's letters, counted by category. */
export async function recommendationCounts (db: Db, report: ReportYear): Promise<Array<{ category: string, count: number }>> {
  const items = db.select({ category: sql<string>`jsonb_array_elements(${letters.recommendations})->>'category'`.as('category') })
    .from(letters).innerJoin(projects, eq(projects.id, letters.projectId)).where(lettersOfYear(report)).as('items')
  return db.select({ category: items.category, count: count() }).from(items).groupBy(items.category).orderBy(asc(items.category))
}

/**
 * The year's portfolio, the council's judgements per half-year and the closures, in one pass over
 * the council's projects with a letter (projects_followed_idx) and their two half-years' reports.
 * A project is followed in a half-year by the portfolio's rule for it: a letter dated by the
 * half-year's end, not withdrawn, not closed before it began.
 */
export async function portfolioFigures (db: Db, report: ReportYear) {
  const { start, midYear, next } = bounds(report)
  const inYear = and(...yearPortfolio(report))!
  const inH1 = and(...followedProjects(report.council, start), letterBefore(midYear))!
  const inH2 = and(...followedProjects(report.council, midYear), letterBefore(next))!
  const lights = (half: typeof h1, followed: SQL) => ({
    green: countWhere(sql`${followed} and ${half.overall} = 'green'`),
    yellow: countWhere(sql`${followed} and ${half.overall} = 'yellow'`),
    red: countWhere(sql`${followed} and ${half.overall} = 'red'`),
    unjudged: countWhere(sql`${followed} and ${half.id} is not null and ${half.overall} is null`),
    missing: countWhere(sql`${followed} and ${half.id} is null`)
  })
  const [row] = await db.select({
    projects: countWhere(inYear),
    eligibleCostDkk: n(sql`coalesce(sum((${projects.approvedBaseline}->>'eligibleCostDkk')::bigint) filter (where ${inYear}), 0)`),
    closures: countWhere(sql`${projects.status} = 'closed' and ${completedOn} >= ${start} and ${completedOn} < ${next}`),
    h1: lights(h1, inH1),
    h2: lights(h2, inH2)
  }).from(projects)
    .leftJoin(h1, and(eq(h1.projectId, projects.id), eq(h1.period, `${report.year}-H1`)))
    .leftJoin(h2, and(eq(h2.projectId, projects.id), eq(h2.period, `${report.year}-H2`)))
    // Every closed project had a letter: the council's projects with one are all there is to count.
    .where(and(eq(projects.council, report.council), sql`${projects.approvedBaseline} is not null`))
  return row!
}

/** A half-year's cell of a CSV row: not followed then, followed without a report, or the report's judgement (null: not judged). */
export type HalfYearCell = { followed: false } | { followed: true, report: false } | { followed: true, report: true, overall: TrafficLight | null }

export interface PortfolioProjectRow {
  reference: string
  title: string
  ownerName: string
  riskProfile: string | null
  letterDate: string | null
  eligibleCostDkk: number
  h1: HalfYearCell
  h2: HalfYearCell
}

/**
 * One page of the year's portfolio in reference order, after `after` (keyset on the unique
 * reference, projects_followed_idx): the CSV streams them page by page. The letter shown is the
 * latest dated in the year or before.
 */
export async function portfolioProjects (db: Db, report: ReportYear, after: string | undefined, limit: number): Promise<PortfolioProjectRow[]> {
  const { midYear, next } = bounds(report)
  const letter = db.select({ riskProfile: letters.riskProfile, date: sql<string>`${letterDate}::text`.as('letter_date') })
    .from(letters)
    .where(and(eq(letters.projectId, projects.id), lt(letters.issuedAt, copenhagenMidnight(next))))
    .orderBy(desc(letters.issuedAt)).limit(1).as('letter')
  const rows = await db.select({
    reference: projects.reference,
    title: projects.title,
    ownerOrg: projects.ownerOrg,
    ownerName: organisations.name,
    riskProfile: letter.riskProfile,
    letterDate: letter.date,
    approvedBaseline: projects.approvedBaseline,
    inH1: sql<boolean>`${letterBefore(midYear)}`,
    inH2: sql<boolean>`(${ne(projects.status, 'closed')} or ${completedOn} >= ${midYear})`,
    h1Id: h1.id,
    h1Overall: h1.overall,
    h2Id: h2.id,
    h2Overall: h2.overall
  }).from(projects)
    .leftJoinLateral(letter, sql`true`)
    .leftJoin(organisations, eq(organisations.code, projects.ownerOrg))
    .leftJoin(h1, and(eq(h1.projectId, projects.id), eq(h1.period, `${report.year}-H1`)))
    .leftJoin(h2, and(eq(h2.projectId, projects.id), eq(h2.period, `${report.year}-H2`)))
    .where(and(...yearPortfolio(report), after === undefined ? undefined : gt(projects.reference, after)))
    .orderBy(asc(projects.reference)).limit(limit)
  const cell = (followed: boolean, id: string | null, overall: TrafficLight | null): HalfYearCell =>
    !followed ? { followed: false } : id === null ? { followed: true, report: false } : { followed: true, report: true, overall }
  return rows.map((row) => ({
    reference: row.reference,
    title: row.title,
    ownerName: row.ownerName ?? row.ownerOrg,
    riskProfile: row.riskProfile,
    letterDate: row.letterDate,
    eligibleCostDkk: row.approvedBaseline?.eligibleCostDkk ?? 0,
    h1: cell(row.inH1, row.h1Id, row.h1Overall),
    h2: cell(row.inH2, row.h2Id, row.h2Overall)
  }))
}
