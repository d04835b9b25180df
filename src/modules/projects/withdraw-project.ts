import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { organisationName } from '../../repositories/councils.ts'
import { ProjectRepository } from '../../repositories/projects.ts'
import type { ProjectResource } from '../../schemas/project.ts'
import { ifMatchAccepts, type IfMatch } from '../etag.ts'
import { lockVisibleProject, requireTransition } from './access.ts'
import { STATUS_DA } from './gating.ts'
import { danishName, representProject } from './representation.ts'
import { staleEtag } from './revise-project.ts'

/**
 * POST /v1/projects/{id}/withdraw. Withdrawal changes the state, not the baseline: the version
 * (and so the ETag) stays, and a letter already issued stays on record. The owner's reason, when
 * given, goes into the event (and so the history and the case file).
 */
export async function withdrawProject (uow: UnitOfWork, caller: Caller, id: string, ifMatch: IfMatch | undefined, reason?: string): Promise<ProjectResource> {
  return uow.run(caller, async (tx, audit) => {
    const current = await lockVisibleProject(tx, caller, id, { owner: true })
    const to = requireTransition(current, 'withdraw')
    if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, current.version)) throw staleEtag(current.version)

    const project = await new ProjectRepository(tx, caller).setStatus(id, to)
    audit.append({
      type: 'itraad.project.withdrawn',
      project,
      data: {
        reference: current.reference,
        description: `${danishName(current)} trukket tilbage af ${await organisationName(tx, caller.org)} (var ${STATUS_DA[current.status]})` +
          (reason === undefined ? '.' : `. Begrundelse: ${reason}`),
        version: current.version,
        status: to,
        previousStatus: current.status,
        ...(reason === undefined ? {} : { reason })
      }
    })
    return representProject(tx, project)
  })
}
