import { bigint, bigserial, index, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { instant } from './columns.ts'

/**
 * Audit events as written by the transaction that made the change. `body` is the RFC 8785
 * canonical JSON of the CloudEvent without its chain attributes, kept as text so the exact bytes
 * that were hashed can be hashed again. Immutable: a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export const auditEvents = pgTable('audit_events', {
  pos: bigserial('pos', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull().unique(),
  projectId: uuid('project_id'),
  type: text('type').notNull(),
  body: text('body').notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
}, (t) => [index('audit_events_project_idx').on(t.projectId, t.pos)])

/** Events committed but not yet given a place in the chain; the sealer drains this queue. */
export const auditUnsealed = pgTable('audit_unsealed', {
  pos: bigint('pos', { mode: 'number' }).primaryKey().references(() => auditEvents.pos)
})

/**
 * The feed: one row per event in commit order, assigned after commit by the single sealer, so
 * a reader paging by `sequence` never skips an event that committed late. Immutable like events.
 * hash = sha256(prevhash + "\n" + sequence + "\n" + body), hex.
 */
export const auditChain = pgTable('audit_chain', {
  sequence: bigint('sequence', { mode: 'number' }).primaryKey(),
  eventPos: bigint('event_pos', { mode: 'number' }).notNull().unique().references(() => auditEvents.pos),
  hash: text('hash').notNull(),
  prevhash: text('prevhash').notNull(),
  sealedAt: instant('sealed_at').notNull().defaultNow()
})

/** Signed statements of the chain head, so that a cut-off tail is detectable. */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  sequence: bigint('sequence', { mode: 'number' }).primaryKey(),
  hash: text('hash').notNull(),
  jws: text('jws').notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
})
