import { z } from 'zod'
import { ORG_PATTERN } from '../auth/caller.ts'
import { COUNCIL_CODES, ORGANISATION_KINDS, type CouncilCode } from '../domain/councils.ts'
import { rule } from '../messages.ts'
import { IsoDate, line, title } from './common.ts'
import { MAX_AMOUNT_DKK } from './project.ts'

const CouncilCodeSchema = z.enum(COUNCIL_CODES as [CouncilCode, ...CouncilCode[]])

export const CouncilSchema = z.object({
  code: CouncilCodeSchema,
  name: z.string().describe('Regionernes It-råd or Statens It-råd'),
  secretariatOrg: z.string().describe('The `org` of the council\'s secretariat tokens: ITR or SIR')
}).meta({ id: 'Council' })

export const CouncilListSchema = z.object({ items: z.array(CouncilSchema) }).meta({ id: 'CouncilList' })

export const CouncilParams = z.object({ code: z.string().max(32).describe('regions or state (another is 404)') })

const Tolerance = z.strictObject({
  yellow: z.number().min(0).max(1_000_000).describe('A deviation at or above this is yellow'),
  red: z.number().min(0).max(1_000_000).describe('A deviation at or above this is red')
}).refine((t) => t.yellow <= t.red, rule('yellowNotAboveRed'))

const WorkingDays = z.int().min(1).max(250)

const policyFields = {
  effectiveFrom: IsoDate.describe('YYYY-MM-DD, Copenhagen: in force from this date until the next version\'s'),
  rule: z.strictObject({
    minEligibleCostDkk: z.int().min(0).max(MAX_AMOUNT_DKK).describe('Review when the eligible cost is at least this (whole DKK)'),
    requireAllRegions: z.boolean().describe('Review only when all five regions take part (the regional council\'s rule)')
  }),
  reviewWorkingDays: z.strictObject({ project: WorkingDays, programme: WorkingDays })
    .describe('Danish working days from submission to the letter\'s due date, by kind'),
  followUp: z.strictObject({
    costPct: Tolerance.describe('Cost deviation against the approved baseline, in per cent'),
    financialBenefitsPct: Tolerance.describe('Shortfall of the financial benefits, in per cent'),
    scheduleDays: Tolerance.describe('Days the forecast end date is later than the approved one')
  }).describe('Where a status report\'s indicated lights turn yellow and red')
}

export const PolicySchema = z.object({
  id: z.string(),
  council: CouncilCodeSchema,
  version: z.int().describe('The council\'s versions counted from 1 in the order they were added'),
  ...policyFields,
  effectiveFrom: z.string().describe('YYYY-MM-DD')
}).meta({ id: 'Policy' })

export const PolicyListSchema = z.object({ items: z.array(PolicySchema).describe('Oldest first') }).meta({ id: 'PolicyList' })

export const PolicyCreateSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, rule('policyId')).describe('Unique, e.g. state-2027'),
  ...policyFields
}).meta({ id: 'PolicyCreate', description: 'A new version of the path\'s council; effectiveFrom after today (422), id unique (409).' })

export type PolicyCreate = z.output<typeof PolicyCreateSchema>

const OrganisationKindSchema = z.enum(ORGANISATION_KINDS)

export const OrganisationSchema = z.object({
  code: z.string().describe('DAGI code of a region, CVR number (8 digits) of a state authority, ITR or SIR'),
  name: z.string(),
  kind: OrganisationKindSchema,
  council: CouncilCodeSchema.nullable(),
  active: z.boolean().describe('Submitters of an inactive organisation cannot submit (403); its projects stay readable')
}).meta({ id: 'Organisation' })

export const OrganisationListSchema = z.object({ items: z.array(OrganisationSchema) }).meta({ id: 'OrganisationList' })

export const OrganisationParams = z.object({ code: z.string().regex(ORG_PATTERN, rule('organisationCode')) })

export const OrganisationCreateSchema = z.strictObject({
  code: z.string().regex(ORG_PATTERN, rule('organisationCode')).describe('A state authority\'s CVR number: 8 digits (422 otherwise)'),
  name: title(200),
  kind: OrganisationKindSchema.describe('state_authority or other: regions and secretariats are seeded (422)'),
  council: CouncilCodeSchema.nullable().describe('A state authority belongs to state (422 otherwise)')
}).meta({ id: 'OrganisationCreate' })

export type OrganisationCreate = z.output<typeof OrganisationCreateSchema>

export const OrganisationChangeSchema = z.strictObject({
  name: title(200),
  active: z.boolean()
}).partial().refine((value) => Object.keys(value).length > 0, rule('atLeastOneField'))
  .meta({ id: 'OrganisationChange', description: 'name, active or both' })

export type OrganisationChange = z.output<typeof OrganisationChangeSchema>

export const MemberSchema = z.object({
  sub: z.string().describe('The member\'s token subject'),
  name: z.string(),
  email: z.string().nullable(),
  org: z.string().describe('The member\'s organisation'),
  council: CouncilCodeSchema,
  active: z.boolean().describe('An inactive member cannot be assigned')
}).meta({ id: 'Member' })

export const MemberListSchema = z.object({ items: z.array(MemberSchema).describe('By name') }).meta({ id: 'MemberList' })

export const MemberParams = z.object({ sub: z.string().min(1).max(255) })

export const MemberListQuery = z.strictObject({ council: CouncilCodeSchema.optional() })

export const MemberCreateSchema = z.strictObject({
  sub: line(255).describe('The token subject the member signs in with'),
  name: title(200),
  email: z.email().max(254).optional(),
  org: z.string().regex(ORG_PATTERN, rule('organisationCode')).describe('A known organisation (422 otherwise)'),
  council: CouncilCodeSchema
}).meta({ id: 'MemberCreate' })

export type MemberCreate = z.output<typeof MemberCreateSchema>

export const MemberChangeSchema = z.strictObject({
  name: title(200),
  email: z.email().max(254).nullable(),
  active: z.boolean()
}).partial().refine((value) => Object.keys(value).length > 0, rule('atLeastOneField'))
  .meta({ id: 'MemberChange', description: 'name, email (null removes it), active; at least one' })

export type MemberChange = z.output<typeof MemberChangeSchema>
