import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { AppError, notFound } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { StatusReport } from '../../schemas/review.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import { etagOf, ifMatchAccepts, type IfMatch } from '../etag.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { LIGHT_DA } from './common.ts'
import { statusReportFacts, toStatusReport } from './representation.ts'
import { measure, type StatusReportContent } from './submit-status-report.ts'

/**
 * PUT /v1/projects/{id}/status-reports/{period}: the owner replaces a report with a corrected one
 * (measured anew) until the council has judged it (409 after); `If-Match` names the version it
 * corrects (412 when stale). The report keeps its period and id; it is never deleted.
 */
export async function correctStatusReport (uow: UnitOfWork, caller: Caller, projectId: string, period: string, content: StatusReportContent, ifMatch: IfMatch): Promise<StatusReport> {
  return uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId, { owner: true })
    requireTransition(project, 'report_status')
    const review = new ReviewRepository(tx)
    const current = await review.statusReport(project.id, period)
    if (current === undefined) throw notFound('status report')
    if (current.overall !== null) throw new AppError('STATE_CONFLICT', msg('statusReportJudged', { period }))
    if (!ifMatchAccepts(ifMatch, current.version)) {
      throw new AppError('PRECONDITION_FAILED', msg('staleVersion', { version: current.version, etag: etagOf(current.version) }))
    }

    const measured = await measure(tx, project, content, copenhagenDate(new Date()))
    // The project row lock serialises changes to its reports: the version read is still current.
    const report = toStatusReport((await review.correctStatusReport(current.id, current.version, { ...content, ...measured }))!)
    audit.append({
      type: 'itraad.status_report.corrected',
      project,
      data: {
        reference: project.reference,
        description: `Statusrapport ${period} for ${project.reference} rettet: projektets egen samlede vurdering ${LIGHT_DA[measured.ownOverall]}.`,
        ...statusReportFacts(report),
        version: report.version
      }
    })
    return report
  })
}
