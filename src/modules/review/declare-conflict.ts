import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { Conflict } from '../../schemas/review.ts'
import { ReviewRepository } from '../../repositories/review.ts'
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

    const review = new ReviewRepository(tx)
    if (await review.hasDeclaredConflict(project.id, caller.sub)) throw new AppError('DUPLICATE', msg('alreadyDeclared', { reference: project.reference }))

    const row = await review.insertConflict({
      id: randomUUID(),
      projectId: project.id,
      memberSub: caller.sub,
      memberOrg: caller.org,
      ground: input.ground,
      statement: input.statement
    })
    const endedAssignmentId = await review.endAssignment(project.id, caller.sub, 'disqualified')
    await moveProject(tx, caller, project, to)

    audit.append({
      type: 'itraad.review.conflict_declared',
      subject: subjectOf(project.id),
      projectId: project.id,
      data: {
        reference: project.reference,
        description: `Rådsmedlem ${caller.sub} (${caller.org}) har erklæret sig inhabil i projekt ${project.reference}.`,
        conflictId: row.id,
        memberSub: caller.sub,
        memberOrg: caller.org,
        ground: input.ground,
        endedAssignmentId
      }
    })
    return toConflict(row)
  }), msg('alreadyDeclaredHere'))
}
