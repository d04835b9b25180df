import { SYSTEM_CALLER, type Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import type { ProjectStatus } from '../../domain/lifecycle.ts'
import type { TrafficLight } from '../../domain/risk.ts'
import { AppError } from '../../errors.ts'
import type { Message } from '../../messages.ts'
import { organisationName } from '../../repositories/councils.ts'
import { MemberRepository } from '../../repositories/members.ts'
import { ProjectRepository } from '../../repositories/projects.ts'
import type { Project } from '../projects/access.ts'

/** Moves a (locked) project to `to`, if that is a change (ProjectRepository.setStatus). */
export async function moveProject (tx: Db, caller: Caller, project: Project, to: ProjectStatus): Promise<void> {
  if (to !== project.status) await new ProjectRepository(tx, caller).setStatus(project.id, to)
}

export const LIGHT_DA: Record<TrafficLight, string> = { green: 'grøn', yellow: 'gul', red: 'rød' }

/**
 * The PostgreSQL unique-violation (23505) behind an error, or undefined. drizzle wraps the
 * driver's error and keeps it as `cause`; both pg and PGlite report `code` and `constraint`.
 */
export function uniqueViolation (error: unknown): { constraint: string | undefined } | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown, constraint?: unknown, cause?: unknown }
    if (e.code === '23505') return { constraint: typeof e.constraint === 'string' ? e.constraint : undefined }
    current = e.cause
  }
  return undefined
}

/**
 * Runs `work`; a unique violation becomes 409 DUPLICATE with `detail`. The project row lock
 * serialises each operation, so the use cases' own checks normally answer first; the unique
 * indexes are the backstop, and a backstop must never surface as a 500.
 */
export async function duplicateAs409<T> (work: () => Promise<T>, detail: Message): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('DUPLICATE', detail, { cause: error })
    throw error
  }
}

/**
 * The calling council member's name and organisation name, for responses and event descriptions:
 * the directory's name (else the token's, else the sub) and the organisation's name (else its code).
 */
export async function memberNames (tx: Db, caller: Caller): Promise<{ memberName: string, memberOrgName: string }> {
  const entry = await new MemberRepository(tx, SYSTEM_CALLER).get(caller.sub)
  return { memberName: entry?.name ?? caller.name ?? caller.sub, memberOrgName: await organisationName(tx, caller.org) }
}
