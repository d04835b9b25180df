import { and, asc, desc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm'
import { prepared, type Db } from '../db/client.ts'
import { assessments, assignments, benefitReports, conflicts, followUpDecisions, letters, responses, statusReports, type ConflictDecision } from '../db/schema/index.ts'
import type { RiskProfile, TrafficLight } from '../domain/risk.ts'

export type AssignmentRow = typeof assignments.$inferSelect
export type ConflictRow = typeof conflicts.$inferSelect
export type AssessmentRow = typeof assessments.$inferSelect
export type LetterRow = typeof letters.$inferSelect
export type ResponseRow = typeof responses.$inferSelect
export type StatusReportRow = typeof statusReports.$inferSelect
export type FollowUpDecisionRow = typeof followUpDecisions.$inferSelect
export type BenefitReportRow = typeof benefitReports.$inferSelect

/**
 * The review of one project and what follows it: assignments, conflict declarations, risk
 * assessments, letters, the response and status reports. Not scoped by caller: every use case
 * first reads the project through ProjectRepository (which is), and passes its id here.
 */
export class ReviewRepository {
  readonly #db: Db

  constructor (db: Db) {
    this.#db = db
  }

  /** Assignments of a project (ended ones too), oldest first, after the one with id `after`. */
  async assignments (projectId: string, page?: { after?: string | undefined, limit: number }): Promise<AssignmentRow[]> {
    const query = this.#db.select().from(assignments)
      .where(and(
        eq(assignments.projectId, projectId),
        page?.after === undefined
          ? undefined
          : sql`(${assignments.assignedAt}, ${assignments.id}) > (select c.assigned_at, c.id from assignments c where c.id = ${page.after} and c.project_id = ${projectId})`
      ))
      .orderBy(asc(assignments.assignedAt), asc(assignments.id))
    return page === undefined ? query : query.limit(page.limit + 1)
  }

  /** The subjects of a project's active (not ended) assignments, oldest first. */
  async activeMembers (projectId: string): Promise<string[]> {
    const rows = await this.#db.select({ memberSub: assignments.memberSub }).from(assignments)
      .where(and(eq(assignments.projectId, projectId), isNull(assignments.endedAt)))
      .orderBy(asc(assignments.assignedAt))
    return rows.map((r) => r.memberSub)
  }

  /** The member's active (not ended) assignment on the project, if any: who the secretariat assigned, and as which organisation. */
  async activeAssignment (projectId: string, memberSub: string): Promise<Pick<AssignmentRow, 'id' | 'memberSub' | 'memberOrg'> | undefined> {
    const [row] = await this.#db.select({ id: assignments.id, memberSub: assignments.memberSub, memberOrg: assignments.memberOrg }).from(assignments)
      .where(and(eq(assignments.projectId, projectId), eq(assignments.memberSub, memberSub), isNull(assignments.endedAt))).limit(1)
    return row
  }

  async insertAssignment (row: typeof assignments.$inferInsert): Promise<AssignmentRow> {
    const [inserted] = await this.#db.insert(assignments).values(row).returning()
    return inserted!
  }

  /** Ends the member's active assignment on the project; returns its id, if there was one. */
  async endAssignment (projectId: string, memberSub: string, reason: string): Promise<string | null> {
    const ended = await this.#db.update(assignments)
      .set({ endedAt: sql`now()`, endedReason: reason })
      .where(and(eq(assignments.projectId, projectId), eq(assignments.memberSub, memberSub), isNull(assignments.endedAt)))
      .returning({ id: assignments.id })
    return ended[0]?.id ?? null
  }

  /** The member's declaration on the project, if any (one per member and project). */
  async conflictOf (projectId: string, memberSub: string): Promise<ConflictRow | undefined> {
    const [row] = await this.#db.select().from(conflicts)
      .where(and(eq(conflicts.projectId, projectId), eq(conflicts.memberSub, memberSub))).limit(1)
    return row
  }

  async conflict (projectId: string, conflictId: string): Promise<ConflictRow | undefined> {
    const [row] = await this.#db.select().from(conflicts)
      .where(and(eq(conflicts.projectId, projectId), eq(conflicts.id, conflictId))).limit(1)
    return row
  }

  /** A project's declarations, oldest first; `memberSub` narrows them to one member's. */
  async conflicts (projectId: string, memberSub?: string): Promise<ConflictRow[]> {
    return this.#db.select().from(conflicts)
      .where(and(eq(conflicts.projectId, projectId), memberSub === undefined ? undefined : eq(conflicts.memberSub, memberSub)))
      .orderBy(asc(conflicts.declaredAt), asc(conflicts.id))
  }

  async hasPendingConflict (projectId: string): Promise<boolean> {
    const [row] = await this.#db.select({ id: conflicts.id }).from(conflicts)
      .where(and(eq(conflicts.projectId, projectId), eq(conflicts.decision, 'pending'))).limit(1)
    return row !== undefined
  }

  async insertConflict (row: typeof conflicts.$inferInsert): Promise<ConflictRow> {
    const [inserted] = await this.#db.insert(conflicts).values(row).returning()
    return inserted!
  }

  /** Records the decision on a pending declaration; undefined when it is no longer pending. */
  async decideConflict (conflictId: string, decision: { decision: Exclude<ConflictDecision, 'pending'>, reason: string, decidedBy: string, decidedByName: string | null }): Promise<ConflictRow | undefined> {
    const [row] = await this.#db.update(conflicts)
      .set({ ...decision, decidedAt: sql`now()` })
      .where(and(eq(conflicts.id, conflictId), eq(conflicts.decision, 'pending'))).returning()
    return row
  }

  /** A project's assessments, oldest first, after the one with id `after`. */
  async assessments (projectId: string, page?: { after?: string | undefined, limit: number }): Promise<AssessmentRow[]> {
    const query = this.#db.select().from(assessments)
      .where(and(
        eq(assessments.projectId, projectId),
        page?.after === undefined
          ? undefined
          : sql`(${assessments.createdAt}, ${assessments.id}) > (select c.created_at, c.id from assessments c where c.id = ${page.after} and c.project_id = ${projectId})`
      ))
      .orderBy(asc(assessments.createdAt), asc(assessments.id))
    return page === undefined ? query : query.limit(page.limit + 1)
  }

  /** The subjects who have assessed the project. */
  async assessors (projectId: string): Promise<Set<string>> {
    const rows = await this.#db.select({ memberSub: assessments.memberSub }).from(assessments).where(eq(assessments.projectId, projectId))
    return new Set(rows.map((r) => r.memberSub))
  }

  async insertAssessment (row: typeof assessments.$inferInsert): Promise<AssessmentRow> {
    const [inserted] = await this.#db.insert(assessments).values(row).returning()
    return inserted!
  }

  /** The project's letter (the latest baseline's, should there ever be more than one). */
  async latestLetter (projectId: string): Promise<LetterRow | undefined> {
    const [row] = await this.#db.select().from(letters).where(eq(letters.projectId, projectId))
      .orderBy(desc(letters.baselineVersion)).limit(1)
    return row
  }

  /** The latest letter of each project (a revised project keeps its letter), one query for a whole page. */
  async latestLetters (projectIds: readonly string[]): Promise<Map<string, { riskProfile: RiskProfile, issuedAt: string }>> {
    if (projectIds.length === 0) return new Map()
    // Prepared (every project served asks): any number of ids as one array parameter.
    const rows = await prepared(this.#db, 'latest_letters', (db, name) => db
      .selectDistinctOn([letters.projectId], { projectId: letters.projectId, riskProfile: letters.riskProfile, issuedAt: letters.issuedAt })
      .from(letters)
      .where(sql`${letters.projectId} = any(${sql.placeholder('ids')}::uuid[])`)
      .orderBy(letters.projectId, desc(letters.issuedAt))
      .prepare(name)).execute({ ids: [...projectIds] })
    return new Map(rows.map((r) => [r.projectId, { riskProfile: r.riskProfile, issuedAt: r.issuedAt }]))
  }

  async hasLetterFor (projectId: string, baselineVersion: number): Promise<boolean> {
    const [row] = await this.#db.select({ id: letters.id }).from(letters)
      .where(and(eq(letters.projectId, projectId), eq(letters.baselineVersion, baselineVersion))).limit(1)
    return row !== undefined
  }

  async insertLetter (row: typeof letters.$inferInsert): Promise<LetterRow> {
    const [inserted] = await this.#db.insert(letters).values(row).returning()
    return inserted!
  }

  async response (projectId: string): Promise<ResponseRow | undefined> {
    const [row] = await this.#db.select().from(responses).where(eq(responses.projectId, projectId)).limit(1)
    return row
  }

  async insertResponse (row: typeof responses.$inferInsert): Promise<ResponseRow> {
    const [inserted] = await this.#db.insert(responses).values(row).returning()
    return inserted!
  }

  /** A project's status reports, newest period first (periods sort as text), before `before`. */
  async statusReports (projectId: string, page?: { before?: string | undefined, limit: number }): Promise<StatusReportRow[]> {
    const query = this.#db.select().from(statusReports)
      .where(and(eq(statusReports.projectId, projectId), page?.before === undefined ? undefined : lt(statusReports.period, page.before)))
      .orderBy(desc(statusReports.period))
    return page === undefined ? query : query.limit(page.limit + 1)
  }

  async statusReport (projectId: string, period: string): Promise<StatusReportRow | undefined> {
    const [row] = await this.#db.select().from(statusReports)
      .where(and(eq(statusReports.projectId, projectId), eq(statusReports.period, period))).limit(1)
    return row
  }

  async insertStatusReport (row: typeof statusReports.$inferInsert): Promise<StatusReportRow> {
    const [inserted] = await this.#db.insert(statusReports).values(row).returning()
    return inserted!
  }

  /** Replaces a report still at `version` and not judged; undefined when it is not. */
  async correctStatusReport (id: string, version: number, values: Partial<typeof statusReports.$inferInsert>): Promise<StatusReportRow | undefined> {
    const [row] = await this.#db.update(statusReports)
      .set({ ...values, version: sql`${statusReports.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(statusReports.id, id), eq(statusReports.version, version), isNull(statusReports.overall))).returning()
    return row
  }

  /** Records the council's judgement of a report not yet judged; undefined when it has been. */
  async judgeStatusReport (id: string, judgement: { overall: TrafficLight, judgementComment: string, judgedBy: string, judgedByName: string | null }): Promise<StatusReportRow | undefined> {
    const [row] = await this.#db.update(statusReports)
      .set({ ...judgement, judgedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(statusReports.id, id), isNull(statusReports.overall))).returning()
    return row
  }

  /** The report of the latest period the council has judged, if any. */
  async latestJudgedReport (projectId: string): Promise<StatusReportRow | undefined> {
    const [row] = await this.#db.select().from(statusReports)
      .where(and(eq(statusReports.projectId, projectId), isNotNull(statusReports.overall)))
      .orderBy(desc(statusReports.period)).limit(1)
    return row
  }

  async followUpDecisionFor (statusReportId: string): Promise<FollowUpDecisionRow | undefined> {
    const [row] = await this.#db.select().from(followUpDecisions).where(eq(followUpDecisions.statusReportId, statusReportId)).limit(1)
    return row
  }

  async insertFollowUpDecision (row: typeof followUpDecisions.$inferInsert): Promise<FollowUpDecisionRow> {
    const [inserted] = await this.#db.insert(followUpDecisions).values(row).returning()
    return inserted!
  }

  /** A project's benefit reports, in the order they were made. */
  async benefitReports (projectId: string): Promise<BenefitReportRow[]> {
    return this.#db.select().from(benefitReports).where(eq(benefitReports.projectId, projectId)).orderBy(asc(benefitReports.number))
  }

  async insertBenefitReport (row: typeof benefitReports.$inferInsert): Promise<BenefitReportRow> {
    const [inserted] = await this.#db.insert(benefitReports).values(row).returning()
    return inserted!
  }
}
