import { isDeepStrictEqual } from 'node:util'
import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { statusAfterRevision } from '../../domain/lifecycle.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { plannedEndIsBeforeStart, type ProjectResource, type ProjectRevision } from '../../schemas/project.ts'
import { etagOf, ifMatchAccepts, type IfMatch } from '../etag.ts'
import { lockVisibleProject, requireTransition } from './access.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { decideGate } from '../../domain/gate.ts'
import { organisationName } from '../../repositories/councils.ts'
import { checkParticipation, policyInForce, reviewClause, reviewClock, STATUS_DA } from './gating.ts'
import { ProjectRepository } from '../../repositories/projects.ts'
import { contentOf, danishName, representProject, type ProjectContent } from './representation.ts'

/** A 412 that tells the client what to do next. */
export function staleEtag (version: number): AppError {
  return new AppError('PRECONDITION_FAILED', msg('staleEtag', { version, etag: etagOf(version) }))
}

/**
 * PATCH /v1/projects/{id}: a new baseline (version + 1), gated again. The row lock taken by
 * lockVisibleProject serialises revisions: of two racing requests with the same If-Match, the
 * second reads the first one's version once it gets the lock, and fails with 412.
 */
export async function reviseProject (uow: UnitOfWork, caller: Caller, id: string, revision: ProjectRevision, ifMatch: IfMatch): Promise<ProjectResource> {
  return uow.run(caller, async (tx, audit) => {
    const current = await lockVisibleProject(tx, caller, id, { owner: true })
    // The state first: RFC 9110 §13.2.1 evaluates preconditions only when the request could otherwise succeed.
    requireTransition(current, 'revise')
    if (!ifMatchAccepts(ifMatch, current.version)) throw staleEtag(current.version)

    const before = contentOf(current)
    const content: ProjectContent = { ...before, ...revision }
    if (plannedEndIsBeforeStart(content)) {
      const message = msg('plannedEndBeforeStartOf', { plannedStart: content.plannedStart })
      throw new AppError('VALIDATION_FAILED', msg('validation', { where: 'body', path: '/plannedEnd', message }), {
        errors: [{ path: '/plannedEnd', message }]
      })
    }

    checkParticipation(current.council, { code: current.ownerOrg, name: await organisationName(tx, current.ownerOrg) }, content.participatingRegions)

    // The version of the project's council in force on the day of the re-baseline decides.
    const now = new Date()
    const policy = await policyInForce(tx, current.council, copenhagenDate(now))
    const decision = decideGate(content, policy, now)
    const gating = decision.evaluation
    const status = statusAfterRevision(current.status, gating.reviewRequired)
    // A project that newly needs review starts a new clock (the policy's working days) from the revision date
    // (submitted_on moves to that date: it is the day the review clock counts from); one already
    // in review keeps its deadline; one no longer waiting has none.
    const newlyAwaiting = status === 'awaiting_assessment' && current.status !== 'awaiting_assessment'
    const clock = newlyAwaiting ? reviewClock(now, policy, current.kind) : undefined
    const version = current.version + 1

    const repository = new ProjectRepository(tx, caller)
    const project = await repository.update(id, current.version, {
      ...content,
      status,
      eligibleCostDkk: gating.eligibleCostDkk,
      totalCostDkk: gating.totalCostDkk,
      reviewRequired: gating.reviewRequired,
      gating,
      submittedOn: clock?.submittedOn ?? current.submittedOn,
      assessmentDueOn: status === 'not_required' ? null : clock?.assessmentDueOn ?? current.assessmentDueOn,
      version,
      updatedAt: now.toISOString()
    })
    if (!project) throw staleEtag(current.version)
    await repository.insertBaseline({ projectId: id, version, content: { ...content }, gating, createdBy: caller.sub, createdAt: now.toISOString() })

    const changedFields = (Object.keys(revision) as Array<keyof ProjectContent>).filter((k) => !isDeepStrictEqual(before[k], content[k]))
    const statusClause = status === current.status ? '' : `, status ændret fra ${STATUS_DA[current.status]} til ${STATUS_DA[status]}`
    audit.append({
      type: 'itraad.project.revised',
      project,
      data: {
        reference: project.reference,
        description: `${danishName(project)} revideret af ${await organisationName(tx, caller.org)} til version ${version}; ${reviewClause(decision)}${statusClause}.`,
        version,
        previousVersion: current.version,
        status,
        previousStatus: current.status,
        changedFields,
        eligibleCostDkk: gating.eligibleCostDkk,
        totalCostDkk: gating.totalCostDkk,
        gating,
        assessmentDueOn: project.assessmentDueOn
      }
    })
    return representProject(tx, project)
  })
}
