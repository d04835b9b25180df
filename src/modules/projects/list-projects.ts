import { and, arrayContains, eq, ilike, inArray, lt, not, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { projects } from '../../db/schema/index.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import type { ProjectStatus } from '../../domain/lifecycle.ts'
import type { ListProjectsQuery, ProjectResource } from '../../schemas/project.ts'
import { CursorInstant, cursorInstant, decodeCursor, toPage, type Page } from '../pagination.ts'
import { visibleTo } from './access.ts'
import { latestLetters, toProjectResource } from './representation.ts'

const ProjectCursor = z.strictObject({ createdAt: CursorInstant, id: z.uuid() })

// Review is open, and a letter not yet issued, in these states: past assessmentDueOn is overdue.
const OPEN_REVIEW: ProjectStatus[] = ['awaiting_assessment', 'under_assessment']

/** `%`, `_` and the escape character itself match literally in the title search. */
export function likePattern (q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function filters (caller: Caller, query: ListProjectsQuery, today: string): SQL | undefined {
  const conditions: Array<SQL | undefined> = [visibleTo(caller)]
  if (query.status !== undefined) conditions.push(eq(projects.status, query.status))
  if (query.region !== undefined) conditions.push(arrayContains(projects.participatingRegions, [query.region]))
  if (query.reviewRequired !== undefined) conditions.push(eq(projects.reviewRequired, query.reviewRequired))
  const q = query.q?.trim()
  if (q) conditions.push(ilike(projects.title, likePattern(q)))
  if (query.overdue !== undefined) {
    const overdue = and(inArray(projects.status, OPEN_REVIEW), lt(projects.assessmentDueOn, today))!
    // assessment_due_on is null for projects without review: coalesce, or `not` would drop them too.
    conditions.push(query.overdue ? overdue : not(sql`coalesce(${overdue}, false)`))
  }
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor, ProjectCursor)
    // A row comparison the (created_at desc, id desc) index answers directly.
    conditions.push(sql`(${projects.createdAt}, ${projects.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`)
  }
  return and(...conditions)
}

/** The page query, newest first; exported so a test can check its plan. */
export function projectPageQuery (db: Db, caller: Caller, query: ListProjectsQuery, now = new Date()) {
  return db.select({ project: projects, position: cursorInstant(projects.createdAt) })
    .from(projects)
    .where(filters(caller, query, copenhagenDate(now)))
    // NULLS LAST like the indexes drizzle-kit made (plain DESC means NULLS FIRST and would not match
    // them, turning the first page into a sort over the whole table); both columns are NOT NULL.
    .orderBy(sql`${projects.createdAt} desc nulls last`, sql`${projects.id} desc nulls last`)
    .limit(query.limit + 1)
}

/** GET /v1/projects: the projects the caller may see (data-layer scoping), keyset-paged. */
export async function listProjects (db: Db, caller: Caller, query: ListProjectsQuery): Promise<Page<ProjectResource>> {
  const rows = await projectPageQuery(db, caller, query)
  const letters = await latestLetters(db, rows.slice(0, query.limit).map((r) => r.project.id))
  return toPage(rows, query.limit,
    (r) => toProjectResource(r.project, letters.get(r.project.id) ?? null),
    (r) => ({ createdAt: r.position, id: r.project.id }))
}
