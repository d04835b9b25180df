import { addWorkingDays, ASSESSMENT_WORKING_DAYS, copenhagenDate } from '../../domain/calendar.ts'
import { CURRENT_POLICY, decideGate, type GateDecision, type GateInput } from '../../domain/gate.ts'
import type { ProjectStatus } from '../../domain/lifecycle.ts'

/** The gate of the policy in force, on a baseline (or on a draft: POST /v1/gate/preview). */
export function gateBaseline (content: GateInput, now: Date): GateDecision {
  return decideGate(content, CURRENT_POLICY, now)
}

/** The Copenhagen date a review clock starts on, and the letter's due date 10 working days later. */
export function reviewClock (now: Date): { submittedOn: string, assessmentDueOn: string } {
  const submittedOn = copenhagenDate(now)
  return { submittedOn, assessmentDueOn: addWorkingDays(submittedOn, ASSESSMENT_WORKING_DAYS) }
}

/** The Danish clause on review for an event description: required by the gate, requested, or not required. */
export function reviewClause (decision: GateDecision): string {
  if (!decision.evaluation.reviewRequired) return 'rådsbehandling ikke påkrævet'
  return decision.ruleMet ? 'rådsbehandling påkrævet' : 'frivillig rådsbehandling anmodet'
}

export const STATUS_DA: Record<ProjectStatus, string> = {
  not_required: 'ikke omfattet af rådsbehandling',
  awaiting_assessment: 'afventer vurdering',
  under_assessment: 'under vurdering',
  letter_issued: 'anbefalingsbrev udsendt',
  responded: 'anbefalingsbrev besvaret',
  withdrawn: 'trukket tilbage'
}
