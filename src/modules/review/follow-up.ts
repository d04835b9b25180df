import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import type { FollowUpTrack } from '../../db/schema/index.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { ProjectRepository } from '../../repositories/projects.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import type { ProjectResource } from '../../schemas/project.ts'
import type { BenefitReport, FollowUpDecision } from '../../schemas/review.ts'
import { findVisibleProject, lockVisibleProject, requireTransition } from '../projects/access.ts'
import { danishName, representProject } from '../projects/representation.ts'
import { duplicateAs409 } from './common.ts'
import { toBenefitReport, toFollowUpDecision } from './representation.ts'
import { requireFollowUpReader } from './access.ts'

/** How Danish reads the tracks in event descriptions. */
const TRACK_DA: Record<FollowUpTrack, string> = {
  back_to_plan: 'tilbage til planen',
  new_baseline: 'ny baseline',
  close_project: 'lukning af projektet'
}

/**
 * POST /v1/projects/{id}/follow-up-decisions: after the council has judged a report red (its latest
 * judgement), the secretariat records the council's decision, once per red judgement. The project
 * shows the track; `close_project` only records the decision (the owner closes with …/closure).
 */
export async function decideFollowUp (uow: UnitOfWork, caller: Caller, projectId: string, input: { track: FollowUpTrack, note: string }): Promise<FollowUpDecision> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    requireTransition(project, 'decide_follow_up')
    const review = new ReviewRepository(tx)
    const report = await review.latestJudgedReport(project.id)
    if (report?.overall !== 'red') throw new AppError('STATE_CONFLICT', msg('noRedJudgement'))
    if (await review.followUpDecisionFor(report.id) !== undefined) throw new AppError('DUPLICATE', msg('followUpDecided', { period: report.period }))

    const row = await review.insertFollowUpDecision({
      id: randomUUID(), projectId: project.id, statusReportId: report.id, track: input.track, note: input.note, decidedBy: caller.sub, decidedByName: caller.name
    })
    await new ProjectRepository(tx, caller).setFollowUpTrack(project.id, input.track)
    audit.append({
      type: 'itraad.follow_up.decided',
      project,
      data: {
        reference: project.reference,
        description: `Rådets opfølgning på den røde vurdering af statusrapport ${report.period} for ${project.reference}: ${TRACK_DA[input.track]}.`,
        decisionId: row.id,
        statusReportId: report.id,
        period: report.period,
        track: input.track
      }
    })
    return toFollowUpDecision(row, report.period)
  }), msg('followUpDecidedHere'))
}

/**
 * POST /v1/projects/{id}/closure: the owner closes the project after the letter. Closed is final:
 * no further status reports or changes (409); up to two benefit reports follow.
 */
export async function closeProject (uow: UnitOfWork, caller: Caller, projectId: string, input: { completedOn: string, finalCostDkk: number, note: string }): Promise<ProjectResource> {
  return uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId, { owner: true })
    requireTransition(project, 'close')
    const today = copenhagenDate(new Date())
    if (input.completedOn > today) throw new AppError('RULE_VIOLATION', msg('dateInFuture', { field: 'completedOn', date: input.completedOn }))

    const closure = { ...input, closedAt: new Date().toISOString() }
    const closed = await new ProjectRepository(tx, caller).close(project.id, closure)
    audit.append({
      type: 'itraad.project.closed',
      project,
      data: {
        reference: project.reference,
        description: `${danishName(project)} er afsluttet pr. ${input.completedOn}.`,
        completedOn: input.completedOn,
        finalCostDkk: input.finalCostDkk,
        previousStatus: project.status,
        status: 'closed'
      }
    })
    return representProject(tx, closed)
  })
}

/** 1234567 → '1.234.567', as Danish writes amounts. */
const danishAmount = (amount: number) => String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.')

/** One year after `date` (YYYY-MM-DD); 29 February gives 28 February. */
function oneYearAfter (date: string): string {
  const next = `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`
  return next.endsWith('-02-29') ? next.replace(/29$/, '28') : next
}

/**
 * POST /v1/projects/{id}/benefit-reports: a closed project's owner reports the benefits realised,
 * at most twice (a third → 409), dated within 12 months of completion and not in the future (422).
 */
export async function reportBenefits (uow: UnitOfWork, caller: Caller, projectId: string, input: { reportedOn: string, realisedFinancialBenefitsDkk: number, note: string }): Promise<BenefitReport> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId, { owner: true })
    requireTransition(project, 'report_benefits')
    const review = new ReviewRepository(tx)
    const earlier = await review.benefitReports(project.id)
    if (earlier.length >= 2) throw new AppError('DUPLICATE', msg('benefitReportsComplete'))
    const completedOn = project.closure!.completedOn
    const until = oneYearAfter(completedOn)
    if (input.reportedOn > copenhagenDate(new Date())) throw new AppError('RULE_VIOLATION', msg('dateInFuture', { field: 'reportedOn', date: input.reportedOn }))
    if (input.reportedOn < completedOn || input.reportedOn > until) {
      throw new AppError('RULE_VIOLATION', msg('benefitReportOutsideWindow', { reportedOn: input.reportedOn, completedOn, until }))
    }

    const row = await review.insertBenefitReport({ id: randomUUID(), projectId: project.id, number: earlier.length + 1, ...input, reportedBy: caller.sub })
    audit.append({
      type: 'itraad.benefit_report.submitted',
      project,
      data: {
        reference: project.reference,
        description: `Gevinstopgørelse ${row.number} for ${project.reference}: ${danishAmount(input.realisedFinancialBenefitsDkk)} kr. realiseret pr. ${input.reportedOn}.`,
        benefitReportId: row.id,
        number: row.number,
        reportedOn: input.reportedOn,
        realisedFinancialBenefitsDkk: input.realisedFinancialBenefitsDkk
      }
    })
    return toBenefitReport(row)
  }), msg('benefitReportsComplete'))
}

/** GET /v1/projects/{id}/benefit-reports: anyone who can see the project. */
export async function listBenefitReports (db: Db, caller: Caller, projectId: string): Promise<{ items: BenefitReport[] }> {
  const project = await findVisibleProject(db, caller, projectId)
  await requireFollowUpReader(db, caller, project)
  return { items: (await new ReviewRepository(db).benefitReports(project.id)).map(toBenefitReport) }
}
