import { sql } from 'drizzle-orm'
import { projectBaselines, projects } from '../../db/schema/index.ts'
import { columnPlaceholders, insertStatement, preparedStatement } from '../../db/statements.ts'
import { withEvents, type Tx } from '../../db/unit-of-work.ts'
import type { Db } from '../../db/client.ts'
import type { Project } from './access.ts'
import type { ProjectContent } from './representation.ts'

/** The statements of the write paths, prepared once per connection (src/db/statements.ts). */

/** Baselines: version 1 at submission, one more per revision. */
export const insertBaseline = insertStatement('insert_baseline', projectBaselines)

/**
 * A submission as one statement: the project, its baseline 1 (the same version, gating and time)
 * and the audit events (`withEvents`). Every column is given, so the row as stored is the project
 * object: no RETURNING, no mapping back.
 */
export const insertSubmission = withEvents<Project & { content: ProjectContent, createdBy: string }>('insert_submission', (db) => sql`
  project as (${db.insert(projects).values(columnPlaceholders(projects)).getSQL()}),
  baseline as (${db.insert(projectBaselines).values({
    projectId: sql.placeholder('id'),
    version: sql.placeholder('version'),
    content: sql.placeholder('content'),
    gating: sql.placeholder('gating'),
    createdBy: sql.placeholder('createdBy'),
    createdAt: sql.placeholder('createdAt')
  }).getSQL()})`)

const nextReferenceStatement = preparedStatement<Record<string, never>, { n: string }>('next_project_reference',
  () => sql`select nextval('project_reference_seq')::text as n`)

/**
 * The running number of the next reference. A sequence, not a counter row: concurrent submissions
 * never wait for each other's commit (a failed submission leaves a gap in the numbers).
 */
export async function nextReferenceNumber (db: Db | Tx): Promise<string> {
  const [row] = await nextReferenceStatement(db, {})
  return row!.n
}
