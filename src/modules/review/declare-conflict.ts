import { randomUUID } from 'node:crypto'
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Caller } from '../../auth/caller.ts'
import { assignments, conflicts } from '../../db/schema/index.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import type { Conflict } from '../../schemas/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { duplicateAs409, moveProject, subjectOf } from './common.ts'
import { toConflict } from './representation.ts'

export interface DeclareConflictInput {
  ground: string
  statement: string
}

/**
 * A council member declares disqualification (inhabilitet, forvaltningsloven §3 and §6) on a
 * project, whether assigned to it yet or not. The member's active assignment ends (reason
 * `disqualified`): the member no longer counts toward the two, cannot assess the project, and an
 * assessment already given stops counting toward the letter. The secretariat may then assign a
 * replacement. One declaration per member and project.
 */
export async function declareConflict (uow: UnitOfWork, caller: Caller, projectId: string, input: DeclareConflictInput): Promise<Conflict> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    const to = requireTransition(project, 'declare_conflict')

    const [existing] = await tx.select({ id: conflicts.id }).from(conflicts)
      .where(and(eq(conflicts.projectId, project.id), eq(conflicts.memberSub, caller.sub))).limit(1)
    if (existing) throw new AppError('DUPLICATE', `you have already declared disqualification on ${project.reference}`)

    const [row] = await tx.insert(conflicts).values({
      id: randomUUID(),
      projectId: project.id,
      memberSub: caller.sub,
      memberOrg: caller.org,
      ground: input.ground,
      statement: input.statement
    }).returning()
    const ended = await tx.update(assignments)
      .set({ endedAt: sql`now()`, endedReason: 'disqualified' })
      .where(and(eq(assignments.projectId, project.id), eq(assignments.memberSub, caller.sub), isNull(assignments.endedAt)))
      .returning({ id: assignments.id })
    await moveProject(tx, project, to)

    audit.append({
      type: 'itraad.review.conflict_declared',
      subject: subjectOf(project.id),
      projectId: project.id,
      data: {
        reference: project.reference,
        description: `Rådsmedlem ${caller.sub} (${caller.org}) har erklæret sig inhabil i projekt ${project.reference}.`,
        conflictId: row!.id,
        memberSub: caller.sub,
        memberOrg: caller.org,
        ground: input.ground,
        endedAssignmentId: ended[0]?.id ?? null
      }
    })
    return toConflict(row!)
  }), 'you have already declared disqualification on this project')
}
