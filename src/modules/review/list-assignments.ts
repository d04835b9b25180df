import { z } from 'zod'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import type { Assignment } from '../../schemas/review.ts'
import { decodeCursor, toPage, type Page } from '../pagination.ts'
import { findVisibleProject } from '../projects/access.ts'
import { toAssignment } from './representation.ts'

const IdPosition = z.object({ id: z.uuid() })

/** A project's assignments, ended ones included, oldest first; anyone who can see the project may list them. */
export async function listAssignments (db: Db, caller: Caller, projectId: string, opts: { limit: number, cursor?: string | undefined }): Promise<Page<Assignment>> {
  const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor, IdPosition).id
  const project = await findVisibleProject(db, caller, projectId)
  const rows = await new ReviewRepository(db).assignments(project.id, { after, limit: opts.limit })
  return toPage(rows, opts.limit, toAssignment, (r) => ({ id: r.id }))
}
