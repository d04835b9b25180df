import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import type { Letter } from '../../schemas/review.ts'
import { findVisibleProject } from '../projects/access.ts'
import { toLetter } from './representation.ts'

/** The project's letter (the latest baseline's, should there ever be more than one), or 404. Anyone who can see the project may read it. */
export async function getLetter (db: Db, caller: Caller, projectId: string): Promise<Letter> {
  const project = await findVisibleProject(db, caller, projectId)
  const letter = await new ReviewRepository(db).latestLetter(project.id)
  if (!letter) throw new AppError('NOT_FOUND', msg('noLetter'))
  return toLetter(letter)
}
