import { z } from 'zod'
import { FOLLOW_UP_TRACKS } from '../db/schema/projects.ts'
import { COUNCIL_CODES, type CouncilCode } from '../domain/councils.ts'
import { PROJECT_STATUSES } from '../domain/lifecycle.ts'
import { RISK_PROFILES, STATUS_PERIOD_PATTERN } from '../domain/risk.ts'
import { Cursor, Limit, pageOf } from './common.ts'
import { ApprovedBaselineSchema, RegionCodeSchema } from './project.ts'
import { StatusReportSchema } from './review.ts'

export const PortfolioQuery = z.strictObject({
  council: z.enum(COUNCIL_CODES as [CouncilCode, ...CouncilCode[]]).optional()
    .describe('Required for an admin; a secretariat gets its own council (another → 403)'),
  period: z.string().regex(STATUS_PERIOD_PATTERN).optional().describe('Half-year YYYY-H1 or YYYY-H2; default the current one (Copenhagen)'),
  region: RegionCodeSchema.optional().describe('Only projects this region participates in'),
  status: z.enum(PROJECT_STATUSES).optional(),
  limit: Limit,
  cursor: Cursor.optional()
})

export const PortfolioRowSchema = z.object({
  project: z.object({
    id: z.uuid(),
    reference: z.string(),
    title: z.string(),
    ownerOrg: z.string(),
    ownerName: z.string(),
    status: z.enum(PROJECT_STATUSES)
  }),
  riskProfile: z.enum(RISK_PROFILES).nullable().describe('The latest letter\'s risk profile'),
  approvedBaseline: ApprovedBaselineSchema.nullable(),
  report: StatusReportSchema.nullable().describe('The report of the asked period, or null: a report of another period never stands in for it'),
  missingReport: z.boolean().describe('No report for the asked period (the current half-year counts: not yet reported)'),
  followUpTrack: z.enum(FOLLOW_UP_TRACKS).nullable()
}).meta({ id: 'PortfolioRow' })

export const PortfolioPage = pageOf(PortfolioRowSchema).extend({
  council: z.enum(COUNCIL_CODES as [CouncilCode, ...CouncilCode[]]),
  period: z.string()
}).meta({ id: 'PortfolioPage' })

export type PortfolioQueryInput = z.output<typeof PortfolioQuery>
export type PortfolioRow = z.output<typeof PortfolioRowSchema>
