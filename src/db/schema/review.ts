import { sql } from 'drizzle-orm'
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import type { CouncilCode } from '../../domain/councils.ts'
import type { Deviation, IndicatedLights } from '../../domain/follow-up.ts'
import type { RiskDimension, RiskProfile, TrafficLight } from '../../domain/risk.ts'
import { instant } from './columns.ts'
import { projects, type FollowUpTrack } from './projects.ts'

export interface Recommendation { category: string, text: string }

export const CONFLICT_DECISIONS = ['pending', 'disqualified', 'not_disqualified'] as const
export type ConflictDecision = (typeof CONFLICT_DECISIONS)[number]

export const assignments = pgTable('assignments', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull().references(() => projects.id),
  memberSub: text('member_sub').notNull(),
  memberOrg: text('member_org').notNull(),
  /** The member's and the organisation's names as the directory had them when assigned. */
  memberName: text('member_name'),
  memberOrgName: text('member_org_name'),
  assignedBy: text('assigned_by').notNull(),
  assignedAt: instant('assigned_at').notNull().defaultNow(),
  endedAt: instant('ended_at'),
  endedReason: text('ended_reason')
}, (t) => [
  index('assignments_project_idx').on(t.projectId),
  uniqueIndex('assignments_active_member_idx').on(t.projectId, t.memberSub).where(sql`ended_at is null`)
])

/** A member's declaration of disqualification (inhabilitet, forvaltningsloven §3 and §6). */
export const conflicts = pgTable('conflicts', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull().references(() => projects.id),
  memberSub: text('member_sub').notNull(),
  memberOrg: text('member_org').notNull(),
  memberName: text('member_name'),
  memberOrgName: text('member_org_name'),
  ground: text('ground').notNull(),
  /** Shown to the secretariat and the declaring member only: never in an event or the owner's case file. */
  statement: text('statement').notNull(),
  declaredAt: instant('declared_at').notNull().defaultNow(),
  /** The secretariat's decision (forvaltningsloven §6): pending until made, then made once. */
  decision: text('decision').$type<ConflictDecision>().notNull().default('pending'),
  reason: text('reason'),
  decidedBy: text('decided_by'),
  decidedByName: text('decided_by_name'),
  decidedAt: instant('decided_at')
}, (t) => [
  uniqueIndex('conflicts_project_member_idx').on(t.projectId, t.memberSub),
  check('conflicts_decision_check', sql`${t.decision} in ('pending', 'disqualified', 'not_disqualified')`)
])

export const assessments = pgTable('assessments', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull().references(() => projects.id),
  baselineVersion: integer('baseline_version').notNull(),
  memberSub: text('member_sub').notNull(),
  memberOrg: text('member_org').notNull(),
  memberName: text('member_name'),
  memberOrgName: text('member_org_name'),
  scores: jsonb('scores').$type<Record<RiskDimension, number>>().notNull(),
  proposedProfile: text('proposed_profile').$type<RiskProfile>().notNull(),
  summary: text('summary').notNull(),
  recommendations: jsonb('recommendations').$type<Recommendation[]>().notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
}, (t) => [uniqueIndex('assessments_project_member_idx').on(t.projectId, t.memberSub)])

/** The council's verdict (anbefalingsbrev). At most one per baseline. */
export const letters = pgTable('letters', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull().references(() => projects.id),
  baselineVersion: integer('baseline_version').notNull(),
  statement: text('statement').notNull(),
  riskProfile: text('risk_profile').$type<RiskProfile>().notNull(),
  recommendations: jsonb('recommendations').$type<Recommendation[]>().notNull(),
  externalReviewRecommended: boolean('external_review_recommended').notNull(),
  issuedBy: text('issued_by').notNull(),
  /** The token's name of the secretariat's caseworker who issued it, when the token had one. */
  issuedByName: text('issued_by_name'),
  issuedAt: instant('issued_at').notNull().defaultNow()
}, (t) => [uniqueIndex('letters_project_baseline_idx').on(t.projectId, t.baselineVersion)])

export const responses = pgTable('responses', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull().unique().references(() => projects.id),
  text: text('text').notNull(),
  respondedBy: text('responded_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
})

/**
 * A half-yearly status report: the project's forecast and its own lights, the deviation from the
 * approved baseline and the lights the policy indicates (computed when reported or corrected),
 * and the council's judgement. Corrected in place (version + 1) until judged; never deleted.
 * Reports from before v1.1 have no figures: forecast, deviation and indicated lights are null.
 */
export const statusReports = pgTable('status_reports', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull().references(() => projects.id),
  period: text('period').notNull(),
  /** The project's council and reference (both fixed for its life), so that the portfolio reads a half-year's red reports in reference order. */
  council: text('council').$type<CouncilCode>().notNull(),
  projectReference: text('project_reference').notNull(),
  forecastCostDkk: bigint('forecast_cost_dkk', { mode: 'number' }),
  forecastEndDate: date('forecast_end_date', { mode: 'string' }),
  forecastFinancialBenefitsDkk: bigint('forecast_financial_benefits_dkk', { mode: 'number' }),
  cost: text('cost').$type<TrafficLight>().notNull(),
  schedule: text('schedule').$type<TrafficLight>().notNull(),
  financialBenefits: text('financial_benefits').$type<TrafficLight>().notNull(),
  nonFinancialBenefits: text('non_financial_benefits').$type<TrafficLight>(),
  /** The worst of the project's own lights. */
  ownOverall: text('own_overall').$type<TrafficLight>().notNull(),
  /** The approved baseline version the deviation was measured against. */
  baselineVersion: integer('baseline_version'),
  deviation: jsonb('deviation').$type<Deviation>(),
  indicatedLights: jsonb('indicated_lights').$type<IndicatedLights>(),
  comment: text('comment').notNull(),
  reportedBy: text('reported_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
  updatedAt: instant('updated_at').notNull().defaultNow(),
  /** The council's overall light: its judgement of the report, once; null until judged. */
  overall: text('overall').$type<TrafficLight>(),
  judgementComment: text('judgement_comment'),
  judgedBy: text('judged_by'),
  judgedByName: text('judged_by_name'),
  judgedAt: instant('judged_at')
}, (t) => [
  uniqueIndex('status_reports_project_period_idx').on(t.projectId, t.period),
  // The portfolio's red rows of a half-year, in reference order: the council's judgement, else the project's own.
  index('status_reports_red_idx').on(t.period, t.council, t.projectReference).where(sql`coalesce(overall, own_overall) = 'red'`)
])

/** The council's decision after a red judgement (API.md v1.1, "Red means a decision"). */
export const followUpDecisions = pgTable('follow_up_decisions', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull().references(() => projects.id),
  /** The red-judged report the decision answers; one decision per report. */
  statusReportId: uuid('status_report_id').notNull().unique().references(() => statusReports.id),
  track: text('track').$type<FollowUpTrack>().notNull(),
  note: text('note').notNull(),
  decidedBy: text('decided_by').notNull(),
  decidedByName: text('decided_by_name'),
  decidedAt: instant('decided_at').notNull().defaultNow()
}, (t) => [index('follow_up_decisions_project_idx').on(t.projectId)])

/** What a closed project reports of its realised benefits: at most two, within a year of completion. */
export const benefitReports = pgTable('benefit_reports', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull().references(() => projects.id),
  /** 1 or 2: the unique index holds the limit of two when two arrive at once. */
  number: integer('number').notNull(),
  reportedOn: date('reported_on', { mode: 'string' }).notNull(),
  realisedFinancialBenefitsDkk: bigint('realised_financial_benefits_dkk', { mode: 'number' }).notNull(),
  note: text('note').notNull(),
  reportedBy: text('reported_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
}, (t) => [uniqueIndex('benefit_reports_project_number_idx').on(t.projectId, t.number)])
