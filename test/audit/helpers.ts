import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { Caller } from '../../src/auth/caller.ts'
import { queryRows } from '../../src/db/client.ts'
import type { ProjectEventType } from '../../src/modules/audit/journal.ts'
import { AuditRepository } from '../../src/repositories/audit.ts'
import { bearer, token } from '../helpers/build.ts'

export const writer: Caller = { sub: 'writer-test', name: 'Test writer', org: '1084', roles: ['submitter'], kind: 'user' }

/** Appends `count` events in one transaction through the unit of work, like any use case does. */
export type Tx = Parameters<Parameters<FastifyInstance['uow']['run']>[1]>[0]

export interface AppendOptions {
  type?: ProjectEventType
  data?: Record<string, unknown>
  /** Runs in the transaction before the events are appended. */
  inside?: (tx: Tx) => Promise<void>
  /** Runs in the transaction after the events are inserted (flushed early), just before commit. */
  afterInsert?: (tx: Tx) => Promise<void>
}

export async function appendEvents (app: FastifyInstance, count = 1, opts: AppendOptions = {}): Promise<string[]> {
  return app.uow.run(writer, async (tx, audit) => {
    const ids: string[] = []
    await opts.inside?.(tx)
    for (let i = 0; i < count; i++) {
      const project = { id: randomUUID(), reference: 'ITR-2026-9999', title: 'Testprojekt', ownerOrg: '1084', participatingRegions: ['1084'] }
      ids.push(audit.append({
        type: opts.type ?? 'itraad.project.alert',
        project,
        data: { reference: project.reference, description: 'Testhændelse', period: '2026-H2', n: i, ...opts.data }
      }))
    }
    if (opts.afterInsert) {
      await new AuditRepository(tx).append(audit.take())
      await opts.afterInsert(tx)
    }
    return ids
  })
}

export async function feedPage (app: FastifyInstance, query: string, role: 'integration' | 'secretariat' | 'admin' = 'integration') {
  const res = await app.inject({ method: 'GET', url: `/v1/events?${query}`, headers: bearer(await token(role, 'ITR')) })
  if (res.statusCode !== 200) throw new Error(`GET /v1/events?${query}: ${res.statusCode} ${res.body}`)
  return res.json() as { items: Array<Record<string, any> & { sequence: string, id: string, hash: string, prevhash: string }>, nextCursor: string | null }
}

/** Runs SQL as the database owner with triggers and foreign keys off, as a tampering superuser would. */
export async function tamper (app: FastifyInstance, ...statements: string[]): Promise<void> {
  await app.database.transaction(async (tx) => {
    await tx.execute(sql.raw('set local session_replication_role = replica'))
    for (const statement of statements) await tx.execute(sql.raw(statement))
  })
}

export async function count (app: FastifyInstance, table: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(app.db, sql.raw(`select count(*)::int as n from ${table}`))
  return row!.n
}
