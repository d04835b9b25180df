// A project with what its actions depend on: the review's assignments and declarations of
// disqualification, whether the signed-in member has assessed, whether the project has answered its letter. Every page about one project
// loads it here and asks actions.js what to offer, so that the pages cannot disagree.
import { allowedActions } from './actions.js'
import { optional, request } from './api.js'
import { hasRole } from './session.js'

const OPEN_FOR_REVIEW = new Set(['awaiting_assessment', 'under_assessment'])
/** States in which members may have assessed the project. */
const ASSESSED_STATES = new Set(['under_assessment', 'letter_issued', 'responded', 'withdrawn'])

/**
 * @typedef {object} LoadedProject
 * @property {any} project
 * @property {string} etag the project's ETag, for If-Match
 * @property {any[]} assignments the review's assignments while it is open (else empty)
 * @property {boolean} assignmentsVisible whether the assignments were asked for
 * @property {any[]} conflicts the declarations of disqualification the caller may read, oldest first
 * @property {any | null} ownAssessment the signed-in member's assessment
 * @property {any | null} response the project's answer to its letter, when there is one the caller may read
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
  const [assignments, conflicts, assessments, response] = await Promise.all([
    OPEN_FOR_REVIEW.has(project.status) ? optional(`${base}/assignments?limit=50`) : null,
    // Declarations of disqualification: all for the secretariat, their own for a member.
    hasRole(session, 'secretariat', 'council_member') ? optional(`${base}/conflicts`) : null,
    hasRole(session, 'council_member') && ASSESSED_STATES.has(project.status) ? optional(`${base}/assessments?limit=50`) : null,
    // A response exists only once the project has answered (responded, or withdrawn after the letter).
    project.status === 'responded' || (project.status === 'withdrawn' && withLetter) ? optional(`${base}/response`) : null
  ])
  const ownAssessment = (assessments?.items ?? []).find((/** @type {any} */ a) => a.memberSub === session?.sub) ?? null
  const context = { assignments: assignments?.items ?? [], conflicts: conflicts?.items ?? [], assessed: ownAssessment !== null, hasResponse: response !== null }
  return {
    project,
    etag: headers.get('etag') ?? `"${project.version}"`,
    assignments: context.assignments,
    assignmentsVisible: assignments !== null,
    conflicts: context.conflicts,
    ownAssessment,
    response,
    actions: allowedActions(project, session, context)
  }
}
