import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { Recommendation } from '../../db/schema/index.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import type { RiskDimension, RiskProfile } from '../../domain/risk.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { Assessment } from '../../schemas/review.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { duplicateAs409, memberNames, moveProject } from './common.ts'
import { toAssessment } from './representation.ts'

export interface SubmitAssessmentInput {
  scores: Record<RiskDimension, number>
  proposedProfile: RiskProfile
  summary: string
  recommendations: Recommendation[]
}

/**
 * A council member's risk assessment, one per member and project. The role may assess; whether
 * this member may assess this project is the project's state (membership of its review), so a
 * member who is not assigned, whose declaration of disqualification awaits the secretariat's
 * decision, or who has been disqualified, gets 409 rather than 403. The
 * conflict rule is checked again against the caller's token: a member whose organisation owns the
 * project, or differs from the organisation they were assigned as, gets 409 CONFLICT_OF_INTEREST.
 */
export async function submitAssessment (uow: UnitOfWork, caller: Caller, projectId: string, input: SubmitAssessmentInput): Promise<Assessment> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    const to = requireTransition(project, 'assess')

    const review = new ReviewRepository(tx)
    const declaration = await review.conflictOf(project.id, caller.sub)
    if (declaration?.decision === 'pending') throw new AppError('STATE_CONFLICT', msg('declarationPendingCannotAssess', { reference: project.reference }))
    if (declaration?.decision === 'disqualified') throw new AppError('STATE_CONFLICT', msg('disqualifiedCannotAssess', { reference: project.reference }))
    const assignment = await review.activeAssignment(project.id, caller.sub)
    if (assignment === undefined) throw new AppError('STATE_CONFLICT', msg('notAssignedMember', { reference: project.reference }))
    // The conflict rule holds for the organisation the token proves, not only for what the secretariat typed.
    if (caller.org === project.ownerOrg) {
      throw new AppError('CONFLICT_OF_INTEREST', msg('assessorFromOwner', { org: caller.org, reference: project.reference }))
    }
    if (caller.org !== assignment.memberOrg) {
      throw new AppError('CONFLICT_OF_INTEREST', msg('assignedFromOtherOrg', { reference: project.reference, memberOrg: assignment.memberOrg, org: caller.org }))
    }
    if ((await review.assessors(project.id)).has(caller.sub)) throw new AppError('DUPLICATE', msg('alreadyAssessed', { reference: project.reference }))

    const names = await memberNames(tx, caller)
    const row = await review.insertAssessment({
      id: randomUUID(),
      projectId: project.id,
      baselineVersion: project.version,
      memberSub: caller.sub,
      memberOrg: caller.org,
      ...names,
      scores: input.scores,
      proposedProfile: input.proposedProfile,
      summary: input.summary,
      recommendations: input.recommendations
    })
    await moveProject(tx, caller, project, to)

    audit.append({
      type: 'itraad.assessment.submitted',
      project,
      data: {
        reference: project.reference,
        description: `Rådsmedlem ${names.memberName} (${names.memberOrgName}) har afgivet risikovurdering af ${project.reference} med foreslået risikoprofil ${input.proposedProfile}.`,
        assessmentId: row.id,
        memberSub: caller.sub,
        memberOrg: caller.org,
        ...names,
        baselineVersion: project.version,
        proposedProfile: input.proposedProfile,
        scores: input.scores
      }
    })
    return toAssessment(row, new Set([caller.sub]))
  }), msg('alreadyAssessedHere'))
}
