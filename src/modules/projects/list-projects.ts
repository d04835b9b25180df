import { and, arrayContains, eq, getTableColumns, ilike, inArray, lt, not, sql, type Placeholder, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { projects } from '../../db/schema/index.ts'
import { prepareSelect } from '../../db/statements.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import type { ProjectStatus } from '../../domain/lifecycle.ts'
import type { ListProjectsQuery, ProjectResource } from '../../schemas/project.ts'
import { CursorInstant, cursorInstant, decodeCursor, toPage, type Page } from '../pagination.ts'
import { literal, visibleTo, type Bind } from './access.ts'
import { latestLetters, toProjectResource } from './representation.ts'

const ProjectCursor = z.strictObject({ createdAt: CursorInstant, id: z.uuid() })

// Review is open, and a letter not yet issued, in these states: past assessmentDueOn is overdue.
const OPEN_REVIEW: ProjectStatus[] = ['awaiting_assessment', 'under_assessment']

/** `%`, `_` and the escape character itself match literally in the title search. */
export function likePattern (q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function filters (caller: Caller, query: ListProjectsQuery, today: string, bind: Bind): SQL | undefined {
  const conditions: Array<SQL | undefined> = [visibleTo(caller, bind)]
  if (query.status !== undefined) conditions.push(eq(projects.status, bind('status', query.status)))
  if (query.region !== undefined) conditions.push(arrayContains(projects.participatingRegions, bind('region', [query.region])))
  if (query.reviewRequired !== undefined) conditions.push(eq(projects.reviewRequired, bind('review', query.reviewRequired)))
  const q = query.q?.trim()
  if (q) conditions.push(ilike(projects.title, bind('q', likePattern(q))))
  if (query.overdue !== undefined) {
    // Named by its sense: the SQL differs between the two, so must the statement (see pageShape).
    const overdue = and(inArray(projects.status, OPEN_REVIEW), lt(projects.assessmentDueOn, bind(query.overdue ? 'due' : 'notDue', today)))!
    // assessment_due_on is null for projects without review: coalesce, or `not` would drop them too.
    conditions.push(query.overdue ? overdue : not(sql`coalesce(${overdue}, false)`))
  }
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor, ProjectCursor)
    // A row comparison the (created_at desc, id desc) index answers directly.
    conditions.push(sql`(${projects.createdAt}, ${projects.id}) < (${bind('after', after.createdAt)}::timestamptz, ${bind('id', after.id)}::uuid)`)
  }
  return and(...conditions)
}

/**
 * The shape of a page query: the placeholders it binds, in order. Queries that bind the same names
 * have the same SQL, so the shape names its prepared statement (at most 60 characters with every
 * filter; PostgreSQL keeps 63).
 */
function pageShape (values: Record<string, unknown>): string {
  return Object.keys(values).join('_') || 'all'
}

// Flat fields (the columns and the cursor position): drizzle maps each row without nesting.
const PAGE_FIELDS = { ...getTableColumns(projects), position: cursorInstant(projects.createdAt) }

function pageSelect (db: Db, where: SQL | undefined, limit: number | Placeholder) {
  return db.select(PAGE_FIELDS)
    .from(projects)
    .where(where)
    // NULLS LAST like the indexes drizzle-kit made (plain DESC means NULLS FIRST and would not match
    // them, turning the first page into a sort over the whole table); both columns are NOT NULL.
    .orderBy(sql`${projects.createdAt} desc nulls last`, sql`${projects.id} desc nulls last`)
    .limit(limit)
}

/** The page query with its values in place; exported so a test can check its plan. */
export function projectPageQuery (db: Db, caller: Caller, query: ListProjectsQuery, now = new Date()) {
  return pageSelect(db, filters(caller, query, copenhagenDate(now), literal), query.limit + 1)
}

// Each shape is one statement, built once and prepared by name on each connection (PostgreSQL
// keeps custom plans while a generic one would cost more): building the SQL for every request
// was ~6 % of the list's CPU time (bench/README.md, "Profiles").
const pageStatements = new WeakMap<Db, Map<string, ReturnType<typeof prepareShape>>>()

function prepareShape (db: Db, shape: string, where: SQL | undefined) {
  return prepareSelect(db, `project_page_${shape}`, pageSelect(db, where, sql.placeholder('limit')))
}

/** GET /v1/projects: the projects the caller may see (data-layer scoping), keyset-paged. */
export async function listProjects (db: Db, caller: Caller, query: ListProjectsQuery): Promise<Page<ProjectResource>> {
  const values: Record<string, unknown> = {}
  const where = filters(caller, query, copenhagenDate(new Date()), (name, value) => {
    values[name] = value
    return sql.placeholder(name)
  })
  let statements = pageStatements.get(db)
  if (statements === undefined) pageStatements.set(db, statements = new Map())
  const shape = pageShape(values)
  let statement = statements.get(shape)
  if (statement === undefined) statements.set(shape, statement = prepareShape(db, shape, where))
  values.limit = query.limit + 1
  const rows = await statement.execute(values)
  const letters = await latestLetters(db, rows.slice(0, query.limit).map((r) => r.id))
  return toPage(rows, query.limit,
    (r) => toProjectResource(r, letters.get(r.id) ?? null),
    (r) => ({ createdAt: r.position, id: r.id }))
}
