import { createHash, randomBytes } from 'node:crypto'
import { and, eq, gt, lte, sql } from 'drizzle-orm'
import type { Caller, Role } from '../auth/caller.ts'
import type { Db } from '../db/client.ts'
import { streamTickets } from '../db/schema/index.ts'
import { isoText } from './instants.ts'

/** How long a ticket may wait for its stream. */
export const TICKET_LIFETIME_SECONDS = 60

/** What a ticket looks like: 32 random bytes, base64url. Anything else is no ticket of ours. */
export const TICKET_PATTERN = /^[A-Za-z0-9_-]{43}$/

const hashOf = (ticket: string) => createHash('sha256').update(ticket).digest('hex')

/**
 * Single-use tickets that stand in for the bearer token on `GET /v1/events/stream?ticket=`
 * (EventSource sends no headers). The table holds only each ticket's sha256; the database's clock
 * decides expiry, so that issuing and using agree whichever process does each.
 */
export class StreamTicketRepository {
  constructor (private readonly db: Db) {}

  /** A new ticket for `caller`, valid TICKET_LIFETIME_SECONDS; expired tickets are pruned first. */
  async issue (caller: Caller): Promise<{ ticket: string, expiresAt: string }> {
    await this.db.delete(streamTickets).where(lte(streamTickets.expiresAt, sql`now()`))
    const ticket = randomBytes(32).toString('base64url')
    const [row] = await this.db.insert(streamTickets).values({
      hash: hashOf(ticket),
      sub: caller.sub,
      org: caller.org,
      roles: [...caller.roles],
      expiresAt: sql`now() + make_interval(secs => ${TICKET_LIFETIME_SECONDS})`
    }).returning({ expiresAt: isoText(streamTickets.expiresAt) })
    return { ticket, expiresAt: row!.expiresAt }
  }

  /** The caller a ticket was issued to, once: using it deletes it. Undefined when unknown, used or expired. */
  async consume (ticket: string): Promise<Caller | undefined> {
    if (!TICKET_PATTERN.test(ticket)) return undefined
    const [row] = await this.db.delete(streamTickets)
      .where(and(eq(streamTickets.hash, hashOf(ticket)), gt(streamTickets.expiresAt, sql`now()`)))
      .returning({ sub: streamTickets.sub, org: streamTickets.org, roles: streamTickets.roles })
    if (row === undefined) return undefined
    return { sub: row.sub, name: null, org: row.org, roles: row.roles as Role[], kind: 'user' }
  }
}
