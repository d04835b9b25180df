import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import type { RiskDimension, RiskProfile, TrafficLight } from '../../domain/risk.ts'
import { instant } from './columns.ts'
import { projects } from './projects.ts'

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

export const statusReports = pgTable('status_reports', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull().references(() => projects.id),
  period: text('period').notNull(),
  cost: text('cost').$type<TrafficLight>().notNull(),
  schedule: text('schedule').$type<TrafficLight>().notNull(),
  financialBenefits: text('financial_benefits').$type<TrafficLight>().notNull(),
  nonFinancialBenefits: text('non_financial_benefits').$type<TrafficLight>(),
  overall: text('overall').$type<TrafficLight>().notNull(),
  comment: text('comment').notNull(),
  reportedBy: text('reported_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
}, (t) => [uniqueIndex('status_reports_project_period_idx').on(t.projectId, t.period)])
