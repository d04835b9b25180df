import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import type { TrafficLight } from '../../domain/risk.ts'
import { AppError, notFound } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { StatusReport } from '../../schemas/review.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { LIGHT_DA } from './common.ts'
import { toStatusReport } from './representation.ts'

/**
 * POST /v1/projects/{id}/status-reports/{period}/judgement: the council's overall light for a
 * report, set by the secretariat of the project's council, once (409 after). A red judgement
 * raises `itraad.project.alert` in the same transaction: the alert is the council's, not the
 * project's own red.
 */
export async function judgeStatusReport (uow: UnitOfWork, caller: Caller, projectId: string, period: string, input: { overall: TrafficLight, comment: string }): Promise<StatusReport> {
  return uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    requireTransition(project, 'judge_report')
    const review = new ReviewRepository(tx)
    const current = await review.statusReport(project.id, period)
    if (current === undefined) throw notFound('status report')
    if (current.overall !== null) throw new AppError('DUPLICATE', msg('statusReportAlreadyJudged', { period }))

    const row = (await review.judgeStatusReport(current.id, { overall: input.overall, judgementComment: input.comment, judgedBy: caller.sub, judgedByName: caller.name }))!
    const facts = { statusReportId: row.id, period, overall: input.overall, ownOverall: row.ownOverall }
    audit.append({
      type: 'itraad.status_report.judged',
      project,
      data: {
        reference: project.reference,
        description: `Rådet har vurderet statusrapport ${period} for ${project.reference}: samlet ${LIGHT_DA[input.overall]}.`,
        ...facts
      }
    })
    if (input.overall === 'red') {
      audit.append({
        type: 'itraad.project.alert',
        project,
        data: {
          reference: project.reference,
          description: `Alarm: rådet vurderer ${project.reference} samlet rød i statusrapport ${period}.`,
          reason: 'status_report_judged_red',
          ...facts
        }
      })
    }
    return toStatusReport(row)
  })
}
