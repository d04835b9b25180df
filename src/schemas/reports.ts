import { z } from 'zod'
import { COUNCIL_CODES, type CouncilCode } from '../domain/councils.ts'

const Count = z.int().min(0)
const CouncilCodeSchema = z.enum(COUNCIL_CODES as [CouncilCode, ...CouncilCode[]])

export const AnnualReportQuery = z.strictObject({
  council: CouncilCodeSchema.optional()
    .describe('Required for an admin; a secretariat gets its own council (another → 403)'),
  year: z.coerce.number().int().min(2019).max(9999).describe('The calendar year reported on: from 2019 to the current year (a later one → 400)')
})

/** The council's judgements of one half-year's reports, and the followed projects without any. */
export const HalfYearLightsSchema = z.object({
  green: Count,
  yellow: Count,
  red: Count,
  unjudged: Count.describe('Reports the council has not judged'),
  missing: Count.describe('Followed projects without a report for the half-year')
}).meta({ id: 'HalfYearLights' })

/** API.md v1.1, "Annual report" and "Annual report, exactly". */
export const AnnualReportSchema = z.object({
  council: CouncilCodeSchema,
  year: z.int(),
  reviews: z.object({
    letters: Count.describe('Letters dated (Copenhagen date of issue) in the year, for every project of the council, withdrawn ones too'),
    byRiskProfile: z.object({ A: Count, B: Count, C: Count, D: Count }),
    medianWorkingDaysToLetter: z.number().nullable()
      .describe('Danish working days from submittedOn to the letter\'s date, median (mean of the middle two for an even count, one decimal); null without letters'),
    overdueLetters: Count.describe('Letters dated after the project\'s assessmentDueOn')
  }),
  recommendations: z.object({
    total: Count,
    byCategory: z.record(z.string(), Count)
  }),
  portfolio: z.object({
    projects: Count.describe('Projects the council followed in the year: a letter by the year\'s end, not withdrawn, not closed before the year began'),
    eligibleCostDkk: z.int().min(0).describe('Their eligible cost (the approved baseline\'s), summed')
  }),
  statusLights: z.record(z.string(), HalfYearLightsSchema).describe('Keyed "<year>-H1" and "<year>-H2": among the projects followed in the half-year (a letter dated by its end, not withdrawn, not closed before it began), the council\'s judgements of their reports of the half-year'),
  closures: Count.describe('Projects closed (completedOn) in the year')
}).meta({ id: 'AnnualReport' })

export type AnnualReport = z.output<typeof AnnualReportSchema>
export type AnnualReportQueryInput = z.output<typeof AnnualReportQuery>
