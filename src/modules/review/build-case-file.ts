import { hasRole, type Caller } from '../../auth/caller.ts'
import type { Database } from '../../db/client.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { ProjectRepository } from '../../repositories/projects.ts'
import { DocumentRepository } from '../../repositories/documents.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import type { CaseFile } from '../../schemas/review.ts'
import { projectEvents } from '../audit/cloud-event.ts'
import { toDocument } from '../documents/representation.ts'
import { isOwner } from '../projects/access.ts'
import { representProject } from '../projects/representation.ts'
import { eventsFor, mayReadAssessments } from './access.ts'
import { toAssessment, toAssignment, toBaseline, toConflictSummary, toLetter, toResponse, toStatusReport } from './representation.ts'

/**
 * The whole case as one document, for access requests (aktindsigt) and journalising. It is read
 * in one repeatable-read, read-only transaction, so its parts agree with each other (no letter
 * without the event that issued it) even while the case moves on.
 */
export async function buildCaseFile (database: Database, caller: Caller, projectId: string): Promise<CaseFile> {
  return database.transaction(async (tx) => {
    const projects = new ProjectRepository(tx, caller)
    const project = await projects.get(projectId)
    if (!hasRole(caller, 'secretariat') && !isOwner(caller, project)) {
      throw new AppError('FORBIDDEN', msg('caseFileRestricted'))
    }
    // Everyone who may read the case file may today read its assessments; the shared rule still
    // decides, so that the case file cannot hand out what the assessments list refuses.
    const readsAssessments = await mayReadAssessments(tx, caller, project)
    const review = new ReviewRepository(tx)
    const assignmentRows = await review.assignments(project.id)
    const active = new Set(assignmentRows.filter((a) => a.endedAt === null).map((a) => a.memberSub))
    const letter = await review.latestLetter(project.id)
    const response = await review.response(project.id)
    return {
      project: await representProject(tx, project),
      baselines: (await projects.baselines(project.id)).map(toBaseline),
      assignments: assignmentRows.map(toAssignment),
      conflicts: (await review.conflicts(project.id)).map(toConflictSummary),
      assessments: readsAssessments ? (await review.assessments(project.id)).map((row) => toAssessment(row, active)) : [],
      letter: letter ? toLetter(letter) : null,
      response: response ? toResponse(response) : null,
      statusReports: (await review.statusReports(project.id)).map(toStatusReport),
      documents: (await new DocumentRepository(tx).list(project.id)).map(toDocument),
      events: await eventsFor(tx, caller, project, await projectEvents(tx, project.id)),
      generatedAt: new Date().toISOString()
    }
  }, { isolationLevel: 'repeatable read', accessMode: 'read only' })
}
