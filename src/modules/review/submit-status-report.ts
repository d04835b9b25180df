import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { overallLight, type TrafficLight } from '../../domain/risk.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { StatusReport } from '../../schemas/review.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { duplicateAs409, LIGHT_DA, subjectOf } from './common.ts'
import { toStatusReport } from './representation.ts'

export interface SubmitStatusReportInput {
  period: string
  cost: TrafficLight
  schedule: TrafficLight
  financialBenefits: TrafficLight
  nonFinancialBenefits: TrafficLight | null
  comment: string
}

/**
 * The owner's half-yearly status report after the letter. `overall` is the worst light; a red
 * overall also raises `itraad.project.alert`, in the same transaction. One report per period.
 * The project's state does not change (report_status maps letter_issued and responded onto
 * themselves), so the project row is locked only to order its events, not updated.
 */
export async function submitStatusReport (uow: UnitOfWork, caller: Caller, projectId: string, input: SubmitStatusReportInput): Promise<StatusReport> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId, { owner: true })
    requireTransition(project, 'report_status')

    const review = new ReviewRepository(tx)
    if (await review.hasStatusReport(project.id, input.period)) throw new AppError('DUPLICATE', msg('statusReportExists', { reference: project.reference, period: input.period }))

    const lights = { cost: input.cost, schedule: input.schedule, financialBenefits: input.financialBenefits, nonFinancialBenefits: input.nonFinancialBenefits }
    const overall = overallLight(Object.values(lights))
    const row = await review.insertStatusReport({
      id: randomUUID(),
      projectId: project.id,
      period: input.period,
      ...lights,
      overall,
      comment: input.comment,
      reportedBy: caller.sub
    })

    const facts = { statusReportId: row.id, period: input.period, ...lights, overall }
    audit.append({
      type: 'itraad.status_report.submitted',
      subject: subjectOf(project.id),
      projectId: project.id,
      data: {
        reference: project.reference,
        description: `Statusrapport ${input.period} for ${project.reference}: samlet ${LIGHT_DA[overall]}.`,
        ...facts
      }
    })
    if (overall === 'red') {
      audit.append({
        type: 'itraad.project.alert',
        subject: subjectOf(project.id),
        projectId: project.id,
        data: {
          reference: project.reference,
          description: `Alarm: ${project.reference} melder samlet rød status i statusrapport ${input.period}.`,
          reason: 'status_report_red',
          ...facts
        }
      })
    }
    return toStatusReport(row)
  }), msg('statusReportExistsHere', { period: input.period }))
}
