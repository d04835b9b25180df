import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { councilOf } from '../../domain/councils.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { CouncilRepository, type Organisation } from '../../repositories/councils.ts'
import type { OrganisationCreate } from '../../schemas/council.ts'

const CVR = /^\d{8}$/

/**
 * POST /v1/organisations (admin): a state authority (code = its 8-digit CVR number, council
 * state) or another organisation. Regions and secretariats are seeded, not added (422).
 * Emits `itraad.organisation.registered`.
 */
export async function registerOrganisation (uow: UnitOfWork, caller: Caller, input: OrganisationCreate): Promise<Organisation> {
  if (input.kind === 'region' || input.kind === 'secretariat') throw new AppError('RULE_VIOLATION', msg('organisationKindFixed'))
  if (input.kind === 'state_authority') {
    if (!CVR.test(input.code)) throw new AppError('RULE_VIOLATION', msg('cvrRequired'))
    if (input.council !== 'state') throw new AppError('RULE_VIOLATION', msg('organisationCouncil', { kind: input.kind, council: 'state' }))
  }
  return uow.run(caller, async (tx, audit) => {
    const organisation = await new CouncilRepository(tx).addOrganisation(input)
    if (organisation === undefined) throw new AppError('DUPLICATE', msg('organisationExists', { code: input.code }))
    audit.append({
      type: 'itraad.organisation.registered',
      subject: `organisations/${organisation.code}`,
      projectId: null,
      data: {
        code: organisation.code,
        name: organisation.name,
        kind: organisation.kind,
        council: organisation.council,
        active: organisation.active,
        description: `Organisationen ${organisation.name} (${organisation.code}) registreret` +
          (organisation.council === null ? '.' : ` under ${councilOf(organisation.council).name}.`)
      }
    })
    return organisation
  })
}
