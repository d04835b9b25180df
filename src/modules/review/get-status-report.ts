import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { notFound } from '../../errors.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import type { StatusReport } from '../../schemas/review.ts'
import { findVisibleProject } from '../projects/access.ts'
import { toStatusReport } from './representation.ts'
import { requireFollowUpReader } from './access.ts'

/** One status report of a project the caller can see, by its period. */
export async function getStatusReport (db: Db, caller: Caller, projectId: string, period: string): Promise<StatusReport> {
  const project = await findVisibleProject(db, caller, projectId)
  await requireFollowUpReader(db, caller, project)
  const row = await new ReviewRepository(db).statusReport(project.id, period)
  if (row === undefined) throw notFound('status report')
  return toStatusReport(row)
}
