import { asc, desc, eq } from 'drizzle-orm'
import { hasRole, type Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { assessments, assignments, conflicts, projectBaselines, responses, statusReports } from '../../db/schema/index.ts'
import { AppError } from '../../errors.ts'
import type { CaseFile } from '../../schemas/review.ts'
import { projectEvents } from '../audit/cloud-event.ts'
import { findVisibleProject, isOwner } from '../projects/access.ts'
import { representProject } from '../projects/representation.ts'
import { latestLetter } from './get-letter.ts'
import { toAssessment, toAssignment, toBaseline, toConflict, toResponse, toStatusReport } from './representation.ts'

/**
 * The whole case as one document, for access requests (aktindsigt) and journalising. It is read
 * in one repeatable-read, read-only transaction, so its parts agree with each other (no letter
 * without the event that issued it) even while the case moves on.
 */
export async function buildCaseFile (db: Db, caller: Caller, projectId: string): Promise<CaseFile> {
  return db.transaction(async (tx) => {
    const project = await findVisibleProject(tx, caller, projectId)
    if (!hasRole(caller, 'secretariat') && !isOwner(caller, project)) {
      throw new AppError('FORBIDDEN', 'only the secretariat and the organisation that owns the project may read its case file')
    }
    const baselineRows = await tx.select().from(projectBaselines).where(eq(projectBaselines.projectId, project.id)).orderBy(asc(projectBaselines.version))
    const assignmentRows = await tx.select().from(assignments).where(eq(assignments.projectId, project.id)).orderBy(asc(assignments.assignedAt), asc(assignments.id))
    const conflictRows = await tx.select().from(conflicts).where(eq(conflicts.projectId, project.id)).orderBy(asc(conflicts.declaredAt), asc(conflicts.id))
    const assessmentRows = await tx.select().from(assessments).where(eq(assessments.projectId, project.id)).orderBy(asc(assessments.createdAt), asc(assessments.id))
    const [responseRow] = await tx.select().from(responses).where(eq(responses.projectId, project.id)).limit(1)
    const reportRows = await tx.select().from(statusReports).where(eq(statusReports.projectId, project.id)).orderBy(desc(statusReports.period))
    const active = new Set(assignmentRows.filter((a) => a.endedAt === null).map((a) => a.memberSub))
    return {
      project: await representProject(tx, project),
      baselines: baselineRows.map(toBaseline),
      assignments: assignmentRows.map(toAssignment),
      conflicts: conflictRows.map(toConflict),
      assessments: assessmentRows.map((row) => toAssessment(row, active)),
      letter: await latestLetter(tx, project.id),
      response: responseRow ? toResponse(responseRow) : null,
      statusReports: reportRows.map(toStatusReport),
      events: await projectEvents(tx, project.id),
      generatedAt: new Date().toISOString()
    }
  }, { isolationLevel: 'repeatable read', accessMode: 'read only' })
}
