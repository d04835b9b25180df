import { desc, eq } from 'drizzle-orm'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import type { Tx } from '../../db/unit-of-work.ts'
import { letters } from '../../db/schema/index.ts'
import { AppError } from '../../errors.ts'
import type { Letter } from '../../schemas/review.ts'
import { findVisibleProject } from '../projects/access.ts'
import { toLetter } from './representation.ts'

/** The project's letter (the latest baseline's, should there ever be more than one), or 404. Anyone who can see the project may read it. */
export async function getLetter (db: Db, caller: Caller, projectId: string): Promise<Letter> {
  const project = await findVisibleProject(db, caller, projectId)
  const letter = await latestLetter(db, project.id)
  if (!letter) throw new AppError('NOT_FOUND', 'no recommendation letter has been issued for this project')
  return letter
}

export async function latestLetter (db: Db | Tx, projectId: string): Promise<Letter | null> {
  const [row] = await db.select().from(letters).where(eq(letters.projectId, projectId))
    .orderBy(desc(letters.baselineVersion)).limit(1)
  return row ? toLetter(row) : null
}
