import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { Recommendation } from '../../db/schema/index.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import type { RiskProfile } from '../../domain/risk.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { Letter } from '../../schemas/review.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { ProjectRepository } from '../../repositories/projects.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import { approvedBaselineOf } from '../projects/representation.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { MEMBERS_PER_REVIEW } from './assign-member.ts'
import { duplicateAs409, moveProject } from './common.ts'
import { toLetter } from './representation.ts'

export interface IssueLetterInput {
  statement: string
  riskProfile: RiskProfile
  recommendations: Recommendation[]
  externalReviewRecommended: boolean
}

/**
 * The council's verdict, issued by the secretariat once both active members have assessed
 * (a disqualified member neither assesses nor counts) and no declaration of disqualification
 * awaits its decision. At most one letter per baseline: two
 * letters at once serialise on the project row lock, the second finds `letter_issued` (409), and
 * the unique index letters_project_baseline_idx backs it.
 */
export async function issueLetter (uow: UnitOfWork, caller: Caller, projectId: string, input: IssueLetterInput): Promise<Letter> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    const to = requireTransition(project, 'issue_letter')

    const review = new ReviewRepository(tx)
    if (await review.hasLetterFor(project.id, project.version)) throw new AppError('DUPLICATE', msg('letterExists', { version: project.version, reference: project.reference }))

    if (await review.hasPendingConflict(project.id)) throw new AppError('STATE_CONFLICT', msg('letterAwaitsConflictDecision', { reference: project.reference }))
    const active = await review.activeMembers(project.id)
    const assessed = await review.assessors(project.id)
    const assessedActive = active.filter((member) => assessed.has(member)).length
    if (active.length < MEMBERS_PER_REVIEW || assessedActive < MEMBERS_PER_REVIEW) {
      throw new AppError('STATE_CONFLICT', msg('letterNeedsAssessments', { needed: MEMBERS_PER_REVIEW, assessed: assessedActive, active: active.length }))
    }

    const row = await review.insertLetter({
      id: randomUUID(),
      projectId: project.id,
      baselineVersion: project.version,
      statement: input.statement,
      riskProfile: input.riskProfile,
      recommendations: input.recommendations,
      externalReviewRecommended: input.externalReviewRecommended,
      issuedBy: caller.sub,
      issuedByName: caller.name
    })
    await moveProject(tx, caller, project, to)
    // The letter approves the version it answers as the baseline the council follows the project against.
    const approvedBaseline = approvedBaselineOf(project, copenhagenDate(new Date()))
    await new ProjectRepository(tx, caller).approveBaseline(project.id, approvedBaseline)

    audit.append({
      type: 'itraad.letter.issued',
      project,
      data: {
        reference: project.reference,
        description: `Anbefalingsbrev udstedt for ${project.reference} med risikoprofil ${input.riskProfile}.`,
        letterId: row.id,
        baselineVersion: project.version,
        riskProfile: input.riskProfile,
        externalReviewRecommended: input.externalReviewRecommended,
        recommendations: input.recommendations.length,
        approvedBaseline,
        status: to
      }
    })
    return toLetter(row)
  }), msg('letterExistsHere'))
}
