import type { Db } from '../../db/client.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { AuditRepository } from '../../repositories/audit.ts'
import type { CloudEvent } from '../../schemas/event.ts'
import { toCloudEvent } from './cloud-event.ts'

export interface SealedEvent extends CloudEvent {
  sequence: string
  hash: string
  prevhash: string
}

/** Sealed events after `after`, in sequence order: the one read behind the feed, the stream and its catch-up. */
export async function readSealedEvents (db: Db, after: string, limit: number): Promise<SealedEvent[]> {
  const rows = await new AuditRepository(db).sealedAfter(after, limit)
  return rows.map((row) => toCloudEvent(row) as SealedEvent)
}

/** The sequence of the newest sealed event, "0" when there is none. */
export async function feedHead (db: Db): Promise<string> {
  return new AuditRepository(db).head()
}

/**
 * Refuses a client position past the newest sealed sequence in the database (400
 * POSITION_BEYOND_HEAD): such a position names no event, and a stream or feed must never act on it.
 */
export async function assertPositionWithinHead (db: Db, position: string): Promise<void> {
  if (position === '0') return
  const head = await feedHead(db)
  if (BigInt(position) > BigInt(head)) {
    throw new AppError('POSITION_BEYOND_HEAD', msg('positionBeyondHead', { position, head }))
  }
}

/**
 * GET /v1/events: every committed event exactly once, in sequence order. `nextCursor` is the last
 * sequence of a full page (more may follow at once) and null on a partial page (the caller is at
 * the head; poll again later with `after` = the last sequence it received). A position beyond the
 * newest sealed sequence is refused (POSITION_BEYOND_HEAD).
 */
export async function listEvents (db: Db, query: { after: string, limit: number }): Promise<{ items: SealedEvent[], nextCursor: string | null }> {
  const items = await readSealedEvents(db, query.after, query.limit)
  // Only an empty page can hide a position past the head (any event returned lies after it).
  if (items.length === 0) await assertPositionWithinHead(db, query.after)
  return { items, nextCursor: items.length === query.limit ? items[items.length - 1]!.sequence : null }
}
