import { addWorkingDays, ASSESSMENT_WORKING_DAYS, copenhagenDate } from '../../domain/calendar.ts'
import { CURRENT_POLICY, evaluateGate, meetsRule, type GateEvaluation } from '../../domain/gate.ts'
import type { ProjectStatus } from '../../domain/lifecycle.ts'
import type { ProjectContent } from './representation.ts'

/** The gate of the policy in force, on a baseline. */
export function gateBaseline (content: ProjectContent, now: Date): GateEvaluation {
  return evaluateGate(content, CURRENT_POLICY, now)
}

/** The Copenhagen date a review clock starts on, and the letter's due date 10 working days later. */
export function reviewClock (now: Date): ReviewClock {
  const submittedOn = copenhagenDate(now)
  // The due date depends on the date alone: counted once a day, not on every submission.
  if (lastClock?.submittedOn !== submittedOn) {
    lastClock = Object.freeze({ submittedOn, assessmentDueOn: addWorkingDays(submittedOn, ASSESSMENT_WORKING_DAYS) })
  }
  return lastClock
}

interface ReviewClock { readonly submittedOn: string, readonly assessmentDueOn: string }
let lastClock: ReviewClock | undefined

/** The Danish clause on review for an event description: required by the gate, requested, or not required. */
export function reviewClause (content: ProjectContent, evaluation: GateEvaluation): string {
  if (!evaluation.reviewRequired) return 'rådsbehandling ikke påkrævet'
  return meetsRule(content, CURRENT_POLICY) ? 'rådsbehandling påkrævet' : 'frivillig rådsbehandling anmodet'
}

export const STATUS_DA: Record<ProjectStatus, string> = {
  not_required: 'ikke omfattet af rådsbehandling',
  awaiting_assessment: 'afventer vurdering',
  under_assessment: 'under vurdering',
  letter_issued: 'anbefalingsbrev udsendt',
  responded: 'anbefalingsbrev besvaret',
  withdrawn: 'trukket tilbage'
}
