import { z } from 'zod'
import { ORG_PATTERN } from '../auth/caller.ts'
import { RISK_DIMENSIONS, RISK_PROFILES, RISK_SCORE_MAX, RISK_SCORE_MIN, STATUS_PERIOD_PATTERN, TRAFFIC_LIGHTS, type RiskDimension } from '../domain/risk.ts'
import { FOLLOW_UP_TRACKS } from '../db/schema/projects.ts'
import { CONFLICT_DECISIONS } from '../db/schema/review.ts'
import { Cursor, Instant, IsoDate, Limit, line, pageOf, ProjectParams, prose } from './common.ts'
import { CloudEventSchema } from './event.ts'
import { MAX_AMOUNT_DKK, ProjectSchema } from './project.ts'
import { DocumentSchema } from './documents.ts'

// ---------------------------------------------------------------------------------------------
// Vocabulary

export const RiskProfileSchema = z.enum(RISK_PROFILES)
  .describe('Risk profile: A very high, B high, C medium, D low')
  .meta({ id: 'RiskProfile' })

export const TrafficLightSchema = z.enum(TRAFFIC_LIGHTS).meta({ id: 'TrafficLight' })

const MemberSub = line(255).describe('The council member\'s token subject (`sub`)')
const Org = z.string().regex(ORG_PATTERN).describe('Organisation code (a DAGI region code for regions)')

export const RecommendationRequest = z.strictObject({
  category: line(100).describe('e.g. planning, governance, supplier'),
  text: prose(5000)
})

export const RecommendationSchema = z.object({ category: z.string(), text: z.string() }).meta({ id: 'Recommendation' })

const Score = z.number().int().min(RISK_SCORE_MIN).max(RISK_SCORE_MAX).describe('1 (low risk) … 4 (very high risk)')

const scoreShape = Object.fromEntries(RISK_DIMENSIONS.map((d) => [d, Score])) as Record<RiskDimension, typeof Score>

export const RiskScoresSchema = z.strictObject(scoreShape)
  .describe('One score per risk dimension, all seven required')
  .meta({ id: 'RiskScores' })

export const ListQuery = z.strictObject({ limit: Limit, cursor: Cursor.optional() })

// ---------------------------------------------------------------------------------------------
// Requests (all strict: an unknown property is a 400)

export const AssignmentRequest = z.strictObject({
  memberSub: MemberSub.describe('A member of the directory (GET /v1/members): active and of the project\'s council, else 422'),
  memberOrg: Org.optional().describe('Optional: the directory\'s organisation is taken; when sent it must be the same (422). ' +
    'A member of the organisation that owns the project is refused (409 conflict of interest)')
}).meta({ id: 'AssignmentRequest' })

export const ConflictRequest = z.strictObject({
  ground: line(200).describe('The ground of disqualification, e.g. "forvaltningsloven § 3, stk. 1, nr. 5"'),
  statement: prose(5000).describe('The member\'s statement of the circumstances')
}).meta({ id: 'ConflictRequest' })

export const ConflictDecisionRequest = z.strictObject({
  disqualified: z.boolean().describe('true: the member is disqualified (the assignment ends); false: the member may assess'),
  reason: prose(5000).describe('The secretariat\'s reason for the decision')
}).meta({ id: 'ConflictDecisionRequest' })

export const AssessmentRequest = z.strictObject({
  scores: RiskScoresSchema,
  proposedProfile: RiskProfileSchema,
  summary: prose(10_000),
  recommendations: z.array(RecommendationRequest).max(50).default([])
}).meta({ id: 'AssessmentRequest' })

export const LetterRequest = z.strictObject({
  statement: prose(20_000).describe('The council\'s general statement'),
  riskProfile: RiskProfileSchema,
  recommendations: z.array(RecommendationRequest).max(100).default([]),
  externalReviewRecommended: z.boolean()
}).meta({ id: 'LetterRequest' })

export const ResponseRequest = z.strictObject({
  text: prose(20_000).describe('The project\'s answer to the recommendation letter')
}).meta({ id: 'ResponseRequest' })

const statusReportFields = {
  forecastCostDkk: z.int().min(0).max(MAX_AMOUNT_DKK).describe('The forecast of the eligible cost, whole DKK'),
  forecastEndDate: IsoDate.describe('YYYY-MM-DD: the forecast end of the project; not before its planned start (422)'),
  forecastFinancialBenefitsDkk: z.int().min(0).max(MAX_AMOUNT_DKK).nullable().describe('The forecast financial benefits, whole DKK; null when not forecast'),
  cost: TrafficLightSchema.describe('The project\'s own view'),
  schedule: TrafficLightSchema.describe('The project\'s own view'),
  financialBenefits: TrafficLightSchema.describe('The project\'s own view'),
  nonFinancialBenefits: TrafficLightSchema.nullable().default(null).describe('Optional; null or absent when not reported'),
  comment: prose(5000)
}

export const StatusReportRequest = z.strictObject({
  period: z.string().regex(STATUS_PERIOD_PATTERN).describe('Half-year: YYYY-H1 or YYYY-H2, from the letter\'s half-year to the current one (Copenhagen); else 422'),
  ...statusReportFields
}).meta({ id: 'StatusReportRequest' })

export const StatusReportCorrection = z.strictObject(statusReportFields).meta({
  id: 'StatusReportCorrection',
  description: 'The whole report anew, without its period (the path names it)'
})

export const JudgementRequest = z.strictObject({
  overall: TrafficLightSchema.describe('The council\'s overall light for the report'),
  comment: prose(5000).describe('The council\'s reasoning')
}).meta({ id: 'JudgementRequest' })

export const FollowUpDecisionRequest = z.strictObject({
  track: z.enum(FOLLOW_UP_TRACKS).describe('back_to_plan: the project returns to its approved baseline; new_baseline: the council expects a new ' +
    'baseline to approve; close_project: the council recommends closing (the owner closes with …/closure)'),
  note: prose(5000).describe('The council\'s decision in words')
}).meta({ id: 'FollowUpDecisionRequest' })

export const ClosureRequest = z.strictObject({
  completedOn: IsoDate.describe('YYYY-MM-DD: the day the project was completed; not in the future (422)'),
  finalCostDkk: z.int().min(0).max(MAX_AMOUNT_DKK).describe('The final eligible cost, whole DKK'),
  note: prose(5000)
}).meta({ id: 'ClosureRequest' })

export const BenefitReportRequest = z.strictObject({
  reportedOn: IsoDate.describe('YYYY-MM-DD: within 12 months of the closure\'s completedOn and not in the future (422)'),
  realisedFinancialBenefitsDkk: z.int().min(0).max(MAX_AMOUNT_DKK).describe('The financial benefits realised so far, whole DKK'),
  note: prose(5000)
}).meta({ id: 'BenefitReportRequest' })

export const StatusReportParams = ProjectParams.extend({
  period: z.string().regex(STATUS_PERIOD_PATTERN).describe('Half-year: YYYY-H1 or YYYY-H2')
})

// ---------------------------------------------------------------------------------------------
// Resources

export const AssignmentSchema = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  memberSub: z.string(),
  memberOrg: z.string(),
  memberName: z.string().describe('The member\'s name in the directory when assigned'),
  memberOrgName: z.string().describe('The name of the member\'s organisation when assigned'),
  assignedBy: z.string().describe('Token subject of the secretariat member who assigned'),
  assignedAt: Instant,
  active: z.boolean().describe('false once the assignment has ended'),
  endedAt: Instant.nullable(),
  endedReason: z.enum(['disqualified']).nullable().describe('`disqualified`: the member declared a conflict of interest')
}).meta({ id: 'Assignment' })

const ConflictFields = {
  id: z.uuid(),
  projectId: z.uuid(),
  memberSub: z.string(),
  memberOrg: z.string(),
  memberName: z.string().describe('The member\'s name in the directory'),
  memberOrgName: z.string().describe('The name of the member\'s organisation'),
  ground: z.string(),
  declaredAt: Instant,
  decision: z.enum(CONFLICT_DECISIONS).describe('`pending` until the secretariat decides (the member keeps the place but cannot ' +
    'assess, and no letter can be issued); `disqualified` ends the assignment for good; `not_disqualified` restores the member'),
  reason: z.string().nullable().describe('The secretariat\'s reason for the decision; null while pending'),
  decidedBy: z.string().nullable().describe('Token subject of the secretariat member who decided (`system` for v1 declarations)'),
  decidedByName: z.string().nullable().describe('Their name, when the token carried one'),
  decidedAt: Instant.nullable()
}

export const ConflictSchema = z.object({
  ...ConflictFields,
  statement: z.string().describe('The member\'s statement: shown to the secretariat and the declaring member only')
}).meta({ id: 'Conflict', description: 'A council member\'s declaration of disqualification (forvaltningsloven §3) and the secretariat\'s decision (§6)' })

export const ConflictSummarySchema = z.object(ConflictFields).meta({
  id: 'ConflictSummary',
  description: 'A declaration of disqualification and its decision as the case file shows it: without the member\'s statement'
})

export const ConflictParams = ProjectParams.extend({ conflictId: z.uuid().describe('The declaration\'s id') })

export const ConflictList = z.object({ items: z.array(ConflictSchema) }).meta({ id: 'ConflictList' })

export const AssessmentSchema = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  baselineVersion: z.number().int().describe('The project version that was assessed'),
  memberSub: z.string(),
  memberOrg: z.string(),
  memberName: z.string().describe('The member\'s name in the directory (the token\'s name or the sub for assessments made before it)'),
  memberOrgName: z.string().describe('The name of the member\'s organisation'),
  scores: z.object(scoreShape),
  proposedProfile: RiskProfileSchema,
  summary: z.string(),
  recommendations: z.array(RecommendationSchema),
  countsTowardLetter: z.boolean().describe('false when the member has since been disqualified: a disqualified member\'s assessment does not count'),
  createdAt: Instant
}).meta({ id: 'Assessment', description: 'A council member\'s risk assessment' })

export const LetterSchema = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  baselineVersion: z.number().int().describe('The project version the letter answers'),
  statement: z.string(),
  riskProfile: RiskProfileSchema,
  recommendations: z.array(RecommendationSchema),
  externalReviewRecommended: z.boolean(),
  issuedBy: z.string().describe('Token subject of the secretariat member who issued it'),
  issuedByName: z.string().describe('Their name (the token\'s; the subject when the token had none)'),
  issuedAt: Instant
}).meta({ id: 'Letter', description: 'The council\'s recommendation letter (anbefalingsbrev)' })

export const ResponseSchema = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  text: z.string(),
  respondedBy: z.string(),
  createdAt: Instant
}).meta({ id: 'Response', description: 'The project\'s answer to the recommendation letter' })

const NullableLight = TrafficLightSchema.nullable()

export const StatusReportSchema = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  period: z.string(),
  forecastCostDkk: z.int().nullable().describe('null for reports from before figures were asked for'),
  forecastEndDate: z.string().nullable(),
  forecastFinancialBenefitsDkk: z.int().nullable(),
  cost: TrafficLightSchema,
  schedule: TrafficLightSchema,
  financialBenefits: TrafficLightSchema,
  nonFinancialBenefits: NullableLight,
  ownOverall: TrafficLightSchema.describe('The worst of the project\'s own lights'),
  overall: NullableLight.describe('The council\'s judgement of the report; null until judged. A red judgement emits itraad.project.alert'),
  baselineVersion: z.int().nullable().describe('The approved baseline version the deviation is measured against'),
  deviation: z.object({
    costDkk: z.int().describe('forecastCostDkk − the baseline\'s eligibleCostDkk; positive = over budget'),
    costPct: z.number().nullable().describe('One decimal, half away from zero; null when the baseline\'s eligible cost is 0'),
    scheduleDays: z.int().describe('Days from the baseline\'s plannedEnd to forecastEndDate; positive = later'),
    financialBenefitsPct: z.number().nullable().describe('Shortfall against the baseline\'s expected financial benefits, one decimal; positive = fewer benefits; null when none were expected (or 0) or none forecast')
  }).nullable().describe('Against the approved baseline; null for reports without figures'),
  indicatedLights: z.object({ cost: NullableLight, schedule: TrafficLightSchema, financialBenefits: NullableLight }).nullable()
    .describe('What the council\'s policy tolerances (`followUp` of the version in force when reported or corrected) indicate: below yellow green, below red yellow, else red'),
  comment: z.string(),
  judgement: z.object({
    overall: TrafficLightSchema,
    comment: z.string(),
    judgedBy: z.string(),
    judgedByName: z.string(),
    judgedAt: Instant
  }).nullable().describe('The council\'s judgement, once; after it the report can no longer be corrected'),
  reportedBy: z.string(),
  version: z.int().describe('+1 with each correction; the ETag is "<version>"'),
  createdAt: Instant,
  updatedAt: Instant
}).meta({ id: 'StatusReport', description: 'A half-yearly status report: the project\'s forecast and own lights, measured against the approved baseline, and the council\'s judgement' })

export const BaselineSchema = z.object({
  version: z.number().int(),
  content: z.record(z.string(), z.unknown()).describe('The project as submitted or revised in this version'),
  gating: z.record(z.string(), z.unknown()).describe('The gate evaluation of this version'),
  createdAt: Instant,
  createdBy: z.string()
}).meta({ id: 'Baseline', description: 'One accepted version of a project' })

export const AssignmentPage = pageOf(AssignmentSchema).meta({ id: 'AssignmentPage' })
export const AssessmentPage = pageOf(AssessmentSchema).meta({ id: 'AssessmentPage' })
export const StatusReportPreview = StatusReportSchema.pick({ ownOverall: true, baselineVersion: true, deviation: true, indicatedLights: true })
  .meta({ id: 'StatusReportPreview', description: 'What a status report would be measured as; nothing stored' })

export const FollowUpDecisionSchema = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  statusReportId: z.uuid().describe('The red-judged report the decision answers'),
  period: z.string().describe('That report\'s period'),
  track: z.enum(FOLLOW_UP_TRACKS),
  note: z.string(),
  decidedBy: z.string(),
  decidedByName: z.string(),
  decidedAt: Instant
}).meta({ id: 'FollowUpDecision', description: 'The council\'s decision after a red judgement' })

export const BenefitReportSchema = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  number: z.int().describe('1 or 2'),
  reportedOn: z.string(),
  realisedFinancialBenefitsDkk: z.int(),
  note: z.string(),
  reportedBy: z.string(),
  createdAt: Instant
}).meta({ id: 'BenefitReport', description: 'A closed project\'s report of realised benefits' })

export const BenefitReportList = z.object({ items: z.array(BenefitReportSchema) }).meta({ id: 'BenefitReportList' })

export const StatusReportPage = pageOf(StatusReportSchema).meta({ id: 'StatusReportPage' })

export const CaseFileSchema = z.object({
  project: ProjectSchema.describe('The project as GET /v1/projects/{id} shows it'),
  baselines: z.array(BaselineSchema).describe('Every version, oldest first'),
  assignments: z.array(AssignmentSchema).describe('Oldest first, ended ones included'),
  conflicts: z.array(ConflictSummarySchema).describe('Declarations of disqualification and their decisions, oldest first, without the members\' statements'),
  assessments: z.array(AssessmentSchema).describe('Oldest first, disqualified members\' included (countsTowardLetter false)'),
  letter: LetterSchema.nullable(),
  response: ResponseSchema.nullable(),
  statusReports: z.array(StatusReportSchema).describe('Newest period first'),
  documents: z.array(DocumentSchema).describe('The documents\' metadata with their sha256, oldest first (GET …/documents/{docId} for the bytes)'),
  events: z.array(CloudEventSchema).describe('The project\'s audit events, oldest first'),
  generatedAt: Instant
}).meta({
  id: 'CaseFile',
  description: 'The whole case as one document, for access requests (aktindsigt) and journalising, read in one consistent snapshot'
})

export type Assignment = z.infer<typeof AssignmentSchema>
export type Conflict = z.infer<typeof ConflictSchema>
export type ConflictSummary = z.infer<typeof ConflictSummarySchema>
export type Assessment = z.infer<typeof AssessmentSchema>
export type Letter = z.infer<typeof LetterSchema>
export type Response = z.infer<typeof ResponseSchema>
export type StatusReport = z.infer<typeof StatusReportSchema>
export type FollowUpDecision = z.infer<typeof FollowUpDecisionSchema>
export type BenefitReport = z.infer<typeof BenefitReportSchema>
export type Baseline = z.infer<typeof BaselineSchema>
export type CaseFile = z.infer<typeof CaseFileSchema>
