import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError, notFound } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { Conflict } from '../../schemas/review.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { moveProject } from './common.ts'
import { toConflict } from './representation.ts'

export interface DecideConflictInput {
  disqualified: boolean
  reason: string
}

/**
 * The secretariat decides a pending declaration (forvaltningsloven §6), once. Disqualified: the
 * member's assignment ends (the place is free for a replacement), an assessment they gave no
 * longer counts, and they can never assess the project. Not disqualified: the member stands as
 * before the declaration. The event says which, without the member's statement or the reason.
 */
export async function decideConflict (uow: UnitOfWork, caller: Caller, projectId: string, conflictId: string, input: DecideConflictInput): Promise<Conflict> {
  return uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    const review = new ReviewRepository(tx)
    const declaration = await review.conflict(project.id, conflictId)
    if (declaration === undefined) throw notFound('conflict')
    if (declaration.decision !== 'pending') throw new AppError('DUPLICATE', msg('conflictAlreadyDecided'))
    const to = requireTransition(project, 'decide_conflict')

    const row = await review.decideConflict(declaration.id, {
      decision: input.disqualified ? 'disqualified' : 'not_disqualified',
      reason: input.reason,
      decidedBy: caller.sub,
      decidedByName: caller.name
    })
    // The project row lock serialises decisions on one project: the declaration is still pending.
    if (row === undefined) throw new AppError('DUPLICATE', msg('conflictAlreadyDecided'))
    const endedAssignmentId = input.disqualified ? await review.endAssignment(project.id, row.memberSub, 'disqualified') : null
    await moveProject(tx, caller, project, to)

    const member = `${row.memberName ?? row.memberSub} (${row.memberOrgName ?? row.memberOrg})`
    audit.append({
      type: 'itraad.review.conflict_decided',
      project,
      data: {
        reference: project.reference,
        description: input.disqualified
          ? `Sekretariatet har afgjort, at rådsmedlem ${member} er inhabil i projekt ${project.reference}; medlemmets tilknytning er ophørt.`
          : `Sekretariatet har afgjort, at rådsmedlem ${member} ikke er inhabil i projekt ${project.reference}.`,
        conflictId: row.id,
        memberSub: row.memberSub,
        memberOrg: row.memberOrg,
        memberName: row.memberName ?? row.memberSub,
        memberOrgName: row.memberOrgName ?? row.memberOrg,
        disqualified: input.disqualified,
        endedAssignmentId
      }
    })
    return toConflict(row)
  })
}
