import { randomUUID } from 'node:crypto'
import { sql, type SQL } from 'drizzle-orm'
import type { Caller } from '../auth/caller.ts'
import { canonicalJson } from '../canonical-json.ts'
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
  /**
   * Event payload. Include `reference` and a one-line Danish `description` for journalising. Keys
   * in code-unit order (as canonical JSON writes them) make the event cheaper to serialise.
   */
  data: Record<string, unknown>
  /** The instant of the change (ISO 8601), when the use case has it already; otherwise now. */
  time?: string
}

/** The audit events of a unit of work as statement parameters: arrays, one element per event, in order. */
export type EventParams = {
  eventIds: string[]
  eventProjectIds: Array<string | null>
  eventTypes: string[]
  eventBodies: string[]
  /** `AuditLog.computedValue` if it was used, else '' (replacing '' changes no body). */
  computedValue: string
}

/** Collects the audit events of one unit of work; they are written with its last statement. */
export class AuditLog {
  readonly #caller: Caller
  readonly #rows: Array<{ id: string, projectId: string | null, type: EventType, body: string }> = []
  #written = 0
  #computedValue: string | undefined

  constructor (caller: Caller) {
    this.#caller = caller
  }

  append (event: AuditEventInput): string {
    const id = randomUUID()
    // The CloudEvent without its chain attributes (sequence, hash, prevhash), as RFC 8785 canonical
    // JSON. These exact bytes are stored and hashed; they are never re-serialised. The keys are
    // written in canonical order, which lets canonicalJson take its fast path.
    const body = canonicalJson({
      actororg: this.#caller.org,
      authid: this.#caller.sub,
      authtype: this.#caller.kind,
      data: event.data,
      datacontenttype: 'application/json',
      id,
      source: EVENT_SOURCE,
      specversion: '1.0',
      subject: event.subject,
      time: event.time ?? new Date().toISOString(),
      type: event.type
    })
    this.#rows.push({ id, projectId: event.projectId, type: event.type, body })
    return id
  }

  /** Events appended and not yet handed to a statement. */
  get pending (): number {
    return this.#rows.length
  }

  /** Events handed to a statement. */
  get written (): number {
    return this.#written
  }

  /** Writes the pending events on their own (the last statement of `UnitOfWork.run`). */
  async flush (tx: Tx): Promise<void> {
    if (this.#rows.length === 0) return
    // Only a statement that computes the value can write it in place of its stand-in.
    if (this.#computedValue !== undefined) throw new Error('AuditLog.flush: events that hold computedValue must be written by a withEvents statement')
    await appendEvents(tx, this.take())
  }

  /**
   * A stand-in for the value that the statement writing the events computes (`withEvents`: the
   * submission's reference, drawn in that statement): event data may hold it, and the statement
   * writes the value in its place. Random per unit of work, like a multipart boundary, so that no
   * text a client sends can contain it.
   */
  get computedValue (): string {
    return (this.#computedValue ??= `\uE000${randomUUID()}\uE000`)
  }

  /** The pending events as parameters of the statement that writes them (see `withEvents`). */
  take (): EventParams {
    const rows = this.#rows.splice(0)
    this.#written += rows.length
    return {
      eventIds: rows.map((r) => r.id),
      eventProjectIds: rows.map((r) => r.projectId),
      eventTypes: rows.map((r) => r.type),
      eventBodies: rows.map((r) => r.body),
      computedValue: this.#computedValue ?? ''
    }
  }
}

// Any number of events, unnested in order (pos follows it), with `body` the expression that
// writes each one's body.
const events = (body: SQL) => sql`events as (
    insert into audit_events (id, project_id, type, body)
    select e.id, e.project_id, e.type, ${body}
    from unnest(${sql.placeholder('eventIds')}::uuid[], ${sql.placeholder('eventProjectIds')}::uuid[], ${sql.placeholder('eventTypes')}::text[], ${sql.placeholder('eventBodies')}::text[]) as e (id, project_id, type, body)
    returning pos
  )`
// Their place in the sealer's queue.
const QUEUED = sql`insert into audit_unsealed (pos) select pos from events`

const appendEvents = preparedStatement<Omit<EventParams, 'computedValue'>>('append_events', () => sql`with ${events(sql`e.body`)} ${QUEUED}`)

/**
 * A write and the audit events of its unit of work as one prepared statement: `writes` are
 * data-modifying CTEs (`name as (insert …)`, comma-separated), followed by the events. One statement
 * is atomic by itself, so with `UnitOfWork.runStatement` the change takes one round trip instead of
 * BEGIN, a statement per table, the events and COMMIT.
 *
 * `computed` is an expression over the CTEs for a value the statement itself works out (the
 * submission's reference, drawn from a sequence in `writes`): the statement writes it into the
 * event bodies wherever they hold `AuditLog.computedValue`, and returns it.
 */
export function withEvents<Values extends Record<string, unknown>> (name: string, writes: (db: Db | Tx) => SQL, computed: SQL): (db: Db | Tx, values: Values, audit: AuditLog) => Promise<string> {
  const statement = preparedStatement<Values, { value: string }, EventParams>(name, (db) => sql`with ${writes(db)},
    ${events(sql`replace(e.body, ${sql.placeholder('computedValue')}, ${computed})`)},
    queued as (${QUEUED})
    select ${computed} as value`)
  return async (db, values, audit) => {
    const [row] = await statement(db, values, audit.take())
    return row!.value
  }
}

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
    const result = await this.#db.transaction(async (tx) => {
      const value = await work(tx, audit)
      await audit.flush(tx)
      return value
    })
    this.#committed(audit)
    return result
  }

  /**
   * A unit of work whose change is one statement that also writes its events (`withEvents`):
   * PostgreSQL runs a single statement atomically, so there is no transaction to open. Reads may
   * come before it; no other write may.
   */
  async runStatement<T> (caller: Caller, work: (db: Db, audit: AuditLog) => Promise<T>): Promise<T> {
    const audit = new AuditLog(caller)
    const result = await work(this.#db, audit)
    if (audit.pending > 0) throw new Error('runStatement: the work left audit events unwritten')
    this.#committed(audit)
    return result
  }

  #committed (audit: AuditLog): void {
    if (audit.written > 0) for (const listener of this.#listeners) listener()
  }
}
