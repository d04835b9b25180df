import { hasRole, type Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import type { CloudEvent } from '../../schemas/event.ts'
import { isOwner, type Project } from '../projects/access.ts'

/** The audit event that carries an assessment (scores, proposed profile): shown only to those who may read assessments. */
export const ASSESSMENT_EVENT = 'itraad.assessment.submitted'

/**
 * The one rule for who may read a project's risk assessments, wherever they leave the service:
 * the assessments list, the project's history and its case file. The contract (API.md v1.1, "Who
 * reads what"): the owning organisation, the council's secretariat, the members assigned to the
 * review (an active assignment) and admins. A participating region that does not own the project,
 * another council member and integrations may not: they see the letter, not the council's working
 * papers. The feed, SSE and webhooks are separate channels and unaffected.
 */
export async function mayReadAssessments (db: Db, caller: Caller, project: Pick<Project, 'id' | 'ownerOrg'>): Promise<boolean> {
  if (hasRole(caller, 'secretariat', 'admin') || isOwner(caller, project)) return true
  return hasRole(caller, 'council_member') && await new ReviewRepository(db).activeAssignment(project.id, caller.sub) !== undefined
}

/**
 * A project's documents have the assessments' readers (API.md v1.1, "Who reads what": the owner,
 * the council's secretariat, the assigned members and admins): the 403 for anyone else.
 */
export async function requireDocumentReader (db: Db, caller: Caller, project: Pick<Project, 'id' | 'ownerOrg'>): Promise<void> {
  if (!await mayReadAssessments(db, caller, project)) throw new AppError('FORBIDDEN', msg('documentsRestricted'))
}

/**
 * Who reads what follows the letter — the response, status reports and benefit reports (API.md
 * v1.1, "Who reads what"): the owner and the participating regions (the submitters who see the
 * project), the council's secretariat, the members assigned to the review and admins. The route
 * admits the roles; this adds the assignment for council members.
 */
export async function mayReadFollowUp (db: Db, caller: Caller, project: Pick<Project, 'id'>): Promise<boolean> {
  if (hasRole(caller, 'submitter', 'secretariat', 'admin')) return true
  return hasRole(caller, 'council_member') && await new ReviewRepository(db).activeAssignment(project.id, caller.sub) !== undefined
}

/** The 403 for a caller `mayReadFollowUp` refuses, or nothing. */
export async function requireFollowUpReader (db: Db, caller: Caller, project: Pick<Project, 'id'>): Promise<void> {
  if (!await mayReadFollowUp(db, caller, project)) throw new AppError('FORBIDDEN', msg('followUpRestricted'))
}

/**
 * The events the caller may see of a project's history: all of them, or all but the assessment
 * events. The events shown are passed through as they are (same objects, same bytes).
 */
export async function eventsFor (db: Db, caller: Caller, project: Pick<Project, 'id' | 'ownerOrg'>, events: CloudEvent[]): Promise<CloudEvent[]> {
  return await mayReadAssessments(db, caller, project) ? events : events.filter((e) => e.type !== ASSESSMENT_EVENT)
}
