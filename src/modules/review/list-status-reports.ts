import { z } from 'zod'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { STATUS_PERIOD_PATTERN } from '../../domain/risk.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import type { StatusReport } from '../../schemas/review.ts'
import { decodeCursor, toPage, type Page } from '../pagination.ts'
import { findVisibleProject } from '../projects/access.ts'
import { toStatusReport } from './representation.ts'
import { requireFollowUpReader } from './access.ts'

const PeriodPosition = z.object({ period: z.string().regex(STATUS_PERIOD_PATTERN) })

/** A project's status reports, newest period first (periods are unique per project and sort as text). */
export async function listStatusReports (db: Db, caller: Caller, projectId: string, opts: { limit: number, cursor?: string | undefined }): Promise<Page<StatusReport>> {
  const before = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor, PeriodPosition).period
  const project = await findVisibleProject(db, caller, projectId)
  await requireFollowUpReader(db, caller, project)
  const rows = await new ReviewRepository(db).statusReports(project.id, { before, limit: opts.limit })
  return toPage(rows, opts.limit, toStatusReport, (r) => ({ period: r.period }))
}
