// `data.journal` on every event (API.md "Journalising", v1.1 "Journal direction"): a case-handling
// system files each event from the feed alone: case, titles, direction, date and parties.
import t from 'tap'
import { EVENT_TYPES, type EventType } from '../../src/db/unit-of-work.ts'
import { copenhagenDate } from '../../src/domain/calendar.ts'
import { JOURNAL_RULES, journalOf } from '../../src/modules/audit/journal.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { failOnServerErrors, submitProject } from '../helpers/fixtures.ts'
import { pdfParts, upload } from '../documents/helpers.ts'
import {
  ANNE, backdateLetter, CARL, declare, decide, expectStatus, recentPeriods, register, reportStatus, respond,
  secretariat, statusReportBody, submitter, withLetter
} from '../review/helpers.ts'
import { feedPage } from './helpers.ts'

// One long flow on a fresh database: minutes on a busy machine.
t.setTimeout(600_000)

/** The contract's list, independent of the service's own table. */
const DIRECTION: Record<EventType, 'incoming' | 'outgoing' | 'internal' | 'by uploader'> = {
  'itraad.project.submitted': 'incoming',
  'itraad.project.revised': 'incoming',
  'itraad.project.withdrawn': 'incoming',
  'itraad.response.received': 'incoming',
  'itraad.status_report.submitted': 'incoming',
  'itraad.status_report.corrected': 'incoming',
  'itraad.benefit_report.submitted': 'incoming',
  'itraad.project.closed': 'incoming',
  'itraad.document.added': 'by uploader',
  'itraad.letter.issued': 'outgoing',
  'itraad.status_report.judged': 'outgoing',
  'itraad.follow_up.decided': 'outgoing',
  'itraad.review.member_assigned': 'internal',
  'itraad.review.conflict_declared': 'internal',
  'itraad.review.conflict_decided': 'internal',
  'itraad.assessment.submitted': 'internal',
  'itraad.baseline.approved': 'internal',
  'itraad.project.alert': 'internal',
  'itraad.webhook.registered': 'internal',
  'itraad.webhook.changed': 'internal',
  'itraad.webhook.deleted': 'internal',
  'itraad.webhook.secret_rotated': 'internal',
  'itraad.policy.added': 'internal',
  'itraad.organisation.registered': 'internal',
  'itraad.organisation.changed': 'internal',
  'itraad.member.registered': 'internal',
  'itraad.member.changed': 'internal'
}

const FIVE_REGIONS = ['1081', '1082', '1083', '1084', '1085']
const daysAgo = (days: number) => copenhagenDate(new Date(Date.now() - days * 86_400_000))

interface FeedEvent {
  id: string
  type: EventType
  time: string
  subject: string
  actororg: string
  data: { journal: Record<string, unknown> }
}

t.test('every event of a year of council work carries a complete journal entry', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const admin = bearer(await token('admin', 'ITR'))
  const owner = await submitter()

  // 1. the project's year: submission, revision, documents, a decided conflict, review, letter, answer
  const project = await submitProject(app)
  const url = `/v1/projects/${project.id}`
  const firstTitle = 'Fælles regional booking-platform'
  const title = 'Fælles booking-platform for regionerne'
  expectStatus(await app.inject({ method: 'PATCH', url, headers: { ...owner, 'if-match': '"1"' }, payload: { title } }), 200)
  expectStatus(await upload(app, project.id, owner, pdfParts('Projektgrundlag.pdf', 'pid')), 201)
  expectStatus(await upload(app, project.id, await secretariat(), pdfParts('Sekretariatets notat.pdf', 'other')), 201)
  await register(app, CARL)
  const conflict = expectStatus(await declare(app, project.id, CARL), 201).json()
  expectStatus(await decide(app, project.id, conflict.id, true), 200)
  await withLetter(app, project.id)
  expectStatus(await respond(app, project.id), 201)

  // 2. after the letter: a new baseline, a report corrected and judged red, the council's decision, closure, benefits
  expectStatus(await app.inject({ method: 'PATCH', url, headers: { ...owner, 'if-match': '"2"' }, payload: { phase: 'purchasing' } }), 200)
  expectStatus(await app.inject({ method: 'POST', url: `${url}/baseline-approvals`, headers: await secretariat(), payload: { version: 3 } }), 200)
  await backdateLetter(app, project.id, new Date(Date.now() - 190 * 86_400_000).toISOString())
  const period = recentPeriods(2)[1]!
  expectStatus(await reportStatus(app, project.id, statusReportBody({ period })), 201)
  const { period: _, ...corrected } = statusReportBody({ cost: 'red' })
  expectStatus(await app.inject({ method: 'PUT', url: `${url}/status-reports/${period}`, headers: { ...owner, 'if-match': '"1"' }, payload: corrected }), 200)
  expectStatus(await app.inject({ method: 'POST', url: `${url}/status-reports/${period}/judgement`, headers: await secretariat(), payload: { overall: 'red', comment: 'Budgettet skrider.' } }), 200)
  expectStatus(await app.inject({ method: 'POST', url: `${url}/follow-up-decisions`, headers: await secretariat(), payload: { track: 'back_to_plan', note: 'Tilbage til planen.' } }), 201)
  expectStatus(await app.inject({ method: 'POST', url: `${url}/closure`, headers: owner, payload: { completedOn: daysAgo(10), finalCostDkk: 10_200_000, note: 'I drift.' } }), 200)
  expectStatus(await app.inject({ method: 'POST', url: `${url}/benefit-reports`, headers: owner, payload: { reportedOn: daysAgo(0), realisedFinancialBenefitsDkk: 500_000, note: 'Første måned.' } }), 201)

  // 3. the councils' administration: a member renamed, a policy version, an organisation, a webhook
  expectStatus(await app.inject({ method: 'PATCH', url: `/v1/members/${ANNE.sub}`, headers: { ...admin, 'if-match': '"1"' }, payload: { name: 'Anne Andersen' } }), 200)
  expectStatus(await app.inject({
    method: 'POST',
    url: '/v1/councils/state/policies',
    headers: admin,
    payload: {
      id: 'state-2099',
      effectiveFrom: '2099-01-01',
      rule: { minEligibleCostDkk: 20_000_000, requireAllRegions: false },
      reviewWorkingDays: { project: 12, programme: 20 },
      followUp: { costPct: { yellow: 5, red: 10 }, financialBenefitsPct: { yellow: 5, red: 10 }, scheduleDays: { yellow: 30, red: 60 } }
    }
  }), 201)
  expectStatus(await app.inject({ method: 'POST', url: '/v1/organisations', headers: admin, payload: { code: '12345678', name: 'Testestyrelsen', kind: 'state_authority', council: 'state' } }), 201)
  expectStatus(await app.inject({ method: 'PATCH', url: '/v1/organisations/12345678', headers: { ...admin, 'if-match': '"1"' }, payload: { name: 'Prøvestyrelsen' } }), 200)
  const webhook = expectStatus(await app.inject({ method: 'POST', url: '/v1/webhooks', headers: admin, payload: { url: 'http://127.0.0.1:9/esdh', eventTypes: ['*'] } }), 201).json()
  expectStatus(await app.inject({ method: 'PATCH', url: `/v1/webhooks/${webhook.id}`, headers: { ...admin, 'if-match': '"1"' }, payload: { active: false } }), 200)
  expectStatus(await app.inject({ method: 'POST', url: `/v1/webhooks/${webhook.id}/secret`, headers: admin }), 200)
  expectStatus(await app.inject({ method: 'DELETE', url: `/v1/webhooks/${webhook.id}`, headers: admin }), 204)

  // 4. another project, withdrawn by its owner
  const other = await submitProject(app, '1081')
  expectStatus(await app.inject({ method: 'POST', url: `/v1/projects/${other.id}/withdraw`, headers: await submitter('1081'), payload: { reason: 'Lagt sammen med et andet projekt.' } }), 200)

  // 5. the feed, read as an integration reads it
  await app.sealer.sealPending()
  const events: FeedEvent[] = []
  for (let after = ''; ;) {
    const page = await feedPage(app, `limit=200${after}`)
    events.push(...page.items as unknown as FeedEvent[])
    if (page.nextCursor === null) break
    after = `&after=${page.items.at(-1)!.sequence}`
  }

  const half = (p: string) => `${p.slice(6)}. halvår ${p.slice(0, 4)}`
  t.same(events.map((e) => [e.type, e.data.journal.documentTitle]), [
    ['itraad.project.submitted', 'Projektindsendelse'],
    ['itraad.project.revised', 'Revision af projektet, version 2'],
    ['itraad.document.added', 'Projektgrundlag "Projektgrundlag.pdf"'],
    ['itraad.document.added', 'Dokument "Sekretariatets notat.pdf"'],
    ['itraad.member.registered', 'Registrering af rådsmedlem CARL'],
    ['itraad.review.conflict_declared', 'Inhabilitetserklæring fra rådsmedlem CARL'],
    ['itraad.review.conflict_decided', 'Afgørelse om inhabilitet for rådsmedlem CARL'],
    ['itraad.member.registered', 'Registrering af rådsmedlem ANNE'],
    ['itraad.review.member_assigned', 'Tilknytning af rådsmedlem ANNE'],
    ['itraad.member.registered', 'Registrering af rådsmedlem BENT'],
    ['itraad.review.member_assigned', 'Tilknytning af rådsmedlem BENT'],
    ['itraad.assessment.submitted', 'Risikovurdering fra rådsmedlem ANNE'],
    ['itraad.assessment.submitted', 'Risikovurdering fra rådsmedlem BENT'],
    ['itraad.letter.issued', 'Anbefalingsbrev'],
    ['itraad.response.received', 'Svar på anbefalingsbrev'],
    ['itraad.project.revised', 'Revision af projektet, version 3'],
    ['itraad.baseline.approved', 'Godkendelse af baseline, version 3'],
    ['itraad.status_report.submitted', `Statusrapport ${half(period)}`],
    ['itraad.status_report.corrected', `Rettet statusrapport ${half(period)}`],
    ['itraad.status_report.judged', `Rådets vurdering af statusrapport ${half(period)}`],
    ['itraad.project.alert', `Alarm: statusrapport ${half(period)} vurderet rød`],
    ['itraad.follow_up.decided', `Rådets opfølgningsbeslutning efter statusrapport ${half(period)}`],
    ['itraad.project.closed', 'Afslutning af projektet'],
    ['itraad.benefit_report.submitted', 'Gevinstopgørelse 1'],
    ['itraad.member.changed', 'Ændring af rådsmedlem Anne Andersen'],
    ['itraad.policy.added', 'Regelsæt state-2099, gældende fra 2099-01-01'],
    ['itraad.organisation.registered', 'Registrering af organisationen Testestyrelsen (12345678)'],
    ['itraad.organisation.changed', 'Ændring af organisationen Prøvestyrelsen (12345678)'],
    ['itraad.webhook.registered', 'Registrering af webhook til 127.0.0.1:9'],
    ['itraad.webhook.changed', 'Ændring af webhook til 127.0.0.1:9'],
    ['itraad.webhook.secret_rotated', 'Ny hemmelighed for webhook til 127.0.0.1:9'],
    ['itraad.webhook.deleted', 'Sletning af webhook til 127.0.0.1:9'],
    ['itraad.project.submitted', 'Projektindsendelse'],
    ['itraad.project.withdrawn', 'Tilbagetrækning af projektet']
  ], 'each event in order, with its Danish document title')
  t.same(new Set(events.map((e) => e.type)), new Set(EVENT_TYPES), 'every event type is among them')

  const cases = new Map<string, Array<[string, string]>>()
  for (const event of events) {
    const journal = event.data.journal
    const what = `${event.type} by ${event.actororg}`
    t.same(Object.keys(journal).sort(), ['caseReference', 'caseTitle', 'direction', 'documentDate', 'documentTitle', 'parties'], `${what}: a complete journal`)
    const expected = DIRECTION[event.type]
    t.equal(journal.direction, expected === 'by uploader' ? (event.actororg === '1084' ? 'incoming' : 'internal') : expected, `${what}: direction`)
    t.equal(journal.documentDate, copenhagenDate(new Date(event.time)), `${what}: the Copenhagen date of its time`)
    // Both projects have all five regions, their owners among them.
    const parties = event.subject.startsWith('projects/') ? [...new Set([...FIVE_REGIONS, event.actororg])].sort() : [event.actororg]
    t.same(journal.parties, parties, `${what}: parties`)
    if (event.subject === `projects/${other.id}`) t.same([journal.caseReference, journal.caseTitle], [other.reference, firstTitle], `${what}: its own case`)
    if (event.subject === `projects/${project.id}`) {
      t.equal(journal.caseReference, project.reference, `${what}: the project is the case`)
      t.equal(journal.caseTitle, event.type === 'itraad.project.submitted' ? firstTitle : title, `${what}: the project's title as of the event`)
    }
    cases.set(event.type, [...cases.get(event.type) ?? [], [journal.caseReference as string, journal.caseTitle as string]])
  }
  t.same(cases.get('itraad.member.changed'), [['ITR-ADM-MEDLEMMER', 'Regionernes It-råd: rådets medlemmer']])
  t.same(cases.get('itraad.policy.added'), [['SIR-ADM-REGELSAET', 'Statens It-råd: regelsæt for rådsbehandling']])
  t.same(new Set(cases.get('itraad.organisation.changed')!.concat(cases.get('itraad.organisation.registered')!).map(String)),
    new Set(['ADM-ORGANISATIONER,Regionernes og Statens It-råd: organisationsregister']))
  const webhooks = events.filter((e) => e.type.startsWith('itraad.webhook.')).map((e) => [e.data.journal.caseReference, e.data.journal.caseTitle])
  t.same(webhooks, Array(4).fill(['ADM-INTEGRATIONER', 'Regionernes og Statens It-råd: integrationer (webhooks)']))
})

t.test('every event type has its journal rule, and the rule gives a complete entry', async (t) => {
  const project = { id: '00000000-0000-4000-8000-000000000001', reference: 'SIR-2026-0007', title: 'Ny tinglysning', ownerOrg: '12345678', participatingRegions: [] }
  // Every field some document title names.
  const data = {
    version: 2,
    memberName: 'Anne Andersen',
    approvedBaseline: { version: 2 },
    period: '2026-H2',
    number: 1,
    kind: 'risk_log',
    filename: 'Risici.xlsx',
    host: 'esdh.example.dk',
    id: 'state-2099',
    effectiveFrom: '2099-01-01',
    name: 'Prøvestyrelsen',
    code: '12345678',
    council: 'state'
  }
  t.same(Object.keys(JOURNAL_RULES).sort(), [...EVENT_TYPES].sort(), 'one rule per event type, no more')
  for (const type of EVENT_TYPES) {
    const projectEvent = JOURNAL_RULES[type].case === 'project'
    const journal = journalOf({ type, project: projectEvent ? project : null, actorOrg: 'ITR', time: '2026-12-31T23:00:00.000Z', data })
    const expected = DIRECTION[type]
    t.equal(journal.direction, expected === 'by uploader' ? 'internal' : expected, `${type}: direction`)
    t.match(journal, { caseReference: /\S/, caseTitle: /\S/, documentTitle: /\S/, documentDate: '2027-01-01' }, `${type}: complete`)
    t.same(journal.parties, projectEvent ? ['12345678', 'ITR'] : ['ITR'], `${type}: parties`)
  }
  t.equal(journalOf({ type: 'itraad.document.added', project, actorOrg: '12345678', time: '2026-06-30T22:30:00.000Z', data }).direction, 'incoming', 'the owner\'s document comes in')
  t.equal(journalOf({ type: 'itraad.document.added', project, actorOrg: '12345678', time: '2026-06-30T22:30:00.000Z', data }).documentDate, '2026-07-01', 'summer time')
  t.throws(() => journalOf({ type: 'itraad.letter.issued', project: null, actorOrg: 'ITR', time: '2026-12-01T12:00:00.000Z', data }), /needs the project/)
  t.throws(() => journalOf({ type: 'itraad.status_report.submitted', project, actorOrg: 'ITR', time: '2026-12-01T12:00:00.000Z', data: {} }), /has no period/)
})
