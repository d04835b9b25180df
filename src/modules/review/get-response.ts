import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { notFound } from '../../errors.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import type { Response } from '../../schemas/review.ts'
import { findVisibleProject } from '../projects/access.ts'
import { toResponse } from './representation.ts'
import { requireFollowUpReader } from './access.ts'

/**
 * GET /v1/projects/{id}/response: the project's answer to its letter, for everyone who may see the
 * project among the roles the route admits (owner, participating regions, council members, the
 * secretariat, admins); 404 until the project has answered.
 */
export async function getResponse (db: Db, caller: Caller, projectId: string): Promise<Response> {
  const project = await findVisibleProject(db, caller, projectId)
  await requireFollowUpReader(db, caller, project)
  const row = await new ReviewRepository(db).response(project.id)
  if (!row) throw notFound('response')
  return toResponse(row)
}
