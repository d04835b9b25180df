import { sql } from 'drizzle-orm'
import { bigint, boolean, date, index, integer, jsonb, pgSequence, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core'
import type { CouncilCode, ProjectKind } from '../../domain/councils.ts'
import type { BudgetLine, GateEvaluation } from '../../domain/gate.ts'
import type { ProjectStatus } from '../../domain/lifecycle.ts'
import { instant, timestamps } from './columns.ts'

export interface Contact { name: string, email: string }

/** The owner's closure of the project (API.md v1.1, "Closure and benefits"). */
export interface Closure { completedOn: string, finalCostDkk: number, note: string, closedAt: string }

export const FOLLOW_UP_TRACKS = ['back_to_plan', 'new_baseline', 'close_project'] as const
export type FollowUpTrack = (typeof FOLLOW_UP_TRACKS)[number]

/** What the project expects to gain (API.md v1.1, "Expected benefits"). */
export interface ExpectedBenefits { financialDkk: number, description: string }

/**
 * The version the council has approved to follow the project against: the letter's, or a later
 * one the secretariat approves. Status reports measure their deviation from it.
 */
export interface ApprovedBaseline {
  version: number
  /** Copenhagen date of the approval (the letter's date for the letter's baseline). */
  approvedOn: string
  eligibleCostDkk: number
  totalCostDkk: number
  plannedEnd: string
  expectedFinancialBenefitsDkk: number | null
}

export const projects = pgTable('projects', {
  id: uuid('id').primaryKey(),
  reference: text('reference').notNull().unique(),
  ownerOrg: text('owner_org').notNull(),
  /** The owner organisation's council, fixed at submission. */
  council: text('council').$type<CouncilCode>().notNull(),
  kind: text('kind').$type<ProjectKind>().notNull(),
  status: text('status').$type<ProjectStatus>().notNull(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  participatingRegions: text('participating_regions').array().notNull(),
  phase: text('phase').notNull(),
  budgetLines: jsonb('budget_lines').$type<BudgetLine[]>().notNull(),
  plannedStart: date('planned_start', { mode: 'string' }).notNull(),
  plannedEnd: date('planned_end', { mode: 'string' }).notNull(),
  contact: jsonb('contact').$type<Contact>().notNull(),
  expectedBenefits: jsonb('expected_benefits').$type<ExpectedBenefits | null>(),
  reviewRequested: boolean('review_requested').notNull(),
  eligibleCostDkk: bigint('eligible_cost_dkk', { mode: 'number' }).notNull(),
  totalCostDkk: bigint('total_cost_dkk', { mode: 'number' }).notNull(),
  reviewRequired: boolean('review_required').notNull(),
  gating: jsonb('gating').$type<GateEvaluation>().notNull(),
  /** Copenhagen date of submission; the working-day deadline counts from it. */
  submittedOn: date('submitted_on', { mode: 'string' }).notNull(),
  assessmentDueOn: date('assessment_due_on', { mode: 'string' }),
  version: integer('version').notNull(),
  approvedBaseline: jsonb('approved_baseline').$type<ApprovedBaseline | null>(),
  /** The council's latest follow-up decision after a red judgement. */
  followUpTrack: text('follow_up_track').$type<FollowUpTrack | null>(),
  closure: jsonb('closure').$type<Closure | null>(),
  ...timestamps
}, (t) => [
  // Keyset pagination, newest first: (created_at, id) is unique and stable.
  index('projects_created_idx').on(t.createdAt.desc(), t.id.desc()),
  index('projects_owner_created_idx').on(t.ownerOrg, t.createdAt.desc(), t.id.desc()),
  index('projects_status_created_idx').on(t.status, t.createdAt.desc(), t.id.desc()),
  index('projects_regions_idx').using('gin', t.participatingRegions),
  index('projects_due_idx').on(t.assessmentDueOn).where(sql`status in ('awaiting_assessment', 'under_assessment')`),
  // The portfolio's projects (those with a letter) of a council, by reference.
  index('projects_followed_idx').on(t.council, t.reference).where(sql`approved_baseline is not null`)
])

/**
 * Every accepted version of a project: what was submitted and how the gate judged it.
 * A PATCH is a new baseline; old ones are never changed.
 */
export const projectBaselines = pgTable('project_baselines', {
  projectId: uuid('project_id').notNull().references(() => projects.id),
  version: integer('version').notNull(),
  content: jsonb('content').$type<Record<string, unknown>>().notNull(),
  gating: jsonb('gating').$type<GateEvaluation>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
}, (t) => [primaryKey({ columns: [t.projectId, t.version] })])

/** Idempotency-Key records (API.md: same key + org + body within 24 h → the original response). */
export const idempotencyKeys = pgTable('idempotency_keys', {
  org: text('org').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  statusCode: integer('status_code'),
  responseBody: jsonb('response_body'),
  responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
  createdAt: instant('created_at').notNull().defaultNow()
}, (t) => [primaryKey({ columns: [t.org, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)])

/**
 * Running number of `ITR-YYYY-NNNN` references (Regionernes It-råd). A sequence, not a counter row: a counter row
 * would be locked by every submission until it commits (DESIGN.md guarantee 4). Numbers are
 * unique but may have gaps after rolled-back submissions.
 */
export const projectReferenceSeq = pgSequence('project_reference_seq')
/** The state council's number series (`SIR-YYYY-NNNN`); the regional one is project_reference_seq. */
export const stateReferenceSeq = pgSequence('state_reference_seq')
