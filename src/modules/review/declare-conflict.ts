import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { Conflict } from '../../schemas/review.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { duplicateAs409, memberNames, moveProject } from './common.ts'
import { toConflict } from './representation.ts'

export interface DeclareConflictInput {
  ground: string
  statement: string
}

/**
 * A council member declares disqualification (inhabilitet, forvaltningsloven §3) on a project of
 * their council, assigned to it or not. The declaration is pending until the secretariat decides
 * it (§6, decideConflict): meanwhile the member keeps their place but cannot assess, and no letter
 * can be issued. One declaration per member and project. The event carries the ground, never the
 * statement: that is for the secretariat and the member only.
 */
export async function declareConflict (uow: UnitOfWork, caller: Caller, projectId: string, input: DeclareConflictInput): Promise<Conflict> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    const to = requireTransition(project, 'declare_conflict')

    const review = new ReviewRepository(tx)
    if (await review.conflictOf(project.id, caller.sub) !== undefined) throw new AppError('DUPLICATE', msg('alreadyDeclared', { reference: project.reference }))

    const names = await memberNames(tx, caller)
    const row = await review.insertConflict({
      id: randomUUID(),
      projectId: project.id,
      memberSub: caller.sub,
      memberOrg: caller.org,
      ...names,
      ground: input.ground,
      statement: input.statement
    })
    await moveProject(tx, caller, project, to)

    audit.append({
      type: 'itraad.review.conflict_declared',
      project,
      data: {
        reference: project.reference,
        description: `Rådsmedlem ${names.memberName} (${names.memberOrgName}) har erklæret sig inhabil i projekt ${project.reference}; erklæringen afventer sekretariatets afgørelse.`,
        conflictId: row.id,
        memberSub: caller.sub,
        memberOrg: caller.org,
        ...names,
        ground: input.ground,
        decision: 'pending'
      }
    })
    return toConflict(row)
  }), msg('alreadyDeclaredHere'))
}
