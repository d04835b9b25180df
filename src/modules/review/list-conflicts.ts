import { hasRole, type Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import type { Conflict } from '../../schemas/review.ts'
import { findVisibleProject } from '../projects/access.ts'
import { toConflict } from './representation.ts'

/**
 * A project's declarations of disqualification, oldest first: all of them for the council's
 * secretariat, their own for a council member (API.md v1.1: the statement reaches only the
 * secretariat and the declaring member). A project has few; they come in one list.
 */
export async function listConflicts (db: Db, caller: Caller, projectId: string): Promise<{ items: Conflict[] }> {
  const project = await findVisibleProject(db, caller, projectId)
  const review = new ReviewRepository(db)
  if (hasRole(caller, 'secretariat')) return { items: (await review.conflicts(project.id)).map(toConflict) }
  if (hasRole(caller, 'council_member')) return { items: (await review.conflicts(project.id, caller.sub)).map(toConflict) }
  throw new AppError('FORBIDDEN', msg('conflictsRestricted'))
}
