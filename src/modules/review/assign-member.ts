import { randomUUID } from 'node:crypto'
import { SYSTEM_CALLER, type Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { Assignment } from '../../schemas/review.ts'
import { councilOf } from '../../domain/councils.ts'
import { organisationName } from '../../repositories/councils.ts'
import { MemberRepository } from '../../repositories/members.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { duplicateAs409, moveProject } from './common.ts'
import { toAssignment } from './representation.ts'

/** API.md: two council members are attached to each review. */
export const MEMBERS_PER_REVIEW = 2

export interface AssignMemberInput {
  memberSub: string
  /** Optional: the directory's is taken; when sent it must be the same (422). */
  memberOrg?: string | undefined
}

/**
 * The secretariat attaches a council member from the directory to a review: active and of the
 * project's council (422 otherwise). The first assignment starts the assessment
 * (awaiting_assessment → under_assessment). Refused with 409: a member of the owning
 * organisation (conflict of interest), a member disqualified on this project or whose declaration
 * awaits the secretariat's decision, the same member twice, a third active member.
 */
export async function assignMember (uow: UnitOfWork, caller: Caller, projectId: string, input: AssignMemberInput): Promise<Assignment> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    const to = requireTransition(project, 'assign')

    const member = await new MemberRepository(tx, SYSTEM_CALLER).get(input.memberSub)
    if (member === undefined) throw new AppError('RULE_VIOLATION', msg('memberNotInDirectory', { sub: input.memberSub }))
    const memberOrgName = await organisationName(tx, member.org)
    if (input.memberOrg !== undefined && input.memberOrg !== member.org) {
      throw new AppError('RULE_VIOLATION', msg('memberOrgDiffers', { name: member.name, org: memberOrgName }))
    }
    if (!member.active) throw new AppError('RULE_VIOLATION', msg('memberInactive', { name: member.name }))
    if (member.council !== project.council) {
      throw new AppError('RULE_VIOLATION', msg('memberOfOtherCouncil', { name: member.name, council: councilOf(member.council).name }))
    }
    if (member.org === project.ownerOrg) {
      throw new AppError('CONFLICT_OF_INTEREST', msg('memberFromOwner', { member: member.name, org: memberOrgName, reference: project.reference }))
    }
    const review = new ReviewRepository(tx)
    const declaration = await review.conflictOf(project.id, member.sub)
    if (declaration?.decision === 'pending') {
      throw new AppError('CONFLICT_OF_INTEREST', msg('memberDeclarationPending', { member: member.name, reference: project.reference }))
    }
    if (declaration?.decision === 'disqualified') {
      throw new AppError('CONFLICT_OF_INTEREST', msg('memberDisqualified', { member: member.name, reference: project.reference }))
    }
    const activeAssignments = (await review.assignments(project.id)).filter((a) => a.endedAt === null)
    const active = activeAssignments.map((a) => a.memberSub)
    if (active.includes(member.sub)) {
      throw new AppError('DUPLICATE', msg('memberAlreadyAssigned', { member: member.name, reference: project.reference }))
    }
    if (active.length >= MEMBERS_PER_REVIEW) {
      const names = activeAssignments.map((a) => a.memberName ?? a.memberSub)
      throw new AppError('STATE_CONFLICT', msg('membersComplete', { reference: project.reference, count: MEMBERS_PER_REVIEW, active: names }))
    }

    const row = await review.insertAssignment({
      id: randomUUID(),
      projectId: project.id,
      memberSub: member.sub,
      memberOrg: member.org,
      memberName: member.name,
      memberOrgName,
      assignedBy: caller.sub
    })
    await moveProject(tx, caller, project, to)

    audit.append({
      type: 'itraad.review.member_assigned',
      project,
      data: {
        reference: project.reference,
        description: `Rådsmedlem ${member.name} (${memberOrgName}) tilknyttet projekt ${project.reference}.`,
        assignmentId: row.id,
        memberSub: member.sub,
        memberOrg: member.org,
        memberName: member.name,
        memberOrgName,
        activeMembers: active.length + 1,
        status: to
      }
    })
    return toAssignment(row)
  }), msg('memberAlreadyAssignedHere', { member: input.memberSub }))
}
