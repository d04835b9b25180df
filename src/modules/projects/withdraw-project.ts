import { eq } from 'drizzle-orm'
import type { Caller } from '../../auth/caller.ts'
import { projects } from '../../db/schema/index.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import type { ProjectResource } from '../../schemas/project.ts'
import { ifMatchAccepts, type IfMatch } from '../etag.ts'
import { lockVisibleProject, requireTransition } from './access.ts'
import { STATUS_DA } from './gating.ts'
import { danishName, representProject } from './representation.ts'
import { staleEtag } from './revise-project.ts'

/**
 * POST /v1/projects/{id}/withdraw. Withdrawal changes the state, not the baseline: the version
 * (and so the ETag) stays, and a letter already issued stays on record.
 */
export async function withdrawProject (uow: UnitOfWork, caller: Caller, id: string, ifMatch: IfMatch | undefined): Promise<ProjectResource> {
  return uow.run(caller, async (tx, audit) => {
    const current = await lockVisibleProject(tx, caller, id, { owner: true })
    const to = requireTransition(current, 'withdraw')
    if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, current.version)) throw staleEtag(current.version)

    const [project] = await tx.update(projects)
      .set({ status: to, updatedAt: new Date().toISOString() })
      .where(eq(projects.id, id))
      .returning()
    audit.append({
      type: 'itraad.project.withdrawn',
      subject: `projects/${id}`,
      projectId: id,
      data: {
        reference: current.reference,
        description: `${danishName(current)} trukket tilbage af ${caller.org} (var ${STATUS_DA[current.status]}).`,
        version: current.version,
        status: to,
        previousStatus: current.status
      }
    })
    return representProject(tx, project!)
  })
}
