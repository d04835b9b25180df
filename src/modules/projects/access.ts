import { hasRole, type Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { transition, type ProjectAction, type ProjectStatus } from '../../domain/lifecycle.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { ProjectRepository, type Project } from '../../repositories/projects.ts'

export type { Project }

export function isOwner (caller: Caller, project: Pick<Project, 'ownerOrg'>): boolean {
  return hasRole(caller, 'submitter') && project.ownerOrg === caller.org
}

/**
 * Locks a project the caller may see for the rest of the transaction (404 otherwise).
 * `owner: true` also requires the caller's org to own it: a participating region sees the
 * project but may not change it (403).
 */
export async function lockVisibleProject (tx: Db, caller: Caller, id: string, opts: { owner?: boolean } = {}): Promise<Project> {
  const project = await new ProjectRepository(tx, caller).lock(id)
  if (opts.owner && !isOwner(caller, project)) {
    throw new AppError('FORBIDDEN', msg('ownerOnlyChange'))
  }
  return project
}

/** A project the caller may see, or 404. */
export async function findVisibleProject (db: Db, caller: Caller, id: string): Promise<Project> {
  return new ProjectRepository(db, caller).get(id)
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
