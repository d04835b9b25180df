import { hasRole, type Caller } from '../../auth/caller.ts'
import type { CloudEvent } from '../../schemas/event.ts'
import { isOwner, type Project } from '../projects/access.ts'

/** The audit event that carries an assessment (scores, proposed profile): shown only to those who may read assessments. */
export const ASSESSMENT_EVENT = 'itraad.assessment.submitted'

/**
 * The one rule for who may read a project's risk assessments, wherever they leave the service:
 * the assessments list, the project's history and its case file. The contract: the owning
 * organisation, the council's secretariat, the assigned members and admins. Until membership
 * directories exist every council member counts (the role, not the assignment). A participating
 * region that does not own the project and integrations may not: they see the letter, not the
 * council's working papers. The feed, SSE and webhooks are separate channels and unaffected.
 */
export function mayReadAssessments (caller: Caller, project: Pick<Project, 'ownerOrg'>): boolean {
  return hasRole(caller, 'council_member', 'secretariat', 'admin') || isOwner(caller, project)
}

/**
 * The events the caller may see of a project's history: all of them, or all but the assessment
 * events. The events shown are passed through as they are (same objects, same bytes).
 */
export function eventsFor (caller: Caller, project: Pick<Project, 'ownerOrg'>, events: CloudEvent[]): CloudEvent[] {
  return mayReadAssessments(caller, project) ? events : events.filter((e) => e.type !== ASSESSMENT_EVENT)
}
