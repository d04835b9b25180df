import { z } from 'zod'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { ProjectRepository, type ProjectFilters } from '../../repositories/projects.ts'
import type { ListProjectsQuery, ProjectResource } from '../../schemas/project.ts'
import { CursorInstant, decodeCursor, toPage, type Page } from '../pagination.ts'
import { latestLetters, toProjectResource } from './representation.ts'

const ProjectCursor = z.strictObject({ createdAt: CursorInstant, id: z.uuid() })

/**
 * The repository's filters from the query string: the cursor decoded, `q` trimmed, today in
 * Copenhagen, `assignedTo=me` as the caller's `sub`.
 */
export function projectFilters (query: ListProjectsQuery, now = new Date(), caller?: Caller): ProjectFilters {
  return {
    status: query.status,
    region: query.region,
    reviewRequired: query.reviewRequired,
    q: query.q?.trim(),
    assignedTo: query.assignedTo === 'me' ? caller?.sub : undefined,
    overdue: query.overdue,
    today: copenhagenDate(now),
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor, ProjectCursor),
    limit: query.limit
  }
}

/** GET /v1/projects: the projects the caller may see (data-layer scoping), keyset-paged. */
export async function listProjects (db: Db, caller: Caller, query: ListProjectsQuery): Promise<Page<ProjectResource>> {
  const rows = await new ProjectRepository(db, caller).page(projectFilters(query, new Date(), caller))
  const letters = await latestLetters(db, rows.slice(0, query.limit).map((r) => r.id))
  return toPage(rows, query.limit,
    (r) => toProjectResource(r, letters.get(r.id) ?? null),
    (r) => ({ createdAt: r.position, id: r.id }))
}
