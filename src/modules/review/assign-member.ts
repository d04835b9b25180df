import { randomUUID } from 'node:crypto'
import { and, asc, eq, isNull } from 'drizzle-orm'
import type { Caller } from '../../auth/caller.ts'
import { assignments, conflicts } from '../../db/schema/index.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import type { Assignment } from '../../schemas/review.ts'
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
      throw new AppError('CONFLICT_OF_INTEREST', `council member ${input.memberSub} belongs to ${input.memberOrg}, the organisation that owns ${project.reference}`)
    }
    const [declared] = await tx.select({ id: conflicts.id }).from(conflicts)
      .where(and(eq(conflicts.projectId, project.id), eq(conflicts.memberSub, input.memberSub))).limit(1)
    if (declared) {
      throw new AppError('CONFLICT_OF_INTEREST', `council member ${input.memberSub} has declared disqualification on ${project.reference} and cannot be assigned`)
    }
    const active = await tx.select({ memberSub: assignments.memberSub }).from(assignments)
      .where(and(eq(assignments.projectId, project.id), isNull(assignments.endedAt)))
      .orderBy(asc(assignments.assignedAt))
    if (active.some((a) => a.memberSub === input.memberSub)) {
      throw new AppError('DUPLICATE', `council member ${input.memberSub} is already assigned to ${project.reference}`)
    }
    if (active.length >= MEMBERS_PER_REVIEW) {
      throw new AppError('STATE_CONFLICT', `${project.reference} already has ${MEMBERS_PER_REVIEW} active council members (${active.map((a) => a.memberSub).join(', ')}); a member must be disqualified before another can be assigned`)
    }

    const [row] = await tx.insert(assignments).values({
      id: randomUUID(),
      projectId: project.id,
      memberSub: input.memberSub,
      memberOrg: input.memberOrg,
      assignedBy: caller.sub
    }).returning()
    await moveProject(tx, project, to)

    audit.append({
      type: 'itraad.review.member_assigned',
      subject: subjectOf(project.id),
      projectId: project.id,
      data: {
        reference: project.reference,
        description: `Rådsmedlem ${input.memberSub} (${input.memberOrg}) tilknyttet projekt ${project.reference}.`,
        assignmentId: row!.id,
        memberSub: input.memberSub,
        memberOrg: input.memberOrg,
        activeMembers: active.length + 1,
        status: to
      }
    })
    return toAssignment(row!)
  }), `council member ${input.memberSub} is already assigned to this project`)
}
