// A project with what its actions depend on: the review's assignments and declarations of
// disqualification, whether the signed-in member has assessed, whether the project has answered its letter. Every page about one project
// loads it here and asks actions.js what to offer, so that the pages cannot disagree.
import { allowedActions, latestJudgement } from './actions.js'
import { optional, request } from './api.js'
import { hasRole } from './session.js'

const OPEN_FOR_REVIEW = new Set(['awaiting_assessment', 'under_assessment'])
/** States in which members may have assessed the project. */
const ASSESSED_STATES = new Set(['under_assessment', 'letter_issued', 'responded', 'withdrawn'])
/** States in which the project has status reports to show. */
const REPORTING_STATES = new Set(['letter_issued', 'responded', 'closed'])

/**
 * @typedef {object} LoadedProject
 * @property {any} project
 * @property {string} etag the project's ETag, for If-Match
 * @property {any[]} assignments the review's assignments while it is open (else empty)
 * @property {boolean} assignmentsVisible whether the assignments were asked for
 * @property {any[]} conflicts the declarations of disqualification the caller may read, oldest first
 * @property {any | null} ownAssessment the signed-in member's assessment
 * @property {any | null} response the project's answer to its letter, when there is one the caller may read
 * @property {any[] | null} reports the status reports, newest period first (null: none to show, or not readable)
 * @property {any[] | null} benefitReports a closed project's benefit reports (null: not closed, or not readable)
 * @property {import('./actions.js').Action[]} actions
 */

/**
 * @param {string} idOrReference from the route: a UUID or a reference such as ITR-2026-0001
 * @param {import('./session.js').Session | null} session
 * @returns {Promise<LoadedProject>}
 */
export async function loadProject (idOrReference, session) {
  const { body: project, headers } = await request(`/v1/projects/${encodeURIComponent(idOrReference)}`)
  const base = `/v1/projects/${project.id}`
  const withLetter = project.letter !== null && project.letter !== undefined
  const [assignments, conflicts, assessments, response, reports, benefitReports] = await Promise.all([
    OPEN_FOR_REVIEW.has(project.status) ? optional(`${base}/assignments?limit=50`) : null,
    // Declarations of disqualification: all for the secretariat, their own for a member.
    hasRole(session, 'secretariat', 'council_member') ? optional(`${base}/conflicts`) : null,
    hasRole(session, 'council_member') && ASSESSED_STATES.has(project.status) ? optional(`${base}/assessments?limit=50`) : null,
    // A response exists only once the project has answered (responded, or withdrawn after the letter).
    project.status === 'responded' || (project.status === 'withdrawn' && withLetter) ? optional(`${base}/response`) : null,
    REPORTING_STATES.has(project.status) ? optional(`${base}/status-reports?limit=20`) : null,
    project.status === 'closed' ? optional(`${base}/benefit-reports`) : null
  ])
  // Whether the latest red judgement has its follow-up decision: the decisions' periods from the
  // timeline, asked only of the secretariat and only when the latest judgement is red.
  /** @type {string[] | undefined} */
  let followUpPeriods
  if (hasRole(session, 'secretariat') && latestJudgement(reports?.items ?? [])?.overall === 'red') {
    const history = await optional(`${base}/history`)
    if (history) {
      followUpPeriods = history.items
        .filter((/** @type {any} */ e) => e.type === 'itraad.follow_up.decided' && typeof e.data?.period === 'string')
        .map((/** @type {any} */ e) => e.data.period)
    }
  }
  const ownAssessment = (assessments?.items ?? []).find((/** @type {any} */ a) => a.memberSub === session?.sub) ?? null
  const context = {
    assignments: assignments?.items ?? [],
    conflicts: conflicts?.items ?? [],
    assessed: ownAssessment !== null,
    hasResponse: response !== null,
    reports: reports?.items ?? [],
    followUpPeriods,
    benefitReports: benefitReports?.items.length ?? 0
  }
  return {
    project,
    etag: headers.get('etag') ?? `"${project.version}"`,
    assignments: context.assignments,
    assignmentsVisible: assignments !== null,
    conflicts: context.conflicts,
    ownAssessment,
    response,
    reports: reports?.items ?? null,
    benefitReports: benefitReports?.items ?? null,
    actions: allowedActions(project, session, context)
  }
}
