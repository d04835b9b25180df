import { z } from 'zod'
import { FOLLOW_UP_TRACKS } from '../db/schema/projects.ts'
import { COUNCIL_CODES, PROJECT_KINDS, type CouncilCode } from '../domain/councils.ts'
import { BUDGET_CATEGORIES } from '../domain/gate.ts'
import { PROJECT_STATUSES } from '../domain/lifecycle.ts'
import { REGION_CODES, type RegionCode } from '../domain/regions.ts'
import { RISK_PROFILES } from '../domain/risk.ts'
import { rule } from '../messages.ts'
import { CONTROL, Cursor, Instant, IsoDate, Limit, pageOf, prose, title } from './common.ts'
import { CloudEventSchema } from './event.ts'

export const PHASES = ['idea', 'analysis', 'purchasing', 'delivery', 'realisation'] as const
export type Phase = typeof PHASES[number]

export const MAX_AMOUNT_DKK = 10_000_000_000_000
export const PLANNED_END_MESSAGE = rule('plannedEndBeforeStart')

export const RegionCodeSchema = z.enum(REGION_CODES as [RegionCode, ...RegionCode[]])
  .describe('DAGI region code: 1081 Nordjylland, 1082 Midtjylland, 1083 Syddanmark, 1084 Hovedstaden, 1085 Sjælland')

const PlannedDate = IsoDate.refine((d) => {
  if (!/^\d{4}-/.test(d)) return true // not a date at all: IsoDate has said so
  const year = Number(d.slice(0, 4))
  return year >= 2000 && year <= 2100
}, rule('plannedDateYears'))

export const BudgetLineSchema = z.strictObject({
  category: z.enum(BUDGET_CATEGORIES).describe('operations (running costs after go-live) and interest do not count toward the gated amount'),
  year: z.int().min(2000).max(2100),
  amountDkk: z.int().min(0).max(MAX_AMOUNT_DKK).describe('Whole DKK')
})

export const ContactSchema = z.strictObject({
  name: title(200),
  email: z.email().max(254)
})

export const ExpectedBenefitsSchema = z.strictObject({
  financialDkk: z.int().min(0).max(MAX_AMOUNT_DKK).describe('Expected financial benefits, whole DKK'),
  description: prose(5000).describe('The benefits, financial and other, in words')
}).meta({ id: 'ExpectedBenefits' })

const fields = {
  title: title(200),
  description: prose(10_000),
  participatingRegions: z.array(RegionCodeSchema).max(5)
    .refine((codes) => new Set(codes).size === codes.length, rule('regionCodesDistinct'))
    .describe('Distinct region codes: 1–5 for a regional project, the owner among them (422 otherwise); 0–5 for a state project'),
  phase: z.enum(PHASES),
  budgetLines: z.array(BudgetLineSchema).min(1).max(500),
  plannedStart: PlannedDate.describe('YYYY-MM-DD, in the years 2000–2100'),
  plannedEnd: PlannedDate.describe('YYYY-MM-DD, in the years 2000–2100, on or after plannedStart'),
  contact: ContactSchema,
  expectedBenefits: ExpectedBenefitsSchema.nullable().describe('What the project expects to gain; null when not stated')
}

/** The plannedEnd ≥ plannedStart rule, for the submission schema and for a revision's merged result. */
export function plannedEndIsBeforeStart (value: { plannedStart?: string | undefined, plannedEnd?: string | undefined }): boolean {
  // YYYY-MM-DD strings order like the dates they name.
  return value.plannedStart !== undefined && value.plannedEnd !== undefined && value.plannedEnd < value.plannedStart
}

export const ProjectSubmissionSchema = z.strictObject({
  ...fields,
  expectedBenefits: fields.expectedBenefits.default(null),
  kind: z.enum(PROJECT_KINDS).default('project').describe('A programme gets the policy\'s working days for programmes'),
  reviewRequested: z.boolean().default(false).describe('Asks for a voluntary review of a project below the gate')
}).superRefine((value, ctx) => {
  if (plannedEndIsBeforeStart(value)) ctx.addIssue({ code: 'custom', path: ['plannedEnd'], message: PLANNED_END_MESSAGE })
}).meta({ id: 'ProjectSubmission', description: 'A new project. Unknown properties are refused (400).' })

export type ProjectSubmission = z.output<typeof ProjectSubmissionSchema>

export const ProjectRevisionSchema = z.strictObject(fields).partial().superRefine((value, ctx) => {
  if (Object.keys(value).length === 0) ctx.addIssue({ code: 'custom', path: [], message: rule('atLeastOneField') })
  if (plannedEndIsBeforeStart(value)) ctx.addIssue({ code: 'custom', path: ['plannedEnd'], message: PLANNED_END_MESSAGE })
}).meta({
  id: 'ProjectRevision',
  description: 'Any of the fields, at least one. participatingRegions and budgetLines replace the whole list. ' +
    'plannedEnd ≥ plannedStart is checked against the project as it would be after the change. ' +
    'reviewRequested cannot be changed.'
})

export type ProjectRevision = z.output<typeof ProjectRevisionSchema>

// Fastify hands a missing body to the validator as null.
export const WithdrawalSchema = z.strictObject({
  reason: prose(2_000).optional().describe('Why the project is withdrawn; shown in its history and case file')
}).nullish().describe('No body, an empty object, or a reason')

export type Withdrawal = z.output<typeof WithdrawalSchema>

export const GatingSchema = z.object({
  reviewRequired: z.boolean(),
  policy: z.string().describe('Name of the gating policy, e.g. regions-2019'),
  policyVersion: z.int(),
  reasons: z.array(z.string()),
  evaluatedAt: Instant
})

export const GatePreviewRequestSchema = z.strictObject({
  council: z.enum(COUNCIL_CODES as [CouncilCode, ...CouncilCode[]]).optional()
    .describe('Whose gate (admin only; default regions): a submitter gets its organisation\'s council, a secretariat its own'),
  participatingRegions: fields.participatingRegions,
  budgetLines: fields.budgetLines,
  reviewRequested: z.boolean().default(false)
}).meta({ id: 'GatePreviewRequest', description: 'The parts of a submission the gate reads' })

export const GatePreviewSchema = GatingSchema.extend({
  eligibleCostDkk: z.int().describe('Sum of the budget lines the policy counts'),
  totalCostDkk: z.int()
}).meta({ id: 'GatePreview' })

export const ApprovedBaselineSchema = z.object({
  version: z.int().describe('The approved project version'),
  approvedOn: z.string().describe('YYYY-MM-DD, Copenhagen: the letter\'s date, or the day the secretariat approved a later version'),
  eligibleCostDkk: z.int(),
  totalCostDkk: z.int(),
  plannedEnd: z.string().describe('YYYY-MM-DD'),
  expectedFinancialBenefitsDkk: z.int().nullable().describe('From that version\'s expectedBenefits; null when none were stated')
}).meta({ id: 'ApprovedBaseline' })

export const BaselineApprovalRequest = z.strictObject({
  version: z.int().min(1).describe('The version to approve: only the project\'s current version')
}).meta({ id: 'BaselineApprovalRequest' })

export const ProjectSchema = z.object({
  id: z.uuid(),
  reference: z.string().describe('ITR-YYYY-NNNN (Regionernes It-råd) or SIR-YYYY-NNNN (Statens It-råd): Copenhagen year of submission and the council\'s running number of at least four digits'),
  ownerOrg: z.string(),
  council: z.enum(COUNCIL_CODES as [CouncilCode, ...CouncilCode[]]).describe('The owner organisation\'s council'),
  kind: z.enum(PROJECT_KINDS),
  status: z.enum(PROJECT_STATUSES),
  title: z.string(),
  description: z.string(),
  participatingRegions: z.array(z.string()),
  phase: z.enum(PHASES),
  budgetLines: z.array(z.object({ category: z.enum(BUDGET_CATEGORIES), year: z.int(), amountDkk: z.int() })),
  plannedStart: z.string().describe('YYYY-MM-DD'),
  plannedEnd: z.string().describe('YYYY-MM-DD'),
  contact: z.object({ name: z.string(), email: z.string() }),
  reviewRequested: z.boolean(),
  expectedBenefits: z.object({ financialDkk: z.int(), description: z.string() }).nullable(),
  eligibleCostDkk: z.int().describe('Sum of the budget lines the policy counts'),
  totalCostDkk: z.int(),
  gating: GatingSchema.describe('The gate evaluation of the current baseline'),
  assessmentDueOn: z.string().nullable().describe('YYYY-MM-DD: the policy\'s working days for the kind (10 or 15) after the (re)submission that made review required; null when no review'),
  letter: z.object({ riskProfile: z.enum(RISK_PROFILES), issuedAt: Instant }).nullable()
    .describe('The council\'s latest recommendation letter, or null'),
  version: z.int().describe('Baseline version; the ETag is "<version>"'),
  followUpTrack: z.enum(FOLLOW_UP_TRACKS).nullable().describe('The council\'s latest follow-up decision after a red judgement; null when none'),
  closure: z.object({ completedOn: z.string(), finalCostDkk: z.int(), note: z.string(), closedAt: Instant }).nullable()
    .describe('The owner\'s closure; the project is then `closed`'),
  approvedBaseline: ApprovedBaselineSchema.nullable()
    .describe('The version the council follows the project against: the letter\'s, or a later one the secretariat approved; null before the letter'),
  createdAt: Instant,
  updatedAt: Instant
}).meta({ id: 'Project' })

export type ProjectResource = z.output<typeof ProjectSchema>

export const ProjectPageSchema = pageOf(ProjectSchema).meta({ id: 'ProjectPage' })

export const ProjectHistorySchema = z.object({ items: z.array(CloudEventSchema) }).meta({ id: 'ProjectHistory' })

const flag = z.enum(['true', 'false']).transform((v) => v === 'true')

export const ListProjectsQuerySchema = z.strictObject({
  limit: Limit,
  cursor: Cursor.optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  region: RegionCodeSchema.optional().describe('Only projects this region participates in'),
  reviewRequired: flag.optional(),
  overdue: flag.optional().describe('true: awaiting_assessment or under_assessment with assessmentDueOn before today ' +
    '(Copenhagen); false: every other project'),
  q: z.string().max(200).refine((v) => !CONTROL.test(v), rule('noControlCharacters')).optional()
    .describe('Case-insensitive substring of the title or the reference (e.g. ITR-2026-0001)'),
  assignedTo: z.literal('me').optional()
    .describe('me: only projects on which the caller is an active assigned council member (a member\'s own cases)')
})

export type ListProjectsQuery = z.output<typeof ListProjectsQuerySchema>

// Printable ASCII (RFC 9110 field values outside that range are unsafe to compare and log).
export const IdempotencyHeadersSchema = z.looseObject({
  'idempotency-key': z.string().min(1).max(255).regex(/^[\x20-\x7E]+$/, rule('printableAscii')).optional()
    .describe('Up to 255 printable ASCII characters. The same key and the same body from the same org within 24 h ' +
      'replays the original response (with `idempotent-replayed: true`) instead of creating another project; ' +
      'the same key with a different body is 422.')
})

// One or more entity tags, or `*`; parsed by modules/etag.ts.
export const ENTITY_TAGS = /^\s*(\*|(W\/)?"[\x21\x23-\x7E]*"(\s*,\s*(W\/)?"[\x21\x23-\x7E]*")*)\s*$/

export const IfMatchHeadersSchema = (required: boolean) => z.looseObject({
  'if-match': z.string().max(1024).regex(ENTITY_TAGS, rule('entityTags')).optional()
    .describe(required
      ? 'Required (428 without it): the ETag from the last GET, e.g. "3". Compared strongly: W/"3" never matches, ' +
        'and * is refused (428) because it does not protect against lost updates. A stale tag is 412.'
      : 'Optional: when given, it must match the current ETag (strong comparison; * matches any) or the request is 412.')
})
