import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import type { AuditLog, UnitOfWork } from '../../db/unit-of-work.ts'
import { ProjectRepository } from '../../repositories/projects.ts'
import type { ProjectResource, ProjectSubmission } from '../../schemas/project.ts'
import { etagOf } from '../etag.ts'
import { claimIdempotencyKey, requestHash, storeIdempotentResponse, type IdempotencyScope } from '../idempotency.ts'
import { councilOf } from '../../domain/councils.ts'
import { decideGate } from '../../domain/gate.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { checkParticipation, policyInForce, reviewClause, reviewClock, submittingOrganisation } from './gating.ts'
import { danishName, toProjectResource, type ProjectContent } from './representation.ts'

export interface SubmitResult {
  statusCode: number
  body: ProjectResource
  headers: Record<string, string>
  /** The stored response of an earlier request with the same Idempotency-Key. */
  replayed: boolean
}

export function projectLocation (id: string): string {
  return `/v1/projects/${id}`
}

/**
 * POST /v1/projects: a new project, gated, as baseline 1, with its `submitted` event, in one unit
 * of work. With an Idempotency-Key, the same transaction claims the key and stores the answer.
 */
export async function submitProject (uow: UnitOfWork, caller: Caller, submission: ProjectSubmission, idempotencyKey?: string): Promise<SubmitResult> {
  return uow.run(caller, async (tx, audit) => {
    if (idempotencyKey === undefined) return insertNewProject(tx, audit, caller, submission)
    const scope: IdempotencyScope = { org: caller.org, key: idempotencyKey, requestHash: requestHash('POST /v1/projects', submission) }
    const claim = await claimIdempotencyKey(tx, scope)
    if (claim.kind === 'replay') {
      const { statusCode, body, headers } = claim.response
      return { statusCode, body: body as ProjectResource, headers, replayed: true }
    }
    const result = await insertNewProject(tx, audit, caller, submission)
    await storeIdempotentResponse(tx, scope, result)
    return result
  })
}

async function insertNewProject (tx: Db, audit: AuditLog, caller: Caller, submission: ProjectSubmission): Promise<SubmitResult> {
  const content: ProjectContent = {
    title: submission.title,
    description: submission.description,
    participatingRegions: submission.participatingRegions,
    phase: submission.phase,
    budgetLines: submission.budgetLines,
    plannedStart: submission.plannedStart,
    plannedEnd: submission.plannedEnd,
    contact: submission.contact,
    expectedBenefits: submission.expectedBenefits,
    reviewRequested: submission.reviewRequested
  }
  const owner = await submittingOrganisation(tx, caller)
  checkParticipation(owner.council, owner, content.participatingRegions)
  const now = new Date()
  const policy = await policyInForce(tx, owner.council, copenhagenDate(now))
  const decision = decideGate(content, policy, now)
  const gating = decision.evaluation
  const clock = reviewClock(now, policy, submission.kind)
  const id = randomUUID()
  const repository = new ProjectRepository(tx, caller)
  const row = {
    ...content,
    id,
    ownerOrg: caller.org,
    council: owner.council,
    kind: submission.kind,
    status: gating.reviewRequired ? 'awaiting_assessment' as const : 'not_required' as const,
    eligibleCostDkk: gating.eligibleCostDkk,
    totalCostDkk: gating.totalCostDkk,
    reviewRequired: gating.reviewRequired,
    gating,
    submittedOn: clock.submittedOn,
    assessmentDueOn: gating.reviewRequired ? clock.assessmentDueOn : null,
    version: 1,
    // The council approves a baseline with its letter.
    approvedBaseline: null,
    followUpTrack: null,
    closure: null,
    // The gate was evaluated at this same instant.
    createdAt: gating.evaluatedAt,
    updatedAt: gating.evaluatedAt
  }
  // The reference names the year of the Copenhagen date of submission.
  const reference = await repository.insert(row, councilOf(owner.council).referencePrefix, clock.submittedOn.slice(0, 4))
  await repository.insertBaseline({ projectId: id, version: 1, content: { ...content }, gating, createdBy: caller.sub, createdAt: gating.evaluatedAt })
  const project = { ...row, reference }

  audit.append({
    type: 'itraad.project.submitted',
    project,
    time: gating.evaluatedAt,
    data: {
      reference,
      description: `${danishName(project)} indsendt af ${owner.name}; ${reviewClause(decision)}.`,
      ownerOrg: caller.org,
      council: owner.council,
      kind: submission.kind,
      status: project.status,
      version: 1,
      eligibleCostDkk: gating.eligibleCostDkk,
      totalCostDkk: gating.totalCostDkk,
      gating,
      assessmentDueOn: project.assessmentDueOn
    }
  })

  return { statusCode: 201, body: toProjectResource(project, null), headers: { location: projectLocation(id), etag: etagOf(1) }, replayed: false }
}
