import { boolean, date, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import type { CouncilCode, OrganisationKind, ProjectKind } from '../../domain/councils.ts'
import type { FollowUpTolerances, GateRule } from '../../domain/gate.ts'
import { instant, timestamps } from './columns.ts'

/** The two councils (seeded by migration 0003; src/domain/councils.ts holds the same). */
export const councils = pgTable('councils', {
  code: text('code').$type<CouncilCode>().primaryKey(),
  name: text('name').notNull(),
  secretariatOrg: text('secretariat_org').notNull()
})

/** A council's policy versions. Rows are only ever inserted. */
export const policies = pgTable('policies', {
  id: text('id').primaryKey(),
  council: text('council').$type<CouncilCode>().notNull().references(() => councils.code),
  version: integer('version').notNull(),
  effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
  rule: jsonb('rule').$type<GateRule>().notNull(),
  reviewWorkingDays: jsonb('review_working_days').$type<Record<ProjectKind, number>>().notNull(),
  followUp: jsonb('follow_up').$type<FollowUpTolerances>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow()
}, (t) => [
  uniqueIndex('policies_council_version_idx').on(t.council, t.version),
  uniqueIndex('policies_council_effective_idx').on(t.council, t.effectiveFrom)
])

/** Regions, state authorities (code = CVR number), the secretariats and others. */
export const organisations = pgTable('organisations', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').$type<OrganisationKind>().notNull(),
  council: text('council').$type<CouncilCode>().references(() => councils.code),
  active: boolean('active').notNull(),
  version: integer('version').notNull(),
  ...timestamps
})

/** The council members' directory: whom the secretariat can assign. */
export const members = pgTable('members', {
  sub: text('sub').primaryKey(),
  name: text('name').notNull(),
  email: text('email'),
  org: text('org').notNull(),
  council: text('council').$type<CouncilCode>().notNull().references(() => councils.code),
  active: boolean('active').notNull(),
  version: integer('version').notNull(),
  ...timestamps
}, (t) => [index('members_council_name_idx').on(t.council, t.name)])
