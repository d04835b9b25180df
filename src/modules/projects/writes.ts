import { sql } from 'drizzle-orm'
import { projectBaselines, projects } from '../../db/schema/index.ts'
import { insertStatement, preparedStatement } from '../../db/statements.ts'
import type { Tx } from '../../db/unit-of-work.ts'

/** The statements every submission runs, prepared once per connection (src/db/statements.ts). */

export const insertProject = insertStatement('insert_project', projects)

/** Baselines: version 1 at submission, one more per revision. */
export const insertBaseline = insertStatement('insert_baseline', projectBaselines)

const nextReferenceStatement = preparedStatement<Record<string, never>, { n: string }>('next_project_reference',
  () => sql`select nextval('project_reference_seq')::text as n`)

/**
 * The running number of the next reference. A sequence, not a counter row: concurrent submissions
 * never wait for each other's commit (a rolled-back submission leaves a gap in the numbers).
 */
export async function nextReferenceNumber (tx: Tx): Promise<string> {
  const [row] = await nextReferenceStatement(tx, {})
  return row!.n
}
