import { and, arrayContains, eq, is, or, sql, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm'
import { PgTransaction } from 'drizzle-orm/pg-core'
import { hasRole, type Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { projects } from '../../db/schema/index.ts'
import { prepareSelect } from '../../db/statements.ts'
import type { Tx } from '../../db/unit-of-work.ts'
import { transition, type ProjectAction, type ProjectStatus } from '../../domain/lifecycle.ts'
import { AppError, notFound } from '../../errors.ts'

export type Project = typeof projects.$inferSelect

/**
 * Authorisation in the data layer (DESIGN.md guarantee 9): every query that reads projects
 * carries this condition. A submitter sees what its org owns or participates in as a region;
 * council members, the secretariat, integrations and admins see everything.
 */
export function visibleTo (caller: Caller, bind: Bind = literal): SQL | undefined {
  if (seesEverything(caller)) return undefined
  return submitterScope(bind('org', caller.org), bind('orgs', [caller.org]))
}

/** A query value: the value itself, or a placeholder of a prepared statement that records it. */
export type Bind = <T>(name: string, value: T) => T | Placeholder

export const literal: Bind = (_name, value) => value

function seesEverything (caller: Caller): boolean {
  return hasRole(caller, 'council_member', 'secretariat', 'integration', 'admin')
}

/** The submitter's condition, for values or for placeholders of a prepared statement. */
function submitterScope (org: string | SQLWrapper, orgs: string[] | SQLWrapper): SQL {
  return or(eq(projects.ownerOrg, org), arrayContains(projects.participatingRegions, orgs))!
}

/*
 * The lookup by id is the most frequent query of all; outside a transaction it runs as a statement
 * prepared once per database (and once per connection by PostgreSQL) instead of being built
 * anew for every request. Same SQL, same visibility condition (submitterScope).
 */
const findStatements = new WeakMap<Db, ReturnType<typeof prepareFind>>()

function prepareFind (db: Db) {
  const id = sql.placeholder('id')
  return {
    all: prepareSelect(db, 'find_project', db.select().from(projects).where(eq(projects.id, id)).limit(1)),
    scoped: prepareSelect(db, 'find_visible_project', db.select().from(projects)
      .where(and(eq(projects.id, id), submitterScope(sql.placeholder('org'), sql.placeholder('orgs'))))
      .limit(1))
  }
}

export function isOwner (caller: Caller, project: Pick<Project, 'ownerOrg'>): boolean {
  return hasRole(caller, 'submitter') && project.ownerOrg === caller.org
}

/** A project the caller may see, or 404. */
export async function findVisibleProject (db: Db | Tx, caller: Caller, id: string): Promise<Project> {
  let rows: Project[]
  if (is(db, PgTransaction)) {
    rows = await db.select().from(projects).where(and(eq(projects.id, id), visibleTo(caller))).limit(1)
  } else {
    let statements = findStatements.get(db)
    if (statements === undefined) findStatements.set(db, statements = prepareFind(db))
    rows = seesEverything(caller)
      ? await statements.all.execute({ id })
      : await statements.scoped.execute({ id, org: caller.org, orgs: [caller.org] })
  }
  const [project] = rows
  if (!project) throw notFound('project')
  return project
}

/**
 * Locks a visible project for the rest of the transaction (serialises every change to one
 * project: version, state, its audit events). `owner: true` also requires the caller's org to
 * own it: a participating region sees the project but may not change it (403).
 */
export async function lockVisibleProject (tx: Tx, caller: Caller, id: string, opts: { owner?: boolean } = {}): Promise<Project> {
  const [project] = await tx.select().from(projects).where(and(eq(projects.id, id), visibleTo(caller))).limit(1).for('update')
  if (!project) throw notFound('project')
  if (opts.owner && !isOwner(caller, project)) {
    throw new AppError('FORBIDDEN', 'only the organisation that owns the project may change it')
  }
  return project
}

/**
 * Asks the one transition table (src/domain/lifecycle.ts) whether `action` is allowed in the
 * project's current state; a refusal is 409 whose detail names that state.
 */
export function requireTransition (project: Pick<Project, 'status'>, action: ProjectAction): ProjectStatus {
  const result = transition(project.status, action)
  if (!result.ok) throw new AppError('STATE_CONFLICT', result.reason)
  return result.to
}
