import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/client.ts'
import type { CloudEvent } from '../../schemas/event.ts'
import { toCloudEvent } from './cloud-event.ts'

export interface SealedEvent extends CloudEvent {
  sequence: string
  hash: string
  prevhash: string
}

/** Sealed events after `after`, in sequence order: the one read behind the feed, the stream and its catch-up. */
export async function readSealedEvents (db: Db, after: string, limit: number): Promise<SealedEvent[]> {
  const rows = await queryRows<{ sequence: string, hash: string, prevhash: string, body: string }>(db, sql`
    select c.sequence::text as sequence, c.hash, c.prevhash, e.body
    from audit_chain c join audit_events e on e.pos = c.event_pos
    where c.sequence > ${after}::bigint
    order by c.sequence
    limit ${limit}`)
  return rows.map((row) => toCloudEvent(row) as SealedEvent)
}

/** The sequence of the newest sealed event, "0" when there is none. */
export async function feedHead (db: Db): Promise<string> {
  const [row] = await queryRows<{ sequence: string }>(db, sql`select coalesce(max(sequence), 0)::text as sequence from audit_chain`)
  return row?.sequence ?? '0'
}

/**
 * GET /v1/events: every committed event exactly once, in sequence order. `nextCursor` is the last
 * sequence of a full page (more may follow at once) and null on a partial page (the caller is at
 * the head; poll again later with `after` = the last sequence it received).
 */
export async function listEvents (db: Db, query: { after: string, limit: number }): Promise<{ items: SealedEvent[], nextCursor: string | null }> {
  const items = await readSealedEvents(db, query.after, query.limit)
  return { items, nextCursor: items.length === query.limit ? items[items.length - 1]!.sequence : null }
}
