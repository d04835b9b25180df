// actions.js decides which actions the pages offer on a project. A table per role and state says
// exactly which: every role the pages know, in every state of src/domain/lifecycle.ts.
import t from 'tap'
import { PROJECT_STATUSES, type ProjectStatus } from '../../src/domain/lifecycle.ts'

type Action = 'assess' | 'declareConflict' | 'assign' | 'decideConflict' | 'issueLetter' | 'respond' | 'reportStatus' | 'correctReports' | 'judgeReports' | 'approveBaseline' | 'decideFollowUp' | 'revise' | 'withdraw' | 'close' | 'reportBenefits'
interface Session { roles: string[], org: string, sub: string }
interface Report { period: string, overall?: string | null, judgement?: { overall: string, judgedAt: string } | null }
interface Context {
  assignments?: Array<{ memberSub: string, active: boolean }>
  conflicts?: Array<{ memberSub: string, decision: string }>
  assessed?: boolean
  hasResponse?: boolean
  reports?: Report[]
  followUpPeriods?: string[]
  benefitReports?: number
}
interface ActionsModule {
  ACTIONS: readonly Action[]
  allowedActions: (project: { status: string, ownerOrg: string, letter?: unknown, version?: number, approvedBaseline?: { version: number } | null, followUpTrack?: string | null }, session: Session | null, context?: Context) => Action[]
}

// The browser module as it is served (plain JS, no build step); its types are checked by tsc -p src/web.
const { ACTIONS, allowedActions } = await import(new URL('../../src/web/public/js/actions.js', import.meta.url).href) as ActionsModule

const OWNER_ORG = '1084'
const annaAssigned = { memberSub: 'cm-anna', active: true }
const boAssigned = { memberSub: 'cm-bo', active: true }

interface Role { name: string, session: Session, context: Context }

const ROLES: Role[] = [
  { name: 'submitter of the owning org', session: { roles: ['submitter'], org: OWNER_ORG, sub: 'mette' }, context: {} },
  { name: 'submitter of another (participating) org', session: { roles: ['submitter'], org: '1083', sub: 'sven' }, context: {} },
  { name: 'council member, assigned', session: { roles: ['council_member'], org: 'ITR', sub: 'cm-anna' }, context: { assignments: [annaAssigned], assessed: false } },
  { name: 'council member, assigned, has assessed', session: { roles: ['council_member'], org: 'ITR', sub: 'cm-anna' }, context: { assignments: [annaAssigned, boAssigned], assessed: true } },
  { name: 'council member, not assigned', session: { roles: ['council_member'], org: 'ITR', sub: 'cm-carl' }, context: { assignments: [annaAssigned, boAssigned], assessed: false } },
  { name: 'secretariat (one member assigned)', session: { roles: ['secretariat'], org: 'ITR', sub: 'sek-lise' }, context: { assignments: [annaAssigned] } },
  { name: 'integration', session: { roles: ['integration'], org: 'ESDH', sub: 'esdh' }, context: { assignments: [annaAssigned] } }
]

/** role → status → exactly the allowed actions, in ACTIONS order */
const EXPECTED: Record<string, Record<ProjectStatus, Action[]>> = {
  'submitter of the owning org': {
    not_required: ['revise', 'withdraw'],
    awaiting_assessment: ['revise', 'withdraw'],
    under_assessment: ['revise', 'withdraw'],
    letter_issued: ['respond', 'reportStatus', 'correctReports', 'revise', 'withdraw', 'close'],
    responded: ['reportStatus', 'correctReports', 'revise', 'withdraw', 'close'],
    withdrawn: [],
    closed: ['reportBenefits']
  },
  'submitter of another (participating) org': {
    not_required: [], awaiting_assessment: [], under_assessment: [], letter_issued: [], responded: [], withdrawn: [], closed: []
  },
  'council member, assigned': {
    not_required: [], awaiting_assessment: ['declareConflict'], under_assessment: ['assess', 'declareConflict'], letter_issued: [], responded: [], withdrawn: [], closed: []
  },
  'council member, assigned, has assessed': {
    not_required: [], awaiting_assessment: ['declareConflict'], under_assessment: ['declareConflict'], letter_issued: [], responded: [], withdrawn: [], closed: []
  },
  'council member, not assigned': {
    not_required: [], awaiting_assessment: ['declareConflict'], under_assessment: ['declareConflict'], letter_issued: [], responded: [], withdrawn: [], closed: []
  },
  'secretariat (one member assigned)': {
    not_required: [],
    awaiting_assessment: ['assign'],
    under_assessment: ['assign', 'issueLetter'],
    letter_issued: ['judgeReports'],
    responded: ['judgeReports'],
    withdrawn: [],
    closed: []
  },
  integration: {
    not_required: [], awaiting_assessment: [], under_assessment: [], letter_issued: [], responded: [], withdrawn: [], closed: []
  }
}

const letterFor = (status: ProjectStatus) => ['letter_issued', 'responded'].includes(status) ? { riskProfile: 'B', issuedAt: '2026-03-02T10:00:00Z' } : null
// The letter approves the version it answers as the baseline; the table's projects have not been revised since.
const baselineFor = (status: ProjectStatus) => letterFor(status) ? { version: 1 } : null

t.test('every role × every status: exactly the allowed actions', async (t) => {
  t.same(Object.keys(EXPECTED), ROLES.map((r) => r.name), 'the table covers every role')
  for (const role of ROLES) {
    for (const status of PROJECT_STATUSES) {
      const project = { status, ownerOrg: OWNER_ORG, letter: letterFor(status), version: 1, approvedBaseline: baselineFor(status) }
      t.same(allowedActions(project, role.session, role.context), EXPECTED[role.name]?.[status], `${role.name}, ${status}`)
    }
  }
})

t.test('the actions come in the pages\' order, and only known keys', async (t) => {
  t.same(ACTIONS, ['assess', 'declareConflict', 'assign', 'decideConflict', 'issueLetter', 'respond', 'reportStatus', 'correctReports', 'judgeReports', 'approveBaseline', 'decideFollowUp', 'revise', 'withdraw', 'close', 'reportBenefits'])
  const owner = ROLES[0]!
  const actions = allowedActions({ status: 'letter_issued', ownerOrg: OWNER_ORG }, owner.session, {})
  t.same(actions, [...actions].sort((a, b) => ACTIONS.indexOf(a) - ACTIONS.indexOf(b)))
})

t.test('the secretariat assigns until two members are active; an ended assignment frees a place', async (t) => {
  const secretariat = { roles: ['secretariat'], org: 'ITR', sub: 'sek-lise' }
  const under = { status: 'under_assessment', ownerOrg: OWNER_ORG }
  t.same(allowedActions(under, secretariat, {}), ['assign', 'issueLetter'], 'no assignments known')
  t.same(allowedActions(under, secretariat, { assignments: [annaAssigned, boAssigned] }), ['issueLetter'], 'two active: no third')
  t.same(allowedActions(under, secretariat, { assignments: [{ memberSub: 'cm-anna', active: false }, boAssigned] }), ['assign', 'issueLetter'], 'one ended, one active')
  t.same(allowedActions({ status: 'awaiting_assessment', ownerOrg: OWNER_ORG }, secretariat, { assignments: [annaAssigned, boAssigned] }), [])
})

t.test('a member whose assignment has ended (disqualified) cannot assess', async (t) => {
  const anna = { roles: ['council_member'], org: 'ITR', sub: 'cm-anna' }
  const disqualified = [{ memberSub: 'cm-anna', decision: 'disqualified' }]
  t.same(allowedActions({ status: 'under_assessment', ownerOrg: OWNER_ORG }, anna, { assignments: [{ memberSub: 'cm-anna', active: false }], conflicts: disqualified }), [])
  t.same(allowedActions({ status: 'under_assessment', ownerOrg: OWNER_ORG }, anna, {}), ['declareConflict'], 'assignments unknown: assessing not offered')
})

t.test('a declaration of disqualification: pending or disqualified, no assessing; pending, no letter but a decision', async (t) => {
  const anna = { roles: ['council_member'], org: 'ITR', sub: 'cm-anna' }
  const under = { status: 'under_assessment', ownerOrg: OWNER_ORG }
  const assignments = [annaAssigned, boAssigned]
  t.same(allowedActions(under, anna, { assignments, conflicts: [{ memberSub: 'cm-anna', decision: 'pending' }] }), [], 'pending: neither assess nor declare again')
  t.same(allowedActions(under, anna, { assignments, conflicts: [{ memberSub: 'cm-anna', decision: 'disqualified' }] }), [])
  t.same(allowedActions(under, anna, { assignments, conflicts: [{ memberSub: 'cm-anna', decision: 'not_disqualified' }] }), ['assess'], 'not disqualified: assesses as before')
  const secretariat = { roles: ['secretariat'], org: 'ITR', sub: 'sek-lise' }
  t.same(allowedActions(under, secretariat, { assignments, conflicts: [{ memberSub: 'cm-anna', decision: 'pending' }] }), ['decideConflict'], 'no letter while pending')
  t.same(allowedActions(under, secretariat, { assignments, conflicts: [{ memberSub: 'cm-anna', decision: 'not_disqualified' }] }), ['issueLetter'])
  t.same(allowedActions({ status: 'letter_issued', ownerOrg: OWNER_ORG }, secretariat, { conflicts: [{ memberSub: 'cm-anna', decision: 'pending' }] }), ['judgeReports'], 'after the letter: no conflict to decide, only the follow-up')
})

t.test('the owner answers the letter once', async (t) => {
  const owner = ROLES[0]!.session
  t.same(allowedActions({ status: 'letter_issued', ownerOrg: OWNER_ORG }, owner, { hasResponse: true }), ['reportStatus', 'correctReports', 'revise', 'withdraw', 'close'])
})

t.test('the secretariat approves a later version as the baseline, only after the letter', async (t) => {
  const secretariat = { roles: ['secretariat'], org: 'ITR', sub: 'sek-lise' }
  const owner = ROLES[0]!.session
  const revised = { status: 'responded', ownerOrg: OWNER_ORG, version: 3, approvedBaseline: { version: 2 } }
  t.same(allowedActions(revised, secretariat, {}), ['judgeReports', 'approveBaseline'], 'version 3 after baseline 2')
  t.same(allowedActions({ ...revised, status: 'letter_issued' }, secretariat, {}), ['judgeReports', 'approveBaseline'])
  t.same(allowedActions({ ...revised, approvedBaseline: { version: 3 } }, secretariat, {}), ['judgeReports'], 'the current version is approved')
  t.same(allowedActions({ ...revised, approvedBaseline: null }, secretariat, {}), ['judgeReports', 'approveBaseline'], 'no approved baseline yet')
  t.same(allowedActions({ status: 'responded', ownerOrg: OWNER_ORG, approvedBaseline: { version: 1 } }, secretariat, {}), ['judgeReports'], 'the version unknown: not offered')
  t.same(allowedActions({ ...revised, status: 'under_assessment' }, secretariat, {}), ['assign', 'issueLetter'], 'before the letter: no follow-up')
  t.same(allowedActions({ ...revised, status: 'withdrawn' }, secretariat, {}), [], 'withdrawn: no follow-up')
  t.same(allowedActions(revised, owner, {}), ['reportStatus', 'correctReports', 'revise', 'withdraw', 'close'], 'the owner neither judges nor approves')
  t.same(allowedActions(revised, { roles: ['council_member'], org: 'ITR', sub: 'cm-anna' }, { assignments: [annaAssigned] }), [], 'a member neither')
})

t.test('several roles add up; no session, an unknown state or a role without a page: nothing', async (t) => {
  const both = { roles: ['submitter', 'secretariat'], org: OWNER_ORG, sub: 'x' }
  t.same(allowedActions({ status: 'under_assessment', ownerOrg: OWNER_ORG }, both, {}), ['assign', 'issueLetter', 'revise', 'withdraw'])
  t.same(allowedActions({ status: 'under_assessment', ownerOrg: OWNER_ORG }, null, {}), [])
  t.same(allowedActions({ status: 'archived', ownerOrg: OWNER_ORG }, ROLES[0]!.session, {}), [], 'a state the pages do not know offers nothing')
  t.same(allowedActions({ status: 'letter_issued', ownerOrg: OWNER_ORG }, { roles: ['admin'], org: 'ITR', sub: 'root' }, {}), [])
  t.same(allowedActions({ status: 'letter_issued', ownerOrg: OWNER_ORG }, { roles: [], org: OWNER_ORG, sub: 'nobody' }, {}), [], 'the owner org without the submitter role')
})

t.test('the secretariat records the council\'s decision once the latest judgement is red, once per red judgement', async (t) => {
  const secretariat = { roles: ['secretariat'], org: 'ITR', sub: 'sek-lise' }
  const owner = ROLES[0]!.session
  const project = { status: 'responded', ownerOrg: OWNER_ORG, version: 1, approvedBaseline: { version: 1 }, followUpTrack: null }
  const red = { period: '2026-H2', overall: 'red', judgement: { overall: 'red', judgedAt: '2026-11-02T10:00:00Z' } }
  const greenEarlier = { period: '2026-H1', overall: 'green', judgement: { overall: 'green', judgedAt: '2026-06-02T10:00:00Z' } }
  const unjudged = { period: '2027-H1', overall: null, judgement: null }
  t.same(allowedActions(project, secretariat, { reports: [unjudged, red, greenEarlier] }), ['judgeReports', 'decideFollowUp'], 'the latest judgement is red; a newer report is not judged yet')
  t.same(allowedActions(project, secretariat, { reports: [] }), ['judgeReports'], 'nothing judged')
  t.same(allowedActions(project, secretariat, { reports: [{ ...red, overall: 'yellow', judgement: { overall: 'yellow', judgedAt: red.judgement.judgedAt } }, greenEarlier] }), ['judgeReports'], 'yellow: no decision')
  // A red report judged before a green one: the latest judgement (by time) is green.
  t.same(allowedActions(project, secretariat, { reports: [{ ...greenEarlier, period: '2026-H2', judgement: { overall: 'green', judgedAt: '2026-12-01T10:00:00Z' } }, { ...red, period: '2026-H1' }] }), ['judgeReports'], 'red, then green: no decision')
  t.same(allowedActions(project, secretariat, { reports: [red], followUpPeriods: ['2026-H2'] }), ['judgeReports'], 'decided for this red judgement')
  t.same(allowedActions(project, secretariat, { reports: [red], followUpPeriods: ['2026-H1'] }), ['judgeReports', 'decideFollowUp'], 'an earlier decision, a new red judgement')
  t.same(allowedActions({ ...project, followUpTrack: 'back_to_plan' }, secretariat, { reports: [red] }), ['judgeReports'], 'the decided periods unknown: a track means decided')
  t.same(allowedActions({ ...project, status: 'closed' }, secretariat, { reports: [red] }), [], 'closed: no follow-up')
  t.same(allowedActions(project, owner, { reports: [red] }), ['reportStatus', 'correctReports', 'revise', 'withdraw', 'close'], 'the owner does not decide')
})

t.test('the owner of a closed project reports benefits at most twice; closed is final', async (t) => {
  const owner = ROLES[0]!.session
  const closed = { status: 'closed', ownerOrg: OWNER_ORG }
  t.same(allowedActions(closed, owner, { benefitReports: 0 }), ['reportBenefits'])
  t.same(allowedActions(closed, owner, { benefitReports: 1 }), ['reportBenefits'], 'one more')
  t.same(allowedActions(closed, owner, { benefitReports: 2 }), [], 'both reported')
  t.same(allowedActions(closed, ROLES[1]!.session, { benefitReports: 0 }), [], 'a participating region does not report')
  t.same(allowedActions(closed, { roles: ['secretariat'], org: 'ITR', sub: 'sek-lise' }, { benefitReports: 0 }), [])
})
