import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import { hasRole, type Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { assessments, assignments } from '../../db/schema/index.ts'
import type { Tx } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import type { Assessment } from '../../schemas/review.ts'
import { decodeCursor, toPage, type Page } from '../pagination.ts'
import { findVisibleProject, isOwner } from '../projects/access.ts'
import { toAssessment } from './representation.ts'

const IdPosition = z.object({ id: z.uuid() })

/**
 * A project's risk assessments, oldest first. The council's working papers: council members, the
 * secretariat and admins read them, and the owning organisation (they are part of its case file).
 * A participating region that does not own the project sees the letter, not the working papers (403).
 */
export async function listAssessments (db: Db, caller: Caller, projectId: string, opts: { limit: number, cursor?: string | undefined }): Promise<Page<Assessment>> {
  const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor, IdPosition).id
  const project = await findVisibleProject(db, caller, projectId)
  if (!hasRole(caller, 'council_member', 'secretariat', 'admin') && !isOwner(caller, project)) {
    throw new AppError('FORBIDDEN', 'only the organisation that owns the project may read its risk assessments')
  }
  const rows = await db.select().from(assessments)
    .where(and(
      eq(assessments.projectId, project.id),
      after === undefined
        ? undefined
        : sql`(${assessments.createdAt}, ${assessments.id}) > (select c.created_at, c.id from assessments c where c.id = ${after} and c.project_id = ${project.id})`
    ))
    .orderBy(asc(assessments.createdAt), asc(assessments.id))
    .limit(opts.limit + 1)
  const active = await activeMembers(db, project.id)
  return toPage(rows, opts.limit, (row) => toAssessment(row, active), (r) => ({ id: r.id }))
}

/** The subjects of a project's active (not ended) assignments. */
export async function activeMembers (db: Db | Tx, projectId: string): Promise<Set<string>> {
  const rows = await db.select({ memberSub: assignments.memberSub }).from(assignments)
    .where(and(eq(assignments.projectId, projectId), isNull(assignments.endedAt)))
  return new Set(rows.map((r) => r.memberSub))
}
