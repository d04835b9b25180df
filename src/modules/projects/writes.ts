import { sql } from 'drizzle-orm'
import { projectBaselines, projects } from '../../db/schema/index.ts'
import { columnPlaceholders, insertStatement } from '../../db/statements.ts'
import { withEvents } from '../../db/unit-of-work.ts'
import type { Project } from './access.ts'
import type { ProjectContent } from './representation.ts'

/** The statements of the write paths, prepared once per connection (src/db/statements.ts). */

/** Baselines: version 1 at submission, one more per revision. */
export const insertBaseline = insertStatement('insert_baseline', projectBaselines)

// The reference the submission statement draws (its `ref` CTE).
const REFERENCE = sql`(select reference from ref)`

/**
 * A submission as one statement: its reference (`ITR-<year>-<number>`, the number drawn from a
 * sequence, at least four digits), the project, its baseline 1 (the same version, gating and time)
 * and the audit events (`withEvents`), which name the reference by `AuditLog.computedValue`.
 * Returns the reference. Every other column is given, so the row as stored is the project object:
 * no RETURNING of it, no mapping back.
 *
 * A sequence, not a counter row: concurrent submissions never wait for each other's commit (a
 * failed submission leaves a gap in the numbers).
 */
export const insertSubmission = withEvents<Project & { content: ProjectContent, createdBy: string, referenceYear: string }>('insert_submission', (db) => sql`
  drawn as (select nextval('project_reference_seq')::text as n),
  ref as (select 'ITR-' || ${sql.placeholder('referenceYear')}::text || '-' || lpad(n, greatest(4, length(n)), '0') as reference from drawn),
  project as (${db.insert(projects).values({ ...columnPlaceholders(projects), reference: REFERENCE }).getSQL()}),
  baseline as (${db.insert(projectBaselines).values({
    projectId: sql.placeholder('id'),
    version: sql.placeholder('version'),
    content: sql.placeholder('content'),
    gating: sql.placeholder('gating'),
    createdBy: sql.placeholder('createdBy'),
    createdAt: sql.placeholder('createdAt')
  }).getSQL()})`, REFERENCE)
