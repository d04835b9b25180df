import { randomUUID } from 'node:crypto'
import { and, eq, isNull } from 'drizzle-orm'
import type { Caller } from '../../auth/caller.ts'
import { assessments, assignments, letters, type Recommendation } from '../../db/schema/index.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import type { RiskProfile } from '../../domain/risk.ts'
import { AppError } from '../../errors.ts'
import type { Letter } from '../../schemas/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { MEMBERS_PER_REVIEW } from './assign-member.ts'
import { duplicateAs409, moveProject, subjectOf } from './common.ts'
import { toLetter } from './representation.ts'

export interface IssueLetterInput {
  statement: string
  riskProfile: RiskProfile
  recommendations: Recommendation[]
  externalReviewRecommended: boolean
}

/**
 * The council's verdict, issued by the secretariat once both active members have assessed
 * (a disqualified member neither assesses nor counts). At most one letter per baseline: two
 * letters at once serialise on the project row lock, the second finds `letter_issued` (409), and
 * the unique index letters_project_baseline_idx backs it.
 */
export async function issueLetter (uow: UnitOfWork, caller: Caller, projectId: string, input: IssueLetterInput): Promise<Letter> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    const to = requireTransition(project, 'issue_letter')

    const [existing] = await tx.select({ id: letters.id }).from(letters)
      .where(and(eq(letters.projectId, project.id), eq(letters.baselineVersion, project.version))).limit(1)
    if (existing) throw new AppError('DUPLICATE', `a letter has already been issued for version ${project.version} of ${project.reference}`)

    const active = await tx.select({ memberSub: assignments.memberSub }).from(assignments)
      .where(and(eq(assignments.projectId, project.id), isNull(assignments.endedAt)))
    const assessed = new Set((await tx.select({ memberSub: assessments.memberSub }).from(assessments)
      .where(eq(assessments.projectId, project.id))).map((r) => r.memberSub))
    const assessedActive = active.filter((a) => assessed.has(a.memberSub)).length
    if (active.length < MEMBERS_PER_REVIEW || assessedActive < MEMBERS_PER_REVIEW) {
      throw new AppError('STATE_CONFLICT', `the letter needs a risk assessment from each of the ${MEMBERS_PER_REVIEW} assigned council members: ` +
        `${assessedActive} of the ${MEMBERS_PER_REVIEW} have assessed (${active.length} active member${active.length === 1 ? '' : 's'} assigned)`)
    }

    const [row] = await tx.insert(letters).values({
      id: randomUUID(),
      projectId: project.id,
      baselineVersion: project.version,
      statement: input.statement,
      riskProfile: input.riskProfile,
      recommendations: input.recommendations,
      externalReviewRecommended: input.externalReviewRecommended,
      issuedBy: caller.sub
    }).returning()
    await moveProject(tx, project, to)

    audit.append({
      type: 'itraad.letter.issued',
      subject: subjectOf(project.id),
      projectId: project.id,
      data: {
        reference: project.reference,
        description: `Anbefalingsbrev udstedt for ${project.reference} med risikoprofil ${input.riskProfile}.`,
        letterId: row!.id,
        baselineVersion: project.version,
        riskProfile: input.riskProfile,
        externalReviewRecommended: input.externalReviewRecommended,
        recommendations: input.recommendations.length,
        status: to
      }
    })
    return toLetter(row!)
  }), 'a letter has already been issued for this version of the project')
}
