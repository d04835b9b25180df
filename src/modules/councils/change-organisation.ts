import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError, notFound } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { CouncilRepository, type Organisation } from '../../repositories/councils.ts'
import type { OrganisationChange } from '../../schemas/council.ts'
import { etagOf, ifMatchAccepts, type IfMatch } from '../etag.ts'

/**
 * PATCH /v1/organisations/{code} (admin, If-Match): its name, whether it is active. Emits
 * `itraad.organisation.changed` naming what changed.
 */
export async function changeOrganisation (uow: UnitOfWork, caller: Caller, code: string, change: OrganisationChange, ifMatch: IfMatch): Promise<Organisation> {
  return uow.run(caller, async (tx, audit) => {
    const repository = new CouncilRepository(tx)
    const current = await repository.organisation(code)
    if (current === undefined) throw notFound('organisation')
    const stale = new AppError('PRECONDITION_FAILED', msg('staleVersion', { version: current.version, etag: etagOf(current.version) }))
    if (!ifMatchAccepts(ifMatch, current.version)) throw stale
    const organisation = await repository.updateOrganisation(code, current.version, change)
    if (organisation === undefined) throw stale
    const changedFields = (['name', 'active'] as const).filter((field) => change[field] !== undefined && change[field] !== current[field])
    const clauses = [
      ...(changedFields.includes('name') ? [`navn ændret fra ${current.name} til ${organisation.name}`] : []),
      ...(changedFields.includes('active') ? [organisation.active ? 'gjort aktiv' : 'gjort inaktiv'] : [])
    ]
    audit.append({
      type: 'itraad.organisation.changed',
      subject: `organisations/${code}`,
      projectId: null,
      data: {
        code,
        name: organisation.name,
        active: organisation.active,
        version: organisation.version,
        changedFields,
        description: `Organisationen ${organisation.name} (${code}) ${clauses.length === 0 ? 'gemt uændret' : clauses.join(' og ')}.`
      }
    })
    return organisation
  })
}
