import { z } from 'zod'
import { hasRole, type Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { councilOfSecretariat, type CouncilCode } from '../../domain/councils.ts'
import { halfYearOf } from '../../domain/follow-up.ts'
import type { RiskProfile } from '../../domain/risk.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { portfolioPage } from '../../repositories/portfolio.ts'
import type { PortfolioQueryInput, PortfolioRow } from '../../schemas/portfolio.ts'
import { decodeCursor, toPage, type Page } from '../pagination.ts'
import { toStatusReport } from '../review/representation.ts'

const Position = z.object({ rank: z.union([z.literal(0), z.literal(1)]), reference: z.string().max(40) })

/**
 * The council whose portfolio (or annual report) the caller reads: a secretariat its own (another →
 * 403), an admin the one it names.
 */
export function councilFor (caller: Caller, asked: CouncilCode | undefined): CouncilCode {
  if (hasRole(caller, 'secretariat')) {
    const own = councilOfSecretariat(caller.org)!
    if (asked !== undefined && asked !== own) throw new AppError('FORBIDDEN', msg('portfolioOtherCouncil'))
    return own
  }
  if (asked === undefined) throw new AppError('VALIDATION_FAILED', msg('portfolioCouncilRequired'))
  return asked
}

/**
 * GET /v1/portfolio: one row per followed project of a council for a half-year, red first (the
 * council's judgement, else the project's own), then by reference (API.md v1.1, "Portfolio, exactly").
 */
export async function readPortfolio (db: Db, caller: Caller, query: PortfolioQueryInput): Promise<Page<PortfolioRow> & { council: CouncilCode, period: string }> {
  const council = councilFor(caller, query.council)
  const period = query.period ?? halfYearOf(copenhagenDate(new Date()))
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, Position)
  const periodStart = `${period.slice(0, 4)}-${period.endsWith('H1') ? '01' : '07'}-01`
  const rows = await portfolioPage(db, { council, period, periodStart, region: query.region, status: query.status, after, limit: query.limit })
  const page = toPage(rows, query.limit, (row): PortfolioRow => ({
    project: {
      id: row.project.id,
      reference: row.project.reference,
      title: row.project.title,
      ownerOrg: row.project.ownerOrg,
      ownerName: row.ownerName ?? row.project.ownerOrg,
      status: row.project.status
    },
    riskProfile: row.riskProfile as RiskProfile | null,
    approvedBaseline: row.project.approvedBaseline ? { ...row.project.approvedBaseline } : null,
    report: row.report === null ? null : toStatusReport(row.report),
    missingReport: row.report === null,
    followUpTrack: row.project.followUpTrack ?? null
  }), (row) => ({ rank: Number(row.rank), reference: row.project.reference }))
  return { ...page, council, period }
}
