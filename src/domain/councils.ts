/**
 * The two councils (API.md v1.1, "Councils, organisations and people"). They are fixed by the
 * contract, so they live here as well as in the `councils` table (seeded by migration 0003, read by
 * GET /v1/councils): a secretariat's council follows from its token's `org` without a query.
 */
export const COUNCILS = [
  { code: 'regions', name: 'Regionernes It-råd', secretariatOrg: 'ITR', referencePrefix: 'ITR' },
  { code: 'state', name: 'Statens It-råd', secretariatOrg: 'SIR', referencePrefix: 'SIR' }
] as const

export type CouncilCode = (typeof COUNCILS)[number]['code']
export type Council = (typeof COUNCILS)[number]

export const COUNCIL_CODES: readonly CouncilCode[] = COUNCILS.map((council) => council.code)

export function councilOf (code: CouncilCode): Council {
  return COUNCILS.find((council) => council.code === code)!
}

/** The council whose secretariat the organisation is, if it is one. */
export function councilOfSecretariat (org: string): CouncilCode | undefined {
  return COUNCILS.find((council) => council.secretariatOrg === org)?.code
}

export const ORGANISATION_KINDS = ['region', 'state_authority', 'secretariat', 'other'] as const
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number]

/** Organisations whose submitters may submit projects (and own them). */
export const SUBMITTING_KINDS: readonly OrganisationKind[] = ['region', 'state_authority']

export const PROJECT_KINDS = ['project', 'programme'] as const
export type ProjectKind = (typeof PROJECT_KINDS)[number]
