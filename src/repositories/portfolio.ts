import { and, asc, eq, ne, or, sql, type SQL } from 'drizzle-orm'
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

// A row is red when the council judged its report of the period red, or, unjudged, the project's own overall is.
const RANK = sql<number>`case when coalesce(${statusReports.overall}, ${statusReports.ownOverall}) = 'red' then 0 else 1 end`

/**
 * The council's portfolio for one half-year (API.md v1.1, "Portfolio, exactly"): every project of
 * the council with a letter, not withdrawn, not closed before the half-year began, with its report
 * of that half-year or none — a report of another period never stands in for it. Red rows first,
 * then by reference; keyset-paged on (rank, reference). The caller decides which council.
 */
export async function portfolioPage (db: Db, filters: PortfolioFilters) {
  const conditions: Array<SQL | undefined> = [
    eq(projects.council, filters.council),
    // Set by the letter: a project with a letter (jsonb_typeof is null for SQL NULL and 'null' for JSON null).
    sql`jsonb_typeof(${projects.approvedBaseline}) = 'object'`,
    ne(projects.status, 'withdrawn'),
    or(ne(projects.status, 'closed'), sql`(${projects.closure}->>'completedOn') >= ${filters.periodStart}`),
    filters.region === undefined ? undefined : sql`${projects.participatingRegions} @> array[${filters.region}]::text[]`,
    filters.status === undefined ? undefined : eq(projects.status, filters.status),
    filters.after === undefined ? undefined : sql`(${RANK}, ${projects.reference}) > (${filters.after.rank}, ${filters.after.reference})`
  ]
  return db.select({
    project: projects,
    ownerName: organisations.name,
    report: statusReports,
    rank: RANK,
    riskProfile: sql<string | null>`(select ${letters.riskProfile} from ${letters} where ${letters.projectId} = ${projects.id} order by ${letters.baselineVersion} desc limit 1)`
  })
    .from(projects)
    .leftJoin(statusReports, and(eq(statusReports.projectId, projects.id), eq(statusReports.period, filters.period)))
    .leftJoin(organisations, eq(organisations.code, projects.ownerOrg))
    .where(and(...conditions))
    .orderBy(asc(RANK), asc(projects.reference))
    .limit(filters.limit + 1)
}
