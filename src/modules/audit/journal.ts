import { DOCUMENT_KINDS } from '../../db/schema/documents.ts'
import type { EventType } from '../../db/unit-of-work.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { COUNCIL_CODES, councilOf } from '../../domain/councils.ts'
import type { Project } from '../../repositories/projects.ts'
import type { Journal } from '../../schemas/event.ts'
import { danishPeriod, DOCUMENT_KIND_DA } from '../documents/danish.ts'

/*
 * `data.journal` of every event (API.md, "Journalising"): enough for a case-handling (ESDH) system
 * to file the event without calling back. The case of a project event is the project; the other
 * events are filed in the administration cases below. Events stored before v1.1 have no journal
 * (the hash chain covers their bytes).
 */

export const JOURNAL_DIRECTIONS = ['incoming', 'outgoing', 'internal'] as const
type JournalDirection = (typeof JOURNAL_DIRECTIONS)[number]

/** What a project event's journal needs of its project: the use cases hold the row already. */
export type JournalProject = Pick<Project, 'id' | 'reference' | 'title' | 'ownerOrg' | 'participatingRegions'>

type EventData = Readonly<Record<string, unknown>>

/**
 * The administration cases of the councils and of the service, for the events that concern no
 * project: a council's policy versions and its member directory are that council's own cases; the
 * organisation register and the webhooks serve both councils and are the service's.
 */
const ADMINISTRATION_CASES = {
  policies: (data: EventData) => councilCase(data, 'REGELSAET', 'regelsæt for rådsbehandling'),
  members: (data: EventData) => councilCase(data, 'MEDLEMMER', 'rådets medlemmer'),
  organisations: () => ({ caseReference: 'ADM-ORGANISATIONER', caseTitle: 'Regionernes og Statens It-råd: organisationsregister' }),
  webhooks: () => ({ caseReference: 'ADM-INTEGRATIONER', caseTitle: 'Regionernes og Statens It-råd: integrationer (webhooks)' })
} satisfies Record<string, (data: EventData) => Pick<Journal, 'caseReference' | 'caseTitle'>>

type AdministrationCase = keyof typeof ADMINISTRATION_CASES

/**
 * A project event's direction: API.md v1.1 "Journal direction" — incoming for what the project
 * sends, outgoing for what the council sends, internal for the rest. The owner's closure and its
 * corrections of status reports are things the project sends too. `by_uploader`: a document the
 * owner uploads comes in; one the council's secretariat adds to the case is an internal document.
 */
type ProjectDirection = JournalDirection | 'by_uploader'

type JournalRule =
  | { case: 'project', direction: ProjectDirection, documentTitle: (data: EventData) => string }
  | { case: AdministrationCase, documentTitle: (data: EventData) => string }

/** Per event type, the one place that decides its case, direction and Danish document title. */
export const JOURNAL_RULES = {
  'itraad.project.submitted': { case: 'project', direction: 'incoming', documentTitle: () => 'Projektindsendelse' },
  'itraad.project.revised': { case: 'project', direction: 'incoming', documentTitle: (d) => `Revision af projektet, version ${field(d, 'version')}` },
  'itraad.project.withdrawn': { case: 'project', direction: 'incoming', documentTitle: () => 'Tilbagetrækning af projektet' },
  'itraad.review.member_assigned': { case: 'project', direction: 'internal', documentTitle: (d) => `Tilknytning af rådsmedlem ${field(d, 'memberName')}` },
  'itraad.review.conflict_declared': { case: 'project', direction: 'internal', documentTitle: (d) => `Inhabilitetserklæring fra rådsmedlem ${field(d, 'memberName')}` },
  'itraad.review.conflict_decided': { case: 'project', direction: 'internal', documentTitle: (d) => `Afgørelse om inhabilitet for rådsmedlem ${field(d, 'memberName')}` },
  'itraad.baseline.approved': { case: 'project', direction: 'internal', documentTitle: (d) => `Godkendelse af baseline, version ${field(d, 'approvedBaseline', 'version')}` },
  'itraad.status_report.corrected': { case: 'project', direction: 'incoming', documentTitle: (d) => `Rettet statusrapport ${danishPeriod(field(d, 'period'))}` },
  'itraad.status_report.judged': { case: 'project', direction: 'outgoing', documentTitle: (d) => `Rådets vurdering af statusrapport ${danishPeriod(field(d, 'period'))}` },
  'itraad.follow_up.decided': { case: 'project', direction: 'outgoing', documentTitle: (d) => `Rådets opfølgningsbeslutning efter statusrapport ${danishPeriod(field(d, 'period'))}` },
  'itraad.project.closed': { case: 'project', direction: 'incoming', documentTitle: () => 'Afslutning af projektet' },
  'itraad.benefit_report.submitted': { case: 'project', direction: 'incoming', documentTitle: (d) => `Gevinstopgørelse ${field(d, 'number')}` },
  'itraad.document.added': { case: 'project', direction: 'by_uploader', documentTitle: (d) => `${DOCUMENT_KIND_DA[oneOf(DOCUMENT_KINDS, field(d, 'kind'))]} "${field(d, 'filename')}"` },
  'itraad.assessment.submitted': { case: 'project', direction: 'internal', documentTitle: (d) => `Risikovurdering fra rådsmedlem ${field(d, 'memberName')}` },
  'itraad.letter.issued': { case: 'project', direction: 'outgoing', documentTitle: () => 'Anbefalingsbrev' },
  'itraad.response.received': { case: 'project', direction: 'incoming', documentTitle: () => 'Svar på anbefalingsbrev' },
  'itraad.status_report.submitted': { case: 'project', direction: 'incoming', documentTitle: (d) => `Statusrapport ${danishPeriod(field(d, 'period'))}` },
  'itraad.project.alert': { case: 'project', direction: 'internal', documentTitle: (d) => `Alarm: statusrapport ${danishPeriod(field(d, 'period'))} vurderet rød` },
  'itraad.webhook.registered': { case: 'webhooks', documentTitle: (d) => `Registrering af webhook til ${field(d, 'host')}` },
  'itraad.webhook.changed': { case: 'webhooks', documentTitle: (d) => `Ændring af webhook til ${field(d, 'host')}` },
  'itraad.webhook.deleted': { case: 'webhooks', documentTitle: (d) => `Sletning af webhook til ${field(d, 'host')}` },
  'itraad.webhook.secret_rotated': { case: 'webhooks', documentTitle: (d) => `Ny hemmelighed for webhook til ${field(d, 'host')}` },
  'itraad.policy.added': { case: 'policies', documentTitle: (d) => `Regelsæt ${field(d, 'id')}, gældende fra ${field(d, 'effectiveFrom')}` },
  'itraad.organisation.registered': { case: 'organisations', documentTitle: (d) => `Registrering af organisationen ${field(d, 'name')} (${field(d, 'code')})` },
  'itraad.organisation.changed': { case: 'organisations', documentTitle: (d) => `Ændring af organisationen ${field(d, 'name')} (${field(d, 'code')})` },
  'itraad.member.registered': { case: 'members', documentTitle: (d) => `Registrering af rådsmedlem ${field(d, 'name')}` },
  'itraad.member.changed': { case: 'members', documentTitle: (d) => `Ændring af rådsmedlem ${field(d, 'name')}` }
} as const satisfies Record<EventType, JournalRule>

/** The event types whose case is a project: their events must name it (AuditLog.append). */
export type ProjectEventType = { [T in EventType]: (typeof JOURNAL_RULES)[T]['case'] extends 'project' ? T : never }[EventType]

/** What an event brings to its journal entry. */
export interface JournalInput {
  type: EventType
  /** The project, for a project event. */
  project: JournalProject | null
  /** The actor's organisation. */
  actorOrg: string
  /** The event's time, ISO 8601. */
  time: string
  data: EventData
}

/** The event's journal entry. A field a rule needs and the data lacks is a bug of the use case: it throws. */
export function journalOf (event: JournalInput): Journal {
  const rule: JournalRule = JOURNAL_RULES[event.type]
  const documentTitle = rule.documentTitle(event.data)
  const documentDate = copenhagenDate(new Date(event.time))
  if (rule.case !== 'project') {
    return { ...ADMINISTRATION_CASES[rule.case](event.data), documentTitle, direction: 'internal', documentDate, parties: [event.actorOrg] }
  }
  const project = event.project
  if (project === null) throw new Error(`${event.type} is a project event: its journal needs the project`)
  const direction = rule.direction === 'by_uploader'
    ? (event.actorOrg === project.ownerOrg ? 'incoming' : 'internal')
    : rule.direction
  return {
    caseReference: project.reference,
    caseTitle: project.title,
    documentTitle,
    direction,
    documentDate,
    parties: [...new Set([project.ownerOrg, ...project.participatingRegions, event.actorOrg])].sort()
  }
}

/** A council's administration case: "ITR-ADM-MEDLEMMER", "Regionernes It-råd: rådets medlemmer". */
function councilCase (data: EventData, topic: string, title: string): Pick<Journal, 'caseReference' | 'caseTitle'> {
  const council = councilOf(oneOf(COUNCIL_CODES, field(data, 'council')))
  return { caseReference: `${council.referencePrefix}-ADM-${topic}`, caseTitle: `${council.name}: ${title}` }
}

function oneOf<T extends string> (values: readonly T[], value: string): T {
  if (!(values as readonly string[]).includes(value)) throw new Error(`journal: ${value} is none of ${values.join(', ')}`)
  return value as T
}

/** A text or number of the event's data (at a path of nested objects) as text; its absence is a bug. */
function field (data: EventData, ...path: string[]): string {
  let value: unknown = data
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as EventData)[key] : undefined
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  throw new Error(`journal: the event's data has no ${path.join('.')}`)
}
