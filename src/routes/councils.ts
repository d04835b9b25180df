import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { ROLES } from '../auth/caller.ts'
import { msg } from '../messages.ts'
import { addPolicy } from '../modules/councils/add-policy.ts'
import { changeOrganisation } from '../modules/councils/change-organisation.ts'
import { getOrganisation, listCouncils, listOrganisations, listPolicies, toOrganisationResource } from '../modules/councils/read.ts'
import { registerOrganisation } from '../modules/councils/register-organisation.ts'
import { etagOf, requireIfMatch } from '../modules/etag.ts'
import { BODY_STATUSES, problemResponses } from '../schemas/common.ts'
import {
  CouncilListSchema,
  CouncilParams,
  OrganisationChangeSchema,
  OrganisationCreateSchema,
  OrganisationListSchema,
  OrganisationParams,
  OrganisationSchema,
  PolicyCreateSchema,
  PolicyListSchema,
  PolicySchema
} from '../schemas/council.ts'
import { IfMatchHeadersSchema } from '../schemas/project.ts'

const tags = ['councils']
const ANY_ROLE = { roles: ROLES }
const ADMIN = { roles: ['admin'] as const }

/** The councils, their dated policy versions and the organisations (API.md v1.1, "Councils, organisations and people"). */
const councilRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/v1/councils', {
    config: { access: ANY_ROLE },
    schema: {
      tags,
      summary: 'The two councils',
      description: 'Regionernes It-råd (`regions`, secretariat `ITR`) and Statens It-råd (`state`, secretariat `SIR`). ' +
        'A project belongs to its owner organisation\'s council; a secretariat token acts for the council whose ' +
        '`secretariatOrg` is its `org`.',
      response: { 200: CouncilListSchema, ...problemResponses() }
    }
  }, async () => ({ items: await listCouncils(fastify.db) }))

  fastify.get('/v1/councils/:code/policies', {
    config: { access: ANY_ROLE },
    schema: {
      tags,
      summary: 'A council\'s policy versions',
      description: 'Every version, oldest first. A project is gated by the version of its council in force on the ' +
        'Copenhagen date of its submission or re-baseline (the latest `effectiveFrom` on or before it); ' +
        '`gating.policy` names it. Versions are never changed or removed.',
      params: CouncilParams,
      response: { 200: PolicyListSchema, ...problemResponses(404) }
    }
  }, async (request) => ({ items: await listPolicies(fastify.db, request.params.code) }))

  fastify.post('/v1/councils/:code/policies', {
    config: { access: ADMIN },
    schema: {
      tags,
      summary: 'Add a policy version',
      description: 'A new version for the council: `effectiveFrom` after today, Copenhagen (no retroactive rules: 422); ' +
        'an `id` or an `effectiveFrom` the council already has is 409. Emits `itraad.policy.added`. Answers 201 with ' +
        '`Location` and `ETag: "1"` (a version never changes).',
      params: CouncilParams,
      body: PolicyCreateSchema,
      response: { 201: PolicySchema, ...problemResponses(404, 409, 422, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const policy = await addPolicy(fastify.uow, request.caller, request.params.code, request.body)
    reply.header('location', `/v1/councils/${policy.council}/policies`).header('etag', etagOf(1))
    return reply.code(201).send(policy)
  })

  fastify.get('/v1/organisations', {
    config: { access: ANY_ROLE },
    schema: {
      tags,
      summary: 'The organisations',
      description: 'The five regions, the two secretariats, the state authorities an admin has registered (code = CVR ' +
        'number) and others. A submitter whose `org` is not an active region or state authority cannot submit ' +
        '(403 `/unknown-organisation`).',
      response: { 200: OrganisationListSchema, ...problemResponses() }
    }
  }, async () => ({ items: await listOrganisations(fastify.db) }))

  fastify.get('/v1/organisations/:code', {
    config: { access: ANY_ROLE },
    schema: {
      tags,
      summary: 'One organisation',
      description: 'With `ETag: "<version>"` for PATCH.',
      params: OrganisationParams,
      response: { 200: OrganisationSchema, ...problemResponses(404) }
    }
  }, async (request, reply) => {
    const organisation = await getOrganisation(fastify.db, request.params.code)
    reply.header('etag', etagOf(organisation.version))
    return toOrganisationResource(organisation)
  })

  fastify.post('/v1/organisations', {
    config: { access: ADMIN },
    schema: {
      tags,
      summary: 'Register an organisation',
      description: 'A state authority (`kind: state_authority`, `code` its 8-digit CVR number, `council: state`) or ' +
        'another organisation (`kind: other`). Regions and secretariats are seeded (422). An existing code is 409. ' +
        'Emits `itraad.organisation.registered`. Answers 201 with `Location` and `ETag: "1"`.',
      body: OrganisationCreateSchema,
      response: { 201: OrganisationSchema, ...problemResponses(409, 422, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const organisation = await registerOrganisation(fastify.uow, request.caller, request.body)
    reply.header('location', `/v1/organisations/${organisation.code}`).header('etag', etagOf(organisation.version))
    return reply.code(201).send(toOrganisationResource(organisation))
  })

  fastify.patch('/v1/organisations/:code', {
    config: { access: ADMIN },
    schema: {
      tags,
      summary: 'Change an organisation',
      description: '`name`, `active` or both. `If-Match` is required (428 without it, and for `*`); a stale tag is 412. ' +
        'An inactive organisation\'s submitters cannot submit; its projects stay readable. Emits ' +
        '`itraad.organisation.changed`.',
      params: OrganisationParams,
      headers: IfMatchHeadersSchema(true),
      body: OrganisationChangeSchema,
      response: { 200: OrganisationSchema, ...problemResponses(404, 412, 428, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const ifMatch = requireIfMatch(request.headers['if-match'], { missing: msg('ifMatchRequiredHere'), any: msg('ifMatchRequiredHere') })
    const organisation = await changeOrganisation(fastify.uow, request.caller, request.params.code, request.body, ifMatch)
    reply.header('etag', etagOf(organisation.version))
    return toOrganisationResource(organisation)
  })
}

export default councilRoutes
