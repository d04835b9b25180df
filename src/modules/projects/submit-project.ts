import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import type { AuditLog, Tx, UnitOfWork } from '../../db/unit-of-work.ts'
import type { ProjectResource, ProjectSubmission } from '../../schemas/project.ts'
import { etagOf } from '../etag.ts'
import { claimIdempotencyKey, requestHash, storeIdempotentResponse, type IdempotencyScope } from '../idempotency.ts'
import type { Project } from './access.ts'
import { gateBaseline, reviewClause, reviewClock } from './gating.ts'
import { danishName, toProjectResource, type ProjectContent } from './representation.ts'
import { insertSubmission } from './writes.ts'

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
 * POST /v1/projects: a new project, gated, as baseline 1, with its `submitted` event. Without an
 * Idempotency-Key that is one round trip: one statement draws the reference and writes everything.
 * With one, the same statement runs in a transaction that holds the key.
 */
export async function submitProject (uow: UnitOfWork, caller: Caller, submission: ProjectSubmission, idempotencyKey?: string): Promise<SubmitResult> {
  if (idempotencyKey === undefined) return uow.runStatement(caller, (db, audit) => insertNewProject(db, audit, caller, submission))
  return uow.run(caller, async (tx, audit) => {
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

async function insertNewProject (db: Db | Tx, audit: AuditLog, caller: Caller, submission: ProjectSubmission): Promise<SubmitResult> {
  const now = new Date()
  const content: ProjectContent = {
    title: submission.title,
    description: submission.description,
    participatingRegions: submission.participatingRegions,
    phase: submission.phase,
    budgetLines: submission.budgetLines,
    plannedStart: submission.plannedStart,
    plannedEnd: submission.plannedEnd,
    contact: submission.contact,
    reviewRequested: submission.reviewRequested
  }
  const gating = gateBaseline(content, now)
  const clock = reviewClock(now)
  // The reference (`ITR-2026-0001`: the Copenhagen year of submission and the running number, at
  // least four digits) is drawn by the statement that writes the project; until then a stand-in.
  const reference = audit.computedValue
  const id = randomUUID()
  // One literal, the row with its baseline's content and author: no spread, which would cost V8 a
  // slow path of several µs per submission (bench/README.md, session 8).
  const project: Project & { content: ProjectContent, createdBy: string, referenceYear: string } = {
    id,
    reference,
    ownerOrg: caller.org,
    status: gating.reviewRequired ? 'awaiting_assessment' : 'not_required',
    title: content.title,
    description: content.description,
    participatingRegions: content.participatingRegions,
    phase: content.phase,
    budgetLines: content.budgetLines,
    plannedStart: content.plannedStart,
    plannedEnd: content.plannedEnd,
    contact: content.contact,
    reviewRequested: content.reviewRequested,
    eligibleCostDkk: gating.eligibleCostDkk,
    totalCostDkk: gating.totalCostDkk,
    reviewRequired: gating.reviewRequired,
    gating,
    submittedOn: clock.submittedOn,
    assessmentDueOn: gating.reviewRequired ? clock.assessmentDueOn : null,
    version: 1,
    // The gate was evaluated at this same instant.
    createdAt: gating.evaluatedAt,
    updatedAt: gating.evaluatedAt,
    content,
    createdBy: caller.sub,
    // The year of the Copenhagen date of submission.
    referenceYear: clock.submittedOn.slice(0, 4)
  }

  audit.append({
    type: 'itraad.project.submitted',
    subject: `projects/${id}`,
    projectId: id,
    time: gating.evaluatedAt,
    data: {
      assessmentDueOn: project.assessmentDueOn,
      description: `${danishName(project)} indsendt af ${caller.org}; ${reviewClause(content, gating)}.`,
      eligibleCostDkk: gating.eligibleCostDkk,
      gating,
      ownerOrg: caller.org,
      reference,
      status: project.status,
      totalCostDkk: gating.totalCostDkk,
      version: 1
    }
  })
  project.reference = await insertSubmission(db, project, audit)

  return { statusCode: 201, body: toProjectResource(project, null), headers: { location: projectLocation(id), etag: etagOf(1) }, replayed: false }
}
