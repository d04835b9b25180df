import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { ProjectRepository } from '../../repositories/projects.ts'
import type { ProjectResource } from '../../schemas/project.ts'
import { lockVisibleProject, requireTransition } from './access.ts'
import { approvedBaselineOf, danishName, representProject } from './representation.ts'

/**
 * POST /v1/projects/{id}/baseline-approvals: after the letter, the secretariat of the project's
 * council approves the project's current version as the baseline its status reports are measured
 * against (a revision alone makes a new version, not a new approved baseline). Only the current
 * version (422 otherwise), not the one already approved (409).
 */
export async function approveBaseline (uow: UnitOfWork, caller: Caller, projectId: string, version: number): Promise<ProjectResource> {
  return uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId)
    requireTransition(project, 'approve_baseline')
    if (version !== project.version) throw new AppError('RULE_VIOLATION', msg('baselineNotCurrent', { version, current: project.version }))
    if (project.approvedBaseline?.version === version) throw new AppError('DUPLICATE', msg('baselineAlreadyApproved', { version }))

    const approvedBaseline = approvedBaselineOf(project, copenhagenDate(new Date()))
    const approved = await new ProjectRepository(tx, caller).approveBaseline(project.id, approvedBaseline)
    audit.append({
      type: 'itraad.baseline.approved',
      project,
      data: {
        reference: project.reference,
        description: `${danishName(project)}: version ${version} godkendt som baseline for rådets opfølgning` +
          (project.approvedBaseline ? ` (i stedet for version ${project.approvedBaseline.version}).` : '.'),
        approvedBaseline,
        previousVersion: project.approvedBaseline?.version ?? null
      }
    })
    return representProject(tx, approved)
  })
}
