import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import type { ProjectResource } from '../../schemas/project.ts'
import { projectEvents } from '../audit/cloud-event.ts'
import type { CloudEvent } from '../../schemas/event.ts'
import { eventsFor } from '../review/access.ts'
import { findVisibleProject } from './access.ts'
import { representProject } from './representation.ts'

/** GET /v1/projects/{id}: the project, if the caller may see it (404 otherwise). */
export async function getProject (db: Db, caller: Caller, id: string): Promise<ProjectResource> {
  return representProject(db, await findVisibleProject(db, caller, id))
}

/**
 * GET /v1/projects/{id}/history: its audit events, oldest first, after the visibility check.
 * `itraad.assessment.submitted` events carry an assessment's scores and proposed profile, so a
 * caller who may not read assessments (`mayReadAssessments`) does not get them; the others are unchanged.
 */
export async function projectHistory (db: Db, caller: Caller, id: string): Promise<CloudEvent[]> {
  const project = await findVisibleProject(db, caller, id)
  return eventsFor(db, caller, project, await projectEvents(db, project.id))
}
