import type { Baseline as BaselineRow } from '../../repositories/projects.ts'
import type { AssessmentRow, AssignmentRow, BenefitReportRow, ConflictRow, FollowUpDecisionRow, LetterRow, ResponseRow, StatusReportRow } from '../../repositories/review.ts'
import type { Assessment, Assignment, Baseline, BenefitReport, Conflict, ConflictSummary, FollowUpDecision, Letter, Response, StatusReport } from '../../schemas/review.ts'
import { rfc3339 } from '../projects/representation.ts'

// Rows → API resources. Explicit field lists: a new column never leaks into the API by accident.

export function toAssignment (row: AssignmentRow): Assignment {
  return {
    id: row.id,
    projectId: row.projectId,
    memberSub: row.memberSub,
    memberOrg: row.memberOrg,
    memberName: row.memberName ?? row.memberSub,
    memberOrgName: row.memberOrgName ?? row.memberOrg,
    assignedBy: row.assignedBy,
    assignedAt: rfc3339(row.assignedAt),
    active: row.endedAt === null,
    endedAt: row.endedAt === null ? null : rfc3339(row.endedAt),
    endedReason: row.endedReason === null ? null : 'disqualified'
  }
}

export function toConflict (row: ConflictRow): Conflict {
  return { ...toConflictSummary(row), statement: row.statement }
}

/** The declaration without the member's statement (the case file's view). */
export function toConflictSummary (row: ConflictRow): ConflictSummary {
  return {
    id: row.id,
    projectId: row.projectId,
    memberSub: row.memberSub,
    memberOrg: row.memberOrg,
    memberName: row.memberName ?? row.memberSub,
    memberOrgName: row.memberOrgName ?? row.memberOrg,
    ground: row.ground,
    declaredAt: rfc3339(row.declaredAt),
    decision: row.decision,
    reason: row.reason,
    decidedBy: row.decidedBy,
    decidedByName: row.decidedByName,
    decidedAt: row.decidedAt === null ? null : rfc3339(row.decidedAt)
  }
}

/** `activeMembers`: the subjects with an active assignment; only their assessments count toward the letter. */
export function toAssessment (row: AssessmentRow, activeMembers: ReadonlySet<string>): Assessment {
  return {
    id: row.id,
    projectId: row.projectId,
    baselineVersion: row.baselineVersion,
    memberSub: row.memberSub,
    memberOrg: row.memberOrg,
    memberName: row.memberName ?? row.memberSub,
    memberOrgName: row.memberOrgName ?? row.memberOrg,
    scores: row.scores,
    proposedProfile: row.proposedProfile,
    summary: row.summary,
    recommendations: row.recommendations,
    countsTowardLetter: activeMembers.has(row.memberSub),
    createdAt: rfc3339(row.createdAt)
  }
}

export function toLetter (row: LetterRow): Letter {
  return {
    id: row.id,
    projectId: row.projectId,
    baselineVersion: row.baselineVersion,
    statement: row.statement,
    riskProfile: row.riskProfile,
    recommendations: row.recommendations,
    externalReviewRecommended: row.externalReviewRecommended,
    issuedBy: row.issuedBy,
    issuedByName: row.issuedByName ?? row.issuedBy,
    issuedAt: rfc3339(row.issuedAt)
  }
}

export function toResponse (row: ResponseRow): Response {
  return {
    id: row.id,
    projectId: row.projectId,
    text: row.text,
    respondedBy: row.respondedBy,
    createdAt: rfc3339(row.createdAt)
  }
}

export function toStatusReport (row: StatusReportRow): StatusReport {
  return {
    id: row.id,
    projectId: row.projectId,
    period: row.period,
    forecastCostDkk: row.forecastCostDkk,
    forecastEndDate: row.forecastEndDate,
    forecastFinancialBenefitsDkk: row.forecastFinancialBenefitsDkk,
    cost: row.cost,
    schedule: row.schedule,
    financialBenefits: row.financialBenefits,
    nonFinancialBenefits: row.nonFinancialBenefits,
    ownOverall: row.ownOverall,
    overall: row.overall,
    baselineVersion: row.baselineVersion,
    deviation: row.deviation === null ? null : { ...row.deviation },
    indicatedLights: row.indicatedLights === null ? null : { ...row.indicatedLights },
    comment: row.comment,
    judgement: row.overall === null || row.judgedAt === null
      ? null
      : { overall: row.overall, comment: row.judgementComment ?? '', judgedBy: row.judgedBy ?? '', judgedByName: row.judgedByName ?? row.judgedBy ?? '', judgedAt: rfc3339(row.judgedAt) },
    reportedBy: row.reportedBy,
    version: row.version,
    createdAt: rfc3339(row.createdAt),
    updatedAt: rfc3339(row.updatedAt)
  }
}

/**
 * A report's facts as its events carry them: the representation without the council's judgement,
 * the free-text comment and the bookkeeping (events say who and when themselves).
 */
export function statusReportFacts (report: StatusReport) {
  const { id, projectId, overall, judgement, comment, reportedBy, version, createdAt, updatedAt, ...facts } = report
  return { statusReportId: id, ...facts }
}

export function toFollowUpDecision (row: FollowUpDecisionRow, period: string): FollowUpDecision {
  return {
    id: row.id,
    projectId: row.projectId,
    statusReportId: row.statusReportId,
    period,
    track: row.track,
    note: row.note,
    decidedBy: row.decidedBy,
    decidedByName: row.decidedByName ?? row.decidedBy,
    decidedAt: rfc3339(row.decidedAt)
  }
}

export function toBenefitReport (row: BenefitReportRow): BenefitReport {
  return {
    id: row.id,
    projectId: row.projectId,
    number: row.number,
    reportedOn: row.reportedOn,
    realisedFinancialBenefitsDkk: row.realisedFinancialBenefitsDkk,
    note: row.note,
    reportedBy: row.reportedBy,
    createdAt: rfc3339(row.createdAt)
  }
}

export function toBaseline (row: BaselineRow): Baseline {
  return {
    version: row.version,
    content: row.content,
    gating: row.gating as unknown as Record<string, unknown>,
    createdAt: rfc3339(row.createdAt),
    createdBy: row.createdBy
  }
}
