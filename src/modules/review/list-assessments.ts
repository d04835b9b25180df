import { z } from 'zod'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import type { Assessment } from '../../schemas/review.ts'
import { decodeCursor, toPage, type Page } from '../pagination.ts'
import { findVisibleProject } from '../projects/access.ts'
import { mayReadAssessments } from './access.ts'
import { toAssessment } from './representation.ts'

const IdPosition = z.object({ id: z.uuid() })

/**
 * A project's risk assessments, oldest first. The council's working papers: the assigned members,
 * the secretariat and admins read them, and the owning organisation (they are part of its case file).
 * A participating region that does not own the project sees the letter, not the working papers (403).
 * The rule is `mayReadAssessments` (./access.ts), shared with the history and the case file.
 */
export async function listAssessments (db: Db, caller: Caller, projectId: string, opts: { limit: number, cursor?: string | undefined }): Promise<Page<Assessment>> {
  const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor, IdPosition).id
  const project = await findVisibleProject(db, caller, projectId)
  if (!await mayReadAssessments(db, caller, project)) {
    throw new AppError('FORBIDDEN', msg('assessmentsOwnerOnly'))
  }
  const review = new ReviewRepository(db)
  const rows = await review.assessments(project.id, { after, limit: opts.limit })
  const active = new Set(await review.activeMembers(project.id))
  return toPage(rows, opts.limit, (row) => toAssessment(row, active), (r) => ({ id: r.id }))
}
