import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { Assignment } from '../../schemas/review.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { duplicateAs409, moveProject, subjectOf } from './common.ts'
import { toAssignment } from './representation.ts'

/** API.md: two council members are attached to each review. */
export const MEMBERS_PER_REVIEW = 2

export interface AssignMemberInput {
  memberSub: string
  memberOrg: string
}

/**
 * The secretariat attaches a council member to a review. The first assignment starts the
 * assessment (awaiting_assessment → under_assessment). Refused with 409: a member of the owning
 * organisation (conflict of interest), a member who has declared disqualification on this
 * project, the same member twice, a third active member.
 */
export async function assignMember (uow: UnitOfWork, caller: Caller, projectId: string, input: AssignMemberInput): Promise<Assignment> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    const to = requireTransition(project, 'assign')

    if (input.memberOrg === project.ownerOrg) {
      throw new AppError('CONFLICT_OF_INTEREST', msg('memberFromOwner', { member: input.memberSub, org: input.memberOrg, reference: project.reference }))
    }
    const review = new ReviewRepository(tx)
    if (await review.hasDeclaredConflict(project.id, input.memberSub)) {
      throw new AppError('CONFLICT_OF_INTEREST', msg('memberDisqualified', { member: input.memberSub, reference: project.reference }))
    }
    const active = await review.activeMembers(project.id)
    if (active.includes(input.memberSub)) {
      throw new AppError('DUPLICATE', msg('memberAlreadyAssigned', { member: input.memberSub, reference: project.reference }))
    }
    if (active.length >= MEMBERS_PER_REVIEW) {
      throw new AppError('STATE_CONFLICT', msg('membersComplete', { reference: project.reference, count: MEMBERS_PER_REVIEW, active }))
    }

    const row = await review.insertAssignment({
      id: randomUUID(),
      projectId: project.id,
      memberSub: input.memberSub,
      memberOrg: input.memberOrg,
      assignedBy: caller.sub
    })
    await moveProject(tx, caller, project, to)

    audit.append({
      type: 'itraad.review.member_assigned',
      subject: subjectOf(project.id),
      projectId: project.id,
      data: {
        reference: project.reference,
        description: `Rådsmedlem ${input.memberSub} (${input.memberOrg}) tilknyttet projekt ${project.reference}.`,
        assignmentId: row.id,
        memberSub: input.memberSub,
        memberOrg: input.memberOrg,
        activeMembers: active.length + 1,
        status: to
      }
    })
    return toAssignment(row)
  }), msg('memberAlreadyAssignedHere', { member: input.memberSub }))
}
