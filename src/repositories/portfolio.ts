import { and, asc, eq, exists, gt, ne, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { letters, organisations, projects, statusReports } from '../db/schema/index.ts'
import type { CouncilCode } from '../domain/councils.ts'
import type { ProjectStatus } from '../domain/lifecycle.ts'

export interface PortfolioFilters {
  council: CouncilCode
  period: string
  /** YYYY-MM-DD: the first day of `period`; a project closed (completed) before it has left the portfolio. */
  periodStart: string
  region?: string | undefined
  status?: ProjectStatus | undefined
  /** After this row: (0 red | 1 other, reference). */
  after?: { rank: number, reference: string } | undefined
  limit: number
}

// A report is red when the council judged it red, or, unjudged, the project's own overall is red
// (the same expression as the partial index status_reports_red_idx).
const RED = sql`coalesce(${statusReports.overall}, ${statusReports.ownOverall}) = 'red'`

/**
 * The projects a council follows in a period beginning on `periodStart` (YYYY-MM-DD): with a letter,
 * not withdrawn, not closed (completed) before the period began. The portfolio and the annual report
 * count by this one rule.
 */
export function followedProjects (council: CouncilCode, periodStart: string): SQL[] {
  return [
    eq(projects.council, council),
    // Set by the letter; the predicate of projects_followed_idx.
    sql`${projects.approvedBaseline} is not null`,
    ne(projects.status, 'withdrawn'),
    or(ne(projects.status, 'closed'), sql`(${projects.closure}->>'completedOn') >= ${periodStart}`)!
  ]
}

/**
 * The council's portfolio for one half-year (API.md v1.1, "Portfolio, exactly"): every project of
 * the council with a letter, not withdrawn, not closed before the half-year began, with its report
 * of that half-year or none — a report of another period never stands in for it. Red rows first,
 * then by reference; keyset-paged on (rank, reference).
 *
 * Two index-ordered queries rather than one sort over every followed project: the period's red
 * reports in reference order (status_reports_red_idx: a report carries its project's council and
 * reference), then the other followed projects in reference order (projects_followed_idx), each
 * stopping at the page's size. A page costs about the same at a thousand projects as at a million.
 */
export async function portfolioPage (db: Db, filters: PortfolioFilters) {
  const followed: Array<SQL | undefined> = [
    ...followedProjects(filters.council, filters.periodStart),
    filters.region === undefined ? undefined : sql`${projects.participatingRegions} @> array[${filters.region}]::text[]`,
    filters.status === undefined ? undefined : eq(projects.status, filters.status)
  ]
  const hasRedReport = exists(db.select({ one: sql`1` }).from(statusReports)
    .where(and(eq(statusReports.projectId, projects.id), eq(statusReports.period, filters.period), RED)))
  const columns = {
    project: projects,
    ownerName: organisations.name,
    report: statusReports,
    riskProfile: sql<string | null>`(select ${letters.riskProfile} from ${letters} where ${letters.projectId} = ${projects.id} order by ${letters.baselineVersion} desc limit 1)`
  }
  const wanted = filters.limit + 1
  const after = filters.after
  // Red rows: the period's red reports of the council in reference order (status_reports_red_idx).
  const red = after === undefined || after.rank === 0
    ? await db.select(columns).from(statusReports)
      .innerJoin(projects, eq(projects.id, statusReports.projectId))
      .leftJoin(organisations, eq(organisations.code, projects.ownerOrg))
      .where(and(eq(statusReports.period, filters.period), eq(statusReports.council, filters.council), RED, ...followed,
        after === undefined ? undefined : gt(statusReports.projectReference, after.reference)))
      .orderBy(asc(statusReports.projectReference)).limit(wanted)
    : []
  // The others: the followed projects in reference order (projects_followed_idx) without a red report.
  const others = red.length < wanted
    ? await db.select(columns).from(projects)
      .leftJoin(statusReports, and(eq(statusReports.projectId, projects.id), eq(statusReports.period, filters.period)))
      .leftJoin(organisations, eq(organisations.code, projects.ownerOrg))
      .where(and(...followed, sql`not ${hasRedReport}`, after?.rank === 1 ? gt(projects.reference, after.reference) : undefined))
      .orderBy(asc(projects.reference)).limit(wanted - red.length)
    : []
  return [...red.map((row) => ({ ...row, rank: 0 })), ...others.map((row) => ({ ...row, rank: 1 }))]
}
