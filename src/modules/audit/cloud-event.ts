import type { Db } from '../../db/client.ts'
import { AuditRepository, type StoredEvent } from '../../repositories/audit.ts'
import type { CloudEvent } from '../../schemas/event.ts'

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
export async function projectEvents (db: Db, projectId: string): Promise<CloudEvent[]> {
  return (await new AuditRepository(db).projectEvents(projectId)).map(toCloudEvent)
}
