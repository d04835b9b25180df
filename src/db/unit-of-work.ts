import { randomUUID } from 'node:crypto'
import canonicalize from 'canonicalize'
import { sql } from 'drizzle-orm'
import type { Caller } from '../auth/caller.ts'
import type { Db } from './client.ts'
import { preparedStatement } from './statements.ts'

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export const EVENT_TYPES = [
  'itraad.project.submitted',
  'itraad.project.revised',
  'itraad.project.withdrawn',
  'itraad.review.member_assigned',
  'itraad.review.conflict_declared',
  'itraad.assessment.submitted',
  'itraad.letter.issued',
  'itraad.response.received',
  'itraad.status_report.submitted',
  'itraad.project.alert',
  'itraad.webhook.registered'
] as const
export type EventType = typeof EVENT_TYPES[number]

export const EVENT_SOURCE = '/council-gate'

export interface AuditEventInput {
  type: EventType
  /** `projects/{id}`, `webhooks/{id}` … */
  subject: string
  projectId: string | null
  /** Event payload. Include `reference` and a one-line Danish `description` for journalising. */
  data: Record<string, unknown>
}

/** Collects the audit events of one transaction; they are written just before it commits. */
export class AuditLog {
  readonly #caller: Caller
  readonly #rows: Array<{ id: string, projectId: string | null, type: EventType, body: string }> = []

  constructor (caller: Caller) {
    this.#caller = caller
  }

  append (event: AuditEventInput): string {
    const id = randomUUID()
    // The CloudEvent without its chain attributes (sequence, hash, prevhash), as RFC 8785 canonical
    // JSON. These exact bytes are stored and hashed; they are never re-serialised.
    const body = canonicalize({
      specversion: '1.0',
      id,
      source: EVENT_SOURCE,
      type: event.type,
      subject: event.subject,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      authtype: this.#caller.kind,
      authid: this.#caller.sub,
      actororg: this.#caller.org,
      data: event.data
    })
    if (body === undefined) throw new Error('audit event is not serialisable')
    this.#rows.push({ id, projectId: event.projectId, type: event.type, body })
    return id
  }

  get size () {
    return this.#rows.length
  }

  /** One statement for all events of the transaction: the event rows and their place in the sealer's queue. */
  async flush (tx: Tx): Promise<void> {
    if (this.#rows.length === 0) return
    const rows = this.#rows
    await appendEvents(tx, {
      ids: rows.map((r) => r.id),
      projectIds: rows.map((r) => r.projectId),
      types: rows.map((r) => r.type),
      bodies: rows.map((r) => r.body)
    })
    this.#rows.length = 0
  }
}

// Any number of events as one prepared statement: arrays, unnested in order (pos follows it).
const appendEvents = preparedStatement<{ ids: string[], projectIds: Array<string | null>, types: string[], bodies: string[] }>('append_events', () => sql`
  with inserted as (
    insert into audit_events (id, project_id, type, body)
    select * from unnest(${sql.placeholder('ids')}::uuid[], ${sql.placeholder('projectIds')}::uuid[], ${sql.placeholder('types')}::text[], ${sql.placeholder('bodies')}::text[])
    returning pos
  )
  insert into audit_unsealed (pos) select pos from inserted`)

export type CommitListener = () => void

/**
 * The unit of work (DESIGN.md guarantee 1): a use case's change and its audit events commit
 * together or not at all. Events are inserted last, so the rows they touch are locked for the
 * shortest time.
 */
export class UnitOfWork {
  readonly #db: Db
  readonly #listeners = new Set<CommitListener>()

  constructor (db: Db) {
    this.#db = db
  }

  get db (): Db {
    return this.#db
  }

  /** Called after a transaction with audit events has committed (the sealer listens). */
  onEventsCommitted (listener: CommitListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async run<T> (caller: Caller, work: (tx: Tx, audit: AuditLog) => Promise<T>): Promise<T> {
    const audit = new AuditLog(caller)
    let wroteEvents = false
    const result = await this.#db.transaction(async (tx) => {
      const value = await work(tx, audit)
      wroteEvents = audit.size > 0
      await audit.flush(tx)
      return value
    })
    if (wroteEvents) for (const listener of this.#listeners) listener()
    return result
  }
}
