import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { deviation, halfYearOf, indicatedLights, periodWindow, type Deviation, type IndicatedLights } from '../../domain/follow-up.ts'
import { overallLight, type TrafficLight } from '../../domain/risk.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { StatusReport } from '../../schemas/review.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import { findVisibleProject, isOwner, lockVisibleProject, requireTransition, type Project } from '../projects/access.ts'
import { policyInForce } from '../projects/gating.ts'
import { rfc3339 } from '../projects/representation.ts'
import { duplicateAs409, LIGHT_DA } from './common.ts'
import { statusReportFacts, toStatusReport } from './representation.ts'

/** A report's content: the project's forecast and its own lights (the period apart). */
export interface StatusReportContent {
  forecastCostDkk: number
  forecastEndDate: string
  forecastFinancialBenefitsDkk: number | null
  cost: TrafficLight
  schedule: TrafficLight
  financialBenefits: TrafficLight
  nonFinancialBenefits: TrafficLight | null
  comment: string
}

export interface SubmitStatusReportInput extends StatusReportContent {
  period: string
}

/** What the service derives from a report: its own overall light, and its measure against the approved baseline. */
export interface Measured {
  ownOverall: TrafficLight
  baselineVersion: number | null
  deviation: Deviation | null
  indicatedLights: IndicatedLights | null
}

/**
 * Checks a report's content against the project (422) and measures it: the deviation from the
 * approved baseline, and the lights the tolerances of the council's policy version in force today
 * indicate for it (API.md v1.1, "Status reports against the baseline").
 */
export async function measure (tx: Db, project: Project, content: StatusReportContent, today: string): Promise<Measured> {
  if (content.forecastEndDate < project.plannedStart) {
    throw new AppError('RULE_VIOLATION', msg('forecastEndBeforeStart', { forecastEndDate: content.forecastEndDate, plannedStart: project.plannedStart }))
  }
  const ownOverall = overallLight([content.cost, content.schedule, content.financialBenefits, content.nonFinancialBenefits])
  const baseline = project.approvedBaseline
  if (baseline === null) return { ownOverall, baselineVersion: null, deviation: null, indicatedLights: null }
  const measured = deviation(baseline, content)
  const policy = await policyInForce(tx, project.council, today)
  return { ownOverall, baselineVersion: baseline.version, deviation: measured, indicatedLights: indicatedLights(measured, policy.followUp) }
}

/**
 * The owner's half-yearly status report after the letter: one per period, from the letter's
 * half-year to the current one (Copenhagen). The lights are the project's own view; the service
 * adds the deviation from the approved baseline and the indicated lights. The council judges the
 * report afterwards (judgeStatusReport), and a red judgement raises the alert. The project row is
 * locked to order its events; its state does not change.
 */
export async function submitStatusReport (uow: UnitOfWork, caller: Caller, projectId: string, input: SubmitStatusReportInput): Promise<StatusReport> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId, { owner: true })
    requireTransition(project, 'report_status')

    const review = new ReviewRepository(tx)
    const today = copenhagenDate(new Date())
    const letter = await review.latestLetter(project.id)
    const letterDate = letter === undefined ? today : copenhagenDate(new Date(rfc3339(letter.issuedAt)))
    const window = periodWindow(input.period, letterDate, today)
    if (window === 'future') throw new AppError('RULE_VIOLATION', msg('periodInFuture', { period: input.period, current: halfYearOf(today) }))
    if (window === 'before_letter') throw new AppError('RULE_VIOLATION', msg('periodBeforeLetter', { period: input.period, first: halfYearOf(letterDate) }))
    if (await review.statusReport(project.id, input.period) !== undefined) {
      throw new AppError('DUPLICATE', msg('statusReportExists', { reference: project.reference, period: input.period }))
    }

    const { period, ...content } = input
    const measured = await measure(tx, project, content, today)
    const report = toStatusReport(await review.insertStatusReport({ id: randomUUID(), projectId: project.id, council: project.council, projectReference: project.reference, period, ...content, ...measured, reportedBy: caller.sub }))

    audit.append({
      type: 'itraad.status_report.submitted',
      project,
      data: {
        reference: project.reference,
        description: `Statusrapport ${period} for ${project.reference}: projektets egen samlede vurdering ${LIGHT_DA[measured.ownOverall]}.`,
        ...statusReportFacts(report)
      }
    })
    return report
  }), msg('statusReportExistsHere', { period: input.period }))
}

/**
 * POST /v1/projects/{id}/status-reports/preview: what a report would be measured as, nothing
 * stored, for the owner's form to show before sending (the same `measure` as the report itself).
 */
export async function previewStatusReport (db: Db, caller: Caller, projectId: string, content: StatusReportContent): Promise<Measured> {
  const project = await findVisibleProject(db, caller, projectId)
  if (!isOwner(caller, project)) throw new AppError('FORBIDDEN', msg('ownerOnlyChange'))
  requireTransition(project, 'report_status')
  return measure(db, project, content, copenhagenDate(new Date()))
}
