import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { msg } from '../messages.ts'
import { etagOf, requireIfMatch } from '../modules/etag.ts'
import { changeMember, getMember, listMembers, registerMember, toMemberResource } from '../modules/members/directory.ts'
import { BODY_STATUSES, problemResponses } from '../schemas/common.ts'
import { MemberChangeSchema, MemberCreateSchema, MemberListQuery, MemberListSchema, MemberParams, MemberSchema } from '../schemas/council.ts'
import { IfMatchHeadersSchema } from '../schemas/project.ts'

const tags = ['councils']
const READERS = { roles: ['admin', 'secretariat', 'council_member'] as const }
const WRITERS = { roles: ['admin', 'secretariat'] as const }
const SCOPE = 'An admin sees every member; a secretariat its own council\'s; a council member its own council\'s ' +
  '(none without an entry of its own). A member the caller may not see is 404.'

/** The council members' directory (API.md v1.1, "People"). */
const memberRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/v1/members', {
    config: { access: READERS },
    schema: {
      tags,
      summary: 'The council members\' directory',
      description: `By name. ${SCOPE} \`council\` narrows the list.`,
      querystring: MemberListQuery,
      response: { 200: MemberListSchema, ...problemResponses() }
    }
  }, async (request) => ({ items: await listMembers(fastify.db, request.caller, request.query.council) }))

  fastify.get('/v1/members/:sub', {
    config: { access: READERS },
    schema: {
      tags,
      summary: 'One council member',
      description: `With \`ETag: "<version>"\` for PATCH. ${SCOPE}`,
      params: MemberParams,
      response: { 200: MemberSchema, ...problemResponses(404) }
    }
  }, async (request, reply) => {
    const member = await getMember(fastify.db, request.caller, request.params.sub)
    reply.header('etag', etagOf(member.version))
    return toMemberResource(member)
  })

  fastify.post('/v1/members', {
    config: { access: WRITERS },
    schema: {
      tags,
      summary: 'Register a council member',
      description: 'An admin registers members of either council, a secretariat those of its own (403 otherwise). ' +
        '`sub` is the subject of the member\'s tokens: the secretariat assigns members by it. An unknown `org` is 422, ' +
        'a `sub` already registered 409. Emits `itraad.member.registered`. Answers 201 with `Location` and `ETag: "1"`.',
      body: MemberCreateSchema,
      response: { 201: MemberSchema, ...problemResponses(409, 422, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const member = await registerMember(fastify.uow, request.caller, request.body)
    reply.header('location', `/v1/members/${encodeURIComponent(member.sub)}`).header('etag', etagOf(member.version))
    return reply.code(201).send(toMemberResource(member))
  })

  fastify.patch('/v1/members/:sub', {
    config: { access: WRITERS },
    schema: {
      tags,
      summary: 'Change a council member',
      description: '`name`, `email` (null removes it), `active`. An inactive member cannot be assigned. `If-Match` is ' +
        'required (428 without it, and for `*`); a stale tag is 412. A member of another council is 404 to a ' +
        'secretariat. Emits `itraad.member.changed`.',
      params: MemberParams,
      headers: IfMatchHeadersSchema(true),
      body: MemberChangeSchema,
      response: { 200: MemberSchema, ...problemResponses(404, 412, 428, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const ifMatch = requireIfMatch(request.headers['if-match'], { missing: msg('ifMatchRequiredHere'), any: msg('ifMatchRequiredHere') })
    const member = await changeMember(fastify.uow, request.caller, request.params.sub, request.body, ifMatch)
    reply.header('etag', etagOf(member.version))
    return toMemberResource(member)
  })
}

export default memberRoutes
