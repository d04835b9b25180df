import { randomUUID } from 'node:crypto'
import type { Caller } from '../auth/caller.ts'
import { canonicalJson } from '../canonical-json.ts'
import { journalOf, type JournalProject, type ProjectEventType } from '../modules/audit/journal.ts'
import { AuditRepository, type NewAuditEvent } from '../repositories/audit.ts'
import type { Database, Db } from './client.ts'

export const EVENT_TYPES = [
  'itraad.project.submitted',
  'itraad.project.revised',
  'itraad.project.withdrawn',
  'itraad.review.member_assigned',
  'itraad.review.conflict_declared',
  'itraad.review.conflict_decided',
  'itraad.baseline.approved',
  'itraad.status_report.corrected',
  'itraad.status_report.judged',
  'itraad.follow_up.decided',
  'itraad.project.closed',
  'itraad.benefit_report.submitted',
  'itraad.document.added',
  'itraad.assessment.submitted',
  'itraad.letter.issued',
  'itraad.response.received',
  'itraad.status_report.submitted',
  'itraad.project.alert',
  'itraad.webhook.registered',
  'itraad.webhook.changed',
  'itraad.webhook.deleted',
  'itraad.webhook.secret_rotated',
  'itraad.policy.added',
  'itraad.organisation.registered',
  'itraad.organisation.changed',
  'itraad.member.registered',
  'itraad.member.changed'
] as const
export type EventType = typeof EVENT_TYPES[number]

export const EVENT_SOURCE = '/council-gate'

interface EventInput {
  /** Event payload. Include `reference` and a one-line Danish `description`; the log adds `journal`. */
  data: Record<string, unknown> & { journal?: never }
  /** The instant of the change (ISO 8601), when the use case has it already; otherwise now. */
  time?: string
}

/** An event of a project: its subject (`projects/{id}`) and its journal case are the project. */
interface ProjectEventInput extends EventInput {
  type: ProjectEventType
  project: JournalProject
}

/** An event of the councils' or the service's administration (JOURNAL_RULES names its case). */
interface AdministrationEventInput extends EventInput {
  type: Exclude<EventType, ProjectEventType>
  /** `webhooks/{id}`, `members/{sub}` … */
  subject: string
  projectId: null
}

export type AuditEventInput = ProjectEventInput | AdministrationEventInput

/** Collects the audit events of one unit of work; they are written just before it commits. */
export class AuditLog {
  readonly #caller: Caller
  readonly #events: NewAuditEvent[] = []

  constructor (caller: Caller) {
    this.#caller = caller
  }

  append (event: AuditEventInput): string {
    const id = randomUUID()
    const time = event.time ?? new Date().toISOString()
    const { subject, project } = 'project' in event
      ? { subject: `projects/${event.project.id}`, project: event.project }
      : { subject: event.subject, project: null }
    const journal = journalOf({ type: event.type, project, actorOrg: this.#caller.org, time, data: event.data })
    // The CloudEvent without its chain attributes (sequence, hash, prevhash), as RFC 8785 canonical
    // JSON. These exact bytes are stored and hashed; they are never re-serialised.
    const body = canonicalJson({
      specversion: '1.0',
      id,
      source: EVENT_SOURCE,
      type: event.type,
      subject,
      time,
      datacontenttype: 'application/json',
      authtype: this.#caller.kind,
      authid: this.#caller.sub,
      actororg: this.#caller.org,
      data: { ...event.data, journal }
    })
    this.#events.push({ id, projectId: project?.id ?? null, type: event.type, body })
    return id
  }

  /** The events appended so far, handed over once. */
  take (): NewAuditEvent[] {
    return this.#events.splice(0)
  }
}

export type CommitListener = () => void

/**
 * The unit of work (DESIGN.md guarantee 1): a use case's change and its audit events commit
 * together or not at all. Events are inserted last, so the rows they touch are locked for the
 * shortest time.
 */
export class UnitOfWork {
  readonly #database: Database
  readonly #listeners = new Set<CommitListener>()

  constructor (database: Database) {
    this.#database = database
  }

  get db (): Db {
    return this.#database.db
  }

  /** Called after a transaction with audit events has committed (the sealer listens). */
  onEventsCommitted (listener: CommitListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async run<T> (caller: Caller, work: (tx: Db, audit: AuditLog) => Promise<T>): Promise<T> {
    const audit = new AuditLog(caller)
    let written = 0
    const result = await this.#database.transaction(async (tx) => {
      const value = await work(tx, audit)
      const events = audit.take()
      await new AuditRepository(tx).append(events)
      written = events.length
      return value
    })
    if (written > 0) for (const listener of this.#listeners) listener()
    return result
  }
}
