import type { Db } from '../../db/client.ts'
import { COUNCIL_CODES, type CouncilCode } from '../../domain/councils.ts'
import type { GatePolicy } from '../../domain/gate.ts'
import { notFound } from '../../errors.ts'
import { CouncilRepository, type Council, type Organisation } from '../../repositories/councils.ts'

export function isCouncilCode (code: string): code is CouncilCode {
  return (COUNCIL_CODES as readonly string[]).includes(code)
}

/** A council named in a path: regions or state, 404 otherwise. */
export function requireCouncil (code: string): CouncilCode {
  if (!isCouncilCode(code)) throw notFound('council')
  return code
}

export async function listCouncils (db: Db): Promise<Council[]> {
  return new CouncilRepository(db).councils()
}

/** GET /v1/councils/{code}/policies: every version, oldest first. */
export async function listPolicies (db: Db, code: string): Promise<GatePolicy[]> {
  return new CouncilRepository(db).policies(requireCouncil(code))
}

export interface OrganisationResource {
  code: string
  name: string
  kind: Organisation['kind']
  council: CouncilCode | null
  active: boolean
}

export function toOrganisationResource (organisation: Organisation): OrganisationResource {
  return { code: organisation.code, name: organisation.name, kind: organisation.kind, council: organisation.council, active: organisation.active }
}

export async function listOrganisations (db: Db): Promise<OrganisationResource[]> {
  return (await new CouncilRepository(db).organisations()).map(toOrganisationResource)
}

/** One organisation with its version (the ETag), or 404. */
export async function getOrganisation (db: Db, code: string): Promise<Organisation> {
  const organisation = await new CouncilRepository(db).organisation(code)
  if (organisation === undefined) throw notFound('organisation')
  return organisation
}
