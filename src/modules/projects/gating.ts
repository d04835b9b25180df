import { addWorkingDays, ASSESSMENT_WORKING_DAYS, copenhagenDate } from '../../domain/calendar.ts'
import { CURRENT_POLICY, evaluateGate, type GateEvaluation } from '../../domain/gate.ts'
import type { ProjectStatus } from '../../domain/lifecycle.ts'
import type { ProjectContent } from './representation.ts'

/** The gate of the policy in force, on a baseline. */
export function gateBaseline (content: ProjectContent, now: Date): GateEvaluation {
  return evaluateGate(content, CURRENT_POLICY, now)
}

/** The Copenhagen date a review clock starts on, and the letter's due date 10 working days later. */
export function reviewClock (now: Date): { submittedOn: string, assessmentDueOn: string } {
  const submittedOn = copenhagenDate(now)
  return { submittedOn, assessmentDueOn: addWorkingDays(submittedOn, ASSESSMENT_WORKING_DAYS) }
}

/** The Danish clause on review for an event description: required by the gate, requested, or not required. */
export function reviewClause (content: ProjectContent, evaluation: GateEvaluation): string {
  if (!evaluation.reviewRequired) return 'rådsbehandling ikke påkrævet'
  const byGate = evaluateGate({ ...content, reviewRequested: false }, CURRENT_POLICY, new Date(evaluation.evaluatedAt)).reviewRequired
  return byGate ? 'rådsbehandling påkrævet' : 'frivillig rådsbehandling anmodet'
}

export const STATUS_DA: Record<ProjectStatus, string> = {
  not_required: 'ikke omfattet af rådsbehandling',
  awaiting_assessment: 'afventer vurdering',
  under_assessment: 'under vurdering',
  letter_issued: 'anbefalingsbrev udsendt',
  responded: 'anbefalingsbrev besvaret',
  withdrawn: 'trukket tilbage'
}
