import { and, arrayContains, eq, or, type SQL } from 'drizzle-orm'
import { hasRole, type Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { projects } from '../../db/schema/index.ts'
import type { Tx } from '../../db/unit-of-work.ts'
import { AppError, notFound } from '../../errors.ts'

export type Project = typeof projects.$inferSelect

/**
 * Authorisation in the data layer (DESIGN.md guarantee 9): every query that reads projects
 * carries this condition. A submitter sees what its org owns or participates in as a region;
 * council members, the secretariat, integrations and admins see everything.
 */
export function visibleTo (caller: Caller): SQL | undefined {
  if (hasRole(caller, 'council_member', 'secretariat', 'integration', 'admin')) return undefined
  return or(eq(projects.ownerOrg, caller.org), arrayContains(projects.participatingRegions, [caller.org]))
}

export function isOwner (caller: Caller, project: Pick<Project, 'ownerOrg'>): boolean {
  return hasRole(caller, 'submitter') && project.ownerOrg === caller.org
}

/** A project the caller may see, or 404. */
export async function findVisibleProject (db: Db | Tx, caller: Caller, id: string): Promise<Project> {
  const [project] = await db.select().from(projects).where(and(eq(projects.id, id), visibleTo(caller))).limit(1)
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
