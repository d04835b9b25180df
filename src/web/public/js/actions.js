// The one place that decides which actions a page offers on a project, from the project, the
// session and what is known of the review. Pure (no DOM, no API calls), so that a table test can
// check it for every role and state. The API decides for real: this only keeps the pages from
// offering what it would refuse. The states follow src/domain/lifecycle.ts.

/**
 * @typedef {'assess' | 'declareConflict' | 'assign' | 'decideConflict' | 'issueLetter' | 'respond' | 'reportStatus' | 'correctReports' | 'judgeReports' | 'approveBaseline' | 'decideFollowUp' | 'revise' | 'withdraw' | 'close' | 'reportBenefits'} Action
 *
 * @typedef {object} ActionProject
 * @property {string} status
 * @property {string} ownerOrg
 * @property {{ riskProfile: string, issuedAt: string } | null} [letter]
 * @property {number} [version] the project's current version (baseline)
 * @property {{ version: number } | null} [approvedBaseline] the version the council follows up against
 * @property {string | null} [followUpTrack] the council's latest follow-up decision after a red judgement
 *
 * @typedef {object} ActionSession
 * @property {string[]} roles
 * @property {string} org
 * @property {string} sub
 *
 * @typedef {object} ActionContext
 * @property {Array<{ memberSub: string, active: boolean }>} [assignments] the review's assignments (GET …/assignments), ended ones included
 * @property {boolean} [assessed] the caller has already assessed the project (their item in GET …/assessments)
 * @property {boolean} [hasResponse] the project has answered its letter (GET …/response)
 * @property {Array<{ memberSub: string, decision: string }>} [conflicts] the declarations of disqualification the caller
 *   may read (GET …/conflicts): all of them for the secretariat, their own for a council member
 * @property {Array<{ period: string, overall?: string | null, judgement?: { overall: string, judgedAt: string } | null }>} [reports]
 *   the project's status reports (GET …/status-reports), newest period first
 * @property {string[]} [followUpPeriods] the periods whose red judgement already has a follow-up decision (the
 *   `period` of the itraad.follow_up.decided events); unknown, the project's followUpTrack stands in for it
 * @property {number} [benefitReports] how many benefit reports the closed project has (GET …/benefit-reports)
 */

/** The order in which the pages show the actions. @type {readonly Action[]} */
export const ACTIONS = Object.freeze(['assess', 'declareConflict', 'assign', 'decideConflict', 'issueLetter', 'respond', 'reportStatus', 'correctReports', 'judgeReports', 'approveBaseline', 'decideFollowUp', 'revise', 'withdraw', 'close', 'reportBenefits'])

// lifecycle.ts TRANSITIONS: the states from which each action is allowed.
const REVISABLE = new Set(['not_required', 'awaiting_assessment', 'under_assessment', 'letter_issued', 'responded'])
const WITHDRAWABLE = REVISABLE
const ASSIGNABLE = new Set(['awaiting_assessment', 'under_assessment'])
const ASSESSABLE = new Set(['under_assessment'])
const DECLARABLE = ASSIGNABLE
const DECIDABLE = ASSIGNABLE
const LETTER_ISSUABLE = new Set(['under_assessment'])
const RESPONDABLE = new Set(['letter_issued'])
const REPORTABLE = new Set(['letter_issued', 'responded'])
// The follow-up after the letter: the owner corrects an unjudged report, the secretariat judges
// reports and approves a later version as the baseline to follow up against.
const FOLLOWED_UP = REPORTABLE
// The owner closes the project after the letter (closed is final), and reports the realised
// benefits of a closed project at most twice.
const CLOSABLE = REPORTABLE
const MAX_BENEFIT_REPORTS = 2

/**
 * The council's latest judgement of a status report: the judged report judged last (by
 * judgedAt; without it, the newest judged period), or null when none is judged.
 * @param {ActionContext['reports']} reports newest period first
 */
export function latestJudgement (reports = []) {
  /** @type {{ period: string, overall: string } | null} */
  let latest = null
  let latestAt = ''
  for (const r of reports) {
    const overall = r.judgement?.overall ?? r.overall
    if (!overall) continue
    const at = r.judgement?.judgedAt ?? ''
    if (latest === null || at > latestAt) {
      latest = { period: r.period, overall }
      latestAt = at
    }
  }
  return latest
}

/**
 * The rule for offering the follow-up decision (the API decides for real): the council's latest
 * judgement is red, and that red judgement has no decision yet — its period is not among the
 * decided ones, or, when those are unknown, the project has no follow-up track at all.
 * @param {ActionProject} project
 * @param {ActionContext} context
 */
export function awaitsFollowUpDecision (project, context) {
  const latest = latestJudgement(context.reports)
  if (latest?.overall !== 'red') return false
  if (context.followUpPeriods !== undefined) return !context.followUpPeriods.includes(latest.period)
  return (project.followUpTrack ?? null) === null
}

/** At most two active members per review (API.md, "Review"). */
export const MAX_ACTIVE_MEMBERS = 2

/**
 * @param {ActionSession | null} session
 * @param {string} role
 */
function has (session, role) {
  return session !== null && session.roles.includes(role)
}

/**
 * A submitter of the organisation that owns the project: only the owner may change it.
 * @param {ActionProject} project
 * @param {ActionSession | null} session
 */
export function isOwner (project, session) {
  return has(session, 'submitter') && session?.org === project.ownerOrg
}

/**
 * An active member of the project's review.
 * @param {ActionSession | null} session
 * @param {ActionContext} context
 */
export function isAssignedMember (session, context) {
  return has(session, 'council_member') && (context.assignments ?? []).some((a) => a.active && a.memberSub === session?.sub)
}

/**
 * The actions the signed-in caller may take on the project, in the order of ACTIONS.
 * @param {ActionProject} project
 * @param {ActionSession | null} session
 * @param {ActionContext} [context]
 * @returns {Action[]}
 */
export function allowedActions (project, session, context = {}) {
  const status = project.status
  const owner = isOwner(project, session)
  const activeMembers = (context.assignments ?? []).filter((a) => a.active).length
  const conflicts = context.conflicts ?? []
  // A member's own declaration: pending or disqualified, they may not assess (forvaltningsloven §6).
  const ownDeclaration = conflicts.find((c) => c.memberSub === session?.sub)
  const pending = conflicts.some((c) => c.decision === 'pending')
  /** @type {Record<Action, boolean>} */
  const allowed = {
    assess: ASSESSABLE.has(status) && isAssignedMember(session, context) && context.assessed !== true &&
      (ownDeclaration === undefined || ownDeclaration.decision === 'not_disqualified'),
    declareConflict: has(session, 'council_member') && DECLARABLE.has(status) && ownDeclaration === undefined,
    assign: has(session, 'secretariat') && ASSIGNABLE.has(status) && activeMembers < MAX_ACTIVE_MEMBERS,
    decideConflict: has(session, 'secretariat') && DECIDABLE.has(status) && pending,
    issueLetter: has(session, 'secretariat') && LETTER_ISSUABLE.has(status) && !pending,
    respond: owner && RESPONDABLE.has(status) && context.hasResponse !== true,
    reportStatus: owner && REPORTABLE.has(status),
    // Per report the page offers it only while the report is unjudged.
    correctReports: owner && FOLLOWED_UP.has(status),
    judgeReports: has(session, 'secretariat') && FOLLOWED_UP.has(status),
    approveBaseline: has(session, 'secretariat') && FOLLOWED_UP.has(status) && typeof project.version === 'number' &&
      (project.approvedBaseline?.version ?? 0) < project.version,
    decideFollowUp: has(session, 'secretariat') && FOLLOWED_UP.has(status) && awaitsFollowUpDecision(project, context),
    revise: owner && REVISABLE.has(status),
    withdraw: owner && WITHDRAWABLE.has(status),
    close: owner && CLOSABLE.has(status),
    reportBenefits: owner && status === 'closed' && (context.benefitReports ?? 0) < MAX_BENEFIT_REPORTS
  }
  return ACTIONS.filter((action) => allowed[action])
}
