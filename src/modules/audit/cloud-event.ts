import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/client.ts'
import type { Tx } from '../../db/unit-of-work.ts'
import type { CloudEvent } from '../../schemas/event.ts'

export interface StoredEvent {
  body: string
  sequence: number | string | null
  hash: string | null
  prevhash: string | null
}

/** The event as served: the stored canonical body plus its place in the chain, once sealed. */
export function toCloudEvent (row: StoredEvent): CloudEvent {
  const event = JSON.parse(row.body) as CloudEvent
  if (row.sequence !== null) {
    event.sequence = String(row.sequence)
    event.hash = row.hash!
    event.prevhash = row.prevhash!
  }
  return event
}

/** Every event of one project, oldest first, sealed or not yet (the project row lock orders them). */
export async function projectEvents (db: Db | Tx, projectId: string): Promise<CloudEvent[]> {
  const rows = await queryRows<StoredEvent>(db, sql`
    select e.body, c.sequence, c.hash, c.prevhash
    from audit_events e left join audit_chain c on c.event_pos = e.pos
    where e.project_id = ${projectId}
    order by e.pos`)
  return rows.map(toCloudEvent)
}
