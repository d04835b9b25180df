import { randomUUID } from 'node:crypto'
import { and, eq, isNull } from 'drizzle-orm'
import type { Caller } from '../../auth/caller.ts'
import { assessments, assignments, conflicts, type Recommendation } from '../../db/schema/index.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import type { RiskDimension, RiskProfile } from '../../domain/risk.ts'
import { AppError } from '../../errors.ts'
import type { Assessment } from '../../schemas/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { duplicateAs409, moveProject, subjectOf } from './common.ts'
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
 * member who is not assigned, or has declared disqualification, gets 409 rather than 403.
 */
export async function submitAssessment (uow: UnitOfWork, caller: Caller, projectId: string, input: SubmitAssessmentInput): Promise<Assessment> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    const to = requireTransition(project, 'assess')

    const [declared] = await tx.select({ id: conflicts.id }).from(conflicts)
      .where(and(eq(conflicts.projectId, project.id), eq(conflicts.memberSub, caller.sub))).limit(1)
    if (declared) throw new AppError('STATE_CONFLICT', `you have declared disqualification on ${project.reference} and can no longer assess it`)
    const [assignment] = await tx.select({ id: assignments.id }).from(assignments)
      .where(and(eq(assignments.projectId, project.id), eq(assignments.memberSub, caller.sub), isNull(assignments.endedAt))).limit(1)
    if (!assignment) throw new AppError('STATE_CONFLICT', `you are not an assigned council member of ${project.reference}; the secretariat assigns the members who assess it`)
    const [existing] = await tx.select({ id: assessments.id }).from(assessments)
      .where(and(eq(assessments.projectId, project.id), eq(assessments.memberSub, caller.sub))).limit(1)
    if (existing) throw new AppError('DUPLICATE', `you have already assessed ${project.reference}`)

    const [row] = await tx.insert(assessments).values({
      id: randomUUID(),
      projectId: project.id,
      baselineVersion: project.version,
      memberSub: caller.sub,
      memberOrg: caller.org,
      memberName: caller.name,
      scores: input.scores,
      proposedProfile: input.proposedProfile,
      summary: input.summary,
      recommendations: input.recommendations
    }).returning()
    await moveProject(tx, project, to)

    audit.append({
      type: 'itraad.assessment.submitted',
      subject: subjectOf(project.id),
      projectId: project.id,
      data: {
        reference: project.reference,
        description: `Rådsmedlem ${caller.sub} (${caller.org}) har afgivet risikovurdering af ${project.reference} med foreslået risikoprofil ${input.proposedProfile}.`,
        assessmentId: row!.id,
        memberSub: caller.sub,
        memberOrg: caller.org,
        baselineVersion: project.version,
        proposedProfile: input.proposedProfile,
        scores: input.scores
      }
    })
    return toAssessment(row!, new Set([caller.sub]))
  }), 'you have already assessed this project')
}
