// The one place that decides which actions a page offers on a project, from the project, the
// session and what is known of the review. Pure (no DOM, no API calls), so that a table test can
// check it for every role and state. The API decides for real: this only keeps the pages from
// offering what it would refuse. The states follow src/domain/lifecycle.ts.

/**
 * @typedef {'assess' | 'declareConflict' | 'assign' | 'decideConflict' | 'issueLetter' | 'respond' | 'reportStatus' | 'correctReports' | 'judgeReports' | 'approveBaseline' | 'revise' | 'withdraw'} Action
 *
 * @typedef {object} ActionProject
 * @property {string} status
 * @property {string} ownerOrg
 * @property {{ riskProfile: string, issuedAt: string } | null} [letter]
 * @property {number} [version] the project's current version (baseline)
 * @property {{ version: number } | null} [approvedBaseline] the version the council follows up against
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
 */

/** The order in which the pages show the actions. @type {readonly Action[]} */
export const ACTIONS = Object.freeze(['assess', 'declareConflict', 'assign', 'decideConflict', 'issueLetter', 'respond', 'reportStatus', 'correctReports', 'judgeReports', 'approveBaseline', 'revise', 'withdraw'])

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
    revise: owner && REVISABLE.has(status),
    withdraw: owner && WITHDRAWABLE.has(status)
  }
  return ACTIONS.filter((action) => allowed[action])
}
