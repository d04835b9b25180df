import t from 'tap'
import {
  PROJECT_ACTIONS,
  PROJECT_STATUSES,
  TRANSITIONS,
  isOpen,
  statusAfterRevision,
  transition,
  type ProjectAction,
  type ProjectStatus
} from '../../src/domain/lifecycle.ts'
import { text } from '../../src/messages.ts'

// The whole lifecycle written out once more by hand, as [from, action] → to or null (forbidden),
// so that any change to the table has to be made twice on purpose.
const EXPECTED: Record<ProjectStatus, Record<ProjectAction, ProjectStatus | null>> = {
  not_required: {
    revise: 'not_required',
    withdraw: 'withdrawn',
    assign: null,
    declare_conflict: null,
    decide_conflict: null,
    assess: null,
    issue_letter: null,
    respond: null,
    report_status: null,
    judge_report: null,
    approve_baseline: null,
    decide_follow_up: null,
    close: null,
    report_benefits: null,
    add_document: 'not_required'
  },
  awaiting_assessment: {
    revise: 'awaiting_assessment',
    withdraw: 'withdrawn',
    assign: 'under_assessment',
    declare_conflict: 'awaiting_assessment',
    decide_conflict: 'awaiting_assessment',
    assess: null,
    issue_letter: null,
    respond: null,
    report_status: null,
    judge_report: null,
    approve_baseline: null,
    decide_follow_up: null,
    close: null,
    report_benefits: null,
    add_document: 'awaiting_assessment'
  },
  under_assessment: {
    revise: 'under_assessment',
    withdraw: 'withdrawn',
    assign: 'under_assessment',
    declare_conflict: 'under_assessment',
    decide_conflict: 'under_assessment',
    assess: 'under_assessment',
    issue_letter: 'letter_issued',
    respond: null,
    report_status: null,
    judge_report: null,
    approve_baseline: null,
    decide_follow_up: null,
    close: null,
    report_benefits: null,
    add_document: 'under_assessment'
  },
  letter_issued: {
    revise: 'letter_issued',
    withdraw: 'withdrawn',
    assign: null,
    declare_conflict: null,
    decide_conflict: null,
    assess: null,
    issue_letter: null,
    respond: 'responded',
    report_status: 'letter_issued',
    judge_report: 'letter_issued',
    approve_baseline: 'letter_issued',
    decide_follow_up: 'letter_issued',
    close: 'closed',
    report_benefits: null,
    add_document: 'letter_issued'
  },
  responded: {
    revise: 'responded',
    withdraw: 'withdrawn',
    assign: null,
    declare_conflict: null,
    decide_conflict: null,
    assess: null,
    issue_letter: null,
    respond: null,
    report_status: 'responded',
    judge_report: 'responded',
    approve_baseline: 'responded',
    decide_follow_up: 'responded',
    close: 'closed',
    report_benefits: null,
    add_document: 'responded'
  },
  withdrawn: {
    revise: null,
    withdraw: null,
    assign: null,
    declare_conflict: null,
    decide_conflict: null,
    assess: null,
    issue_letter: null,
    respond: null,
    report_status: null,
    judge_report: null,
    approve_baseline: null,
    decide_follow_up: null,
    close: null,
    report_benefits: null,
    add_document: null
  },
  closed: {
    revise: null,
    withdraw: null,
    assign: null,
    declare_conflict: null,
    decide_conflict: null,
    assess: null,
    issue_letter: null,
    respond: null,
    report_status: null,
    judge_report: null,
    approve_baseline: null,
    decide_follow_up: null,
    close: null,
    report_benefits: 'closed',
    add_document: null
  }
}

t.test('every (status, action) pair', async (t) => {
  t.equal(PROJECT_STATUSES.length * PROJECT_ACTIONS.length, 105)
  for (const status of PROJECT_STATUSES) {
    for (const action of PROJECT_ACTIONS) {
      const expected = EXPECTED[status][action]
      const result = transition(status, action)
      if (expected === null) {
        t.equal(result.ok, false, `${action} from ${status} is forbidden`)
        t.notOk(status in TRANSITIONS[action], `${action} from ${status} is absent from the table`)
      } else {
        t.same(result, { ok: true, to: expected }, `${action} from ${status} → ${expected}`)
      }
    }
  }
})

t.test('refusals name the state in a readable sentence', async (t) => {
  const cases: Array<[ProjectStatus, ProjectAction, string]> = [
    ['withdrawn', 'revise', 'a project in state "withdrawn" cannot be revised'],
    ['withdrawn', 'withdraw', 'a project in state "withdrawn" cannot be withdrawn'],
    ['not_required', 'assign', 'a project in state "not_required" cannot have a council member assigned'],
    ['letter_issued', 'declare_conflict', 'a project in state "letter_issued" cannot take a declaration of conflict of interest'],
    ['awaiting_assessment', 'assess', 'a project in state "awaiting_assessment" cannot be assessed'],
    ['letter_issued', 'issue_letter', 'a project in state "letter_issued" cannot have a recommendation letter issued'],
    ['responded', 'respond', 'a project in state "responded" cannot receive a response to its letter'],
    ['under_assessment', 'report_status', 'a project in state "under_assessment" cannot receive a status report']
  ]
  for (const [status, action, reason] of cases) {
    const result = transition(status, action)
    t.same(result, { ok: false, reason: { key: 'actionNotAllowed', params: { status, action } } }, `${action} from ${status}`)
    t.equal(result.ok ? undefined : text(result.reason, 'en'), reason, `${action} from ${status}: the sentence`)
  }
})

t.test('statusAfterRevision', async (t) => {
  const cases: Array<[ProjectStatus, boolean, ProjectStatus, string]> = [
    ['not_required', true, 'awaiting_assessment', 'newly meets the gate'],
    ['not_required', false, 'not_required', 'still below the gate'],
    ['awaiting_assessment', false, 'not_required', 'no longer meets the gate before anyone was assigned'],
    ['awaiting_assessment', true, 'awaiting_assessment', 'still waiting'],
    ['under_assessment', false, 'under_assessment', 'a review under way is not cancelled'],
    ['under_assessment', true, 'under_assessment', 'a review under way continues'],
    ['letter_issued', false, 'letter_issued', 'a reviewed project keeps its letter'],
    ['letter_issued', true, 'letter_issued', 'a reviewed project keeps its letter'],
    ['responded', false, 'responded', 'a responded project stays'],
    ['responded', true, 'responded', 'a responded project stays'],
    ['withdrawn', true, 'withdrawn', 'withdrawn is final (revise is refused by transition)'],
    ['withdrawn', false, 'withdrawn', 'withdrawn is final (revise is refused by transition)']
  ]
  for (const [status, reviewRequired, expected, why] of cases) {
    t.equal(statusAfterRevision(status, reviewRequired), expected, `${status}, reviewRequired=${reviewRequired}: ${why}`)
  }
})

t.test('isOpen', async (t) => {
  for (const status of PROJECT_STATUSES) {
    t.equal(isOpen(status), status !== 'withdrawn' && status !== 'closed', status)
  }
})
