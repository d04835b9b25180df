/**
 * The project lifecycle (API.md, "Projects" and "Review"):
 * not_required · awaiting_assessment → under_assessment (first member assigned) → letter_issued
 * → responded → closed (the owner's closure after the letter) · any open state → withdrawn. The
 * follow-up track after a red judgement is a field, not a state. Every use case asks this one table whether its
 * action is allowed, so the rules cannot drift apart between endpoints.
 */

export const PROJECT_STATUSES = [
  'not_required',
  'awaiting_assessment',
  'under_assessment',
  'letter_issued',
  'responded',
  'withdrawn',
  'closed'
] as const

export type ProjectStatus = (typeof PROJECT_STATUSES)[number]

export const PROJECT_ACTIONS = [
  'revise',
  'withdraw',
  'assign',
  'declare_conflict',
  'decide_conflict',
  'assess',
  'issue_letter',
  'respond',
  'report_status',
  'judge_report',
  'approve_baseline',
  'decide_follow_up',
  'close',
  'report_benefits',
  'add_document'
] as const

export type ProjectAction = (typeof PROJECT_ACTIONS)[number]

/** from-state → to-state per action; a missing entry means the action is not allowed (409). */
export const TRANSITIONS: Record<ProjectAction, Partial<Record<ProjectStatus, ProjectStatus>>> = {
  // The state after a revision depends on the new gate evaluation: statusAfterRevision decides
  // it. This row only says where revising is allowed at all.
  revise: {
    not_required: 'not_required',
    awaiting_assessment: 'awaiting_assessment',
    under_assessment: 'under_assessment',
    letter_issued: 'letter_issued',
    responded: 'responded'
  },
  withdraw: {
    not_required: 'withdrawn',
    awaiting_assessment: 'withdrawn',
    under_assessment: 'withdrawn',
    letter_issued: 'withdrawn',
    responded: 'withdrawn'
  },
  // The first assignment starts the assessment; the second member joins it.
  assign: {
    awaiting_assessment: 'under_assessment',
    under_assessment: 'under_assessment'
  },
  // A member may declare disqualification (forvaltningsloven §3/§6) until the letter is out.
  declare_conflict: {
    awaiting_assessment: 'awaiting_assessment',
    under_assessment: 'under_assessment'
  },
  // The secretariat decides a declaration (forvaltningsloven §6) while the review is open: no
  // letter can be issued while one is pending.
  decide_conflict: {
    awaiting_assessment: 'awaiting_assessment',
    under_assessment: 'under_assessment'
  },
  assess: {
    under_assessment: 'under_assessment'
  },
  issue_letter: {
    under_assessment: 'letter_issued'
  },
  respond: {
    letter_issued: 'responded'
  },
  // Status reports follow the letter, twice a year, whether or not the project has answered it.
  report_status: {
    letter_issued: 'letter_issued',
    responded: 'responded'
  },
  // The council judges the reports of a project it follows; a closed project's reports stay as they are.
  judge_report: {
    letter_issued: 'letter_issued',
    responded: 'responded'
  },
  // After the letter the secretariat may approve a later version as the baseline to follow.
  approve_baseline: {
    letter_issued: 'letter_issued',
    responded: 'responded'
  },
  // After a red judgement the secretariat records the council's decision; `close_project` only
  // records it: the owner closes the project.
  decide_follow_up: {
    letter_issued: 'letter_issued',
    responded: 'responded'
  },
  // The owner closes a project after the letter; closed is final (no reports, no changes).
  close: {
    letter_issued: 'closed',
    responded: 'closed'
  },
  // Benefit reports follow the closure.
  report_benefits: {
    closed: 'closed'
  },
  // Review material (API.md v1.1, "Documents") while the project is open: a withdrawn or closed
  // project's record is complete. Adding a document never moves the project.
  add_document: {
    not_required: 'not_required',
    awaiting_assessment: 'awaiting_assessment',
    under_assessment: 'under_assessment',
    letter_issued: 'letter_issued',
    responded: 'responded'
  }
}

/** Why an action is refused: a key of the message catalogue (src/messages.ts) and its parameters. */
export interface TransitionRefusal { key: 'actionNotAllowed', params: { status: ProjectStatus, action: ProjectAction } }

export type TransitionResult =
  | { ok: true, to: ProjectStatus }
  | { ok: false, reason: TransitionRefusal }

export function transition (status: ProjectStatus, action: ProjectAction): TransitionResult {
  const to = TRANSITIONS[action][status]
  if (to === undefined) {
    return { ok: false, reason: { key: 'actionNotAllowed', params: { status, action } } }
  }
  return { ok: true, to }
}

/**
 * Where a revised project lands. API.md: a project that newly meets the gate goes to
 * awaiting_assessment; one already reviewed stays where it is and keeps its letter. A project
 * still waiting that no longer meets the gate has nothing left to wait for.
 */
export function statusAfterRevision (status: ProjectStatus, reviewRequired: boolean): ProjectStatus {
  if (status === 'not_required' && reviewRequired) return 'awaiting_assessment'
  if (status === 'awaiting_assessment' && !reviewRequired) return 'not_required'
  return status
}

export function isOpen (status: ProjectStatus): boolean {
  return status !== 'withdrawn' && status !== 'closed'
}
