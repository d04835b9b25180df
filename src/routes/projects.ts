import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { resolveProjectReference } from '../modules/projects/project-key.ts'
import { ROLES } from '../auth/caller.ts'
import { msg } from '../messages.ts'
import { etagOf, parseIfMatch, requireIfMatch } from '../modules/etag.ts'
import { previewGate } from '../modules/projects/gating.ts'
import { approveBaseline } from '../modules/projects/approve-baseline.ts'
import { getProject, projectHistory } from '../modules/projects/get-project.ts'
import { listProjects } from '../modules/projects/list-projects.ts'
import { reviseProject } from '../modules/projects/revise-project.ts'
import { submitProject } from '../modules/projects/submit-project.ts'
import { withdrawProject } from '../modules/projects/withdraw-project.ts'
import { BODY_STATUSES, problemResponses, ProjectParams } from '../schemas/common.ts'
import {
  BaselineApprovalRequest,
  GatePreviewRequestSchema,
  GatePreviewSchema,
  IdempotencyHeadersSchema,
  IfMatchHeadersSchema,
  ListProjectsQuerySchema,
  ProjectHistorySchema,
  ProjectPageSchema,
  ProjectRevisionSchema,
  ProjectSchema,
  ProjectSubmissionSchema,
  WithdrawalSchema
} from '../schemas/project.ts'

const tags = ['projects']
const ANY_ROLE = { roles: ROLES }
const SUBMITTER = { roles: ['submitter'] as const }

const VISIBILITY = 'A submitter sees the projects its org owns or participates in as a region; council members, ' +
  'the secretariat, integrations and admins see all. A project the caller may not see is 404.'
const OWNER_ONLY = 'Only a submitter of the owning org may do this: a participating region that sees the project gets 403.'

const projectsRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.addHook('preHandler', resolveProjectReference(fastify.db))

  fastify.post('/v1/projects', {
    config: { access: SUBMITTER },
    schema: {
      tags,
      summary: 'Submit a project',
      description: 'Creates the project as baseline version 1 and evaluates the gate by the policy version of the owner ' +
        'organisation\'s council in force on the Copenhagen date of submission (`gating.policy` names it; see ' +
        '`GET /v1/councils/{code}/policies`; regions-2019: eligible cost ≥ 10,000,000 DKK and all five regions; operations ' +
        'and interest never count; reviewRequested makes any project reviewable). The submitter\'s `org` must be a known, ' +
        'active region or state authority (403 `/unknown-organisation`); a regional project names its owner among 1–5 ' +
        'participatingRegions (422). Answers 201 with `Location` and `ETag: "1"`.\n\n' +
        'With `Idempotency-Key`: the same key and the same body (compared after validation, as canonical JSON) from the ' +
        'same org within 24 h answers the original status, body, `Location` and `ETag` again, with the header ' +
        '`idempotent-replayed: true`, and creates nothing. A concurrent duplicate waits for the first to finish. ' +
        'The same key with a different body is 422. After 24 h a key can be used afresh.',
      headers: IdempotencyHeadersSchema,
      body: ProjectSubmissionSchema,
      response: { 201: ProjectSchema, ...problemResponses(409, 422, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const result = await submitProject(fastify.uow, request.caller, request.body, request.headers['idempotency-key'])
    reply.headers(result.headers)
    if (result.replayed) reply.header('idempotent-replayed', 'true')
    return reply.code(result.statusCode as 201).send(result.body)
  })

  fastify.post('/v1/gate/preview', {
    config: { access: { roles: ['submitter', 'secretariat', 'admin'] } },
    schema: {
      tags,
      summary: 'Preview the gate',
      description: 'The gate\'s verdict on a draft (regions, budget lines, reviewRequested) by the policy in force now, ' +
        'exactly as a submission would record it, without storing anything or emitting an event. A submitter\'s draft is ' +
        'judged by its organisation\'s council (403 `/unknown-organisation` and the regions rule\'s 422 as at submission), ' +
        'a secretariat\'s by its own council\'s policy, an admin\'s by `council` (default `regions`). ' +
        'The submission form shows it before sending.',
      body: GatePreviewRequestSchema,
      response: { 200: GatePreviewSchema, ...problemResponses(409, 422, ...BODY_STATUSES) }
    }
  }, async (request) => previewGate(fastify.db, request.caller, request.body))

  fastify.get('/v1/projects', {
    config: { access: ANY_ROLE },
    schema: {
      tags,
      summary: 'List projects',
      description: `Newest first (by creation, then id). ${VISIBILITY}\n\n` +
        'Filters combine with AND. `nextCursor` is opaque: pass it back unchanged as `cursor` (with the same filters) ' +
        'for the next page; it is null on the last page. A cursor that was not produced by this list is 400. ' +
        'Unknown query parameters are 400.',
      querystring: ListProjectsQuerySchema,
      response: { 200: ProjectPageSchema, ...problemResponses() }
    }
  }, async (request) => listProjects(fastify.db, request.caller, request.query))

  fastify.get('/v1/projects/:id', {
    config: { access: ANY_ROLE },
    schema: {
      tags,
      summary: 'Get a project',
      description: `With \`ETag: "<version>"\` for a later PATCH. ${VISIBILITY}`,
      params: ProjectParams,
      response: { 200: ProjectSchema, ...problemResponses(404) }
    }
  }, async (request, reply) => {
    const project = await getProject(fastify.db, request.caller, request.params.id)
    reply.header('etag', etagOf(project.version))
    return project
  })

  fastify.patch('/v1/projects/:id', {
    config: { access: SUBMITTER },
    schema: {
      tags,
      summary: 'Revise a project',
      description: 'A new baseline: `version` + 1 and the gate evaluated again. A project that newly meets the gate goes ' +
        'to awaiting_assessment with a deadline counted from the revision date; one already in review keeps its state, ' +
        'deadline and letter; one awaiting assessment that no longer meets the gate becomes not_required.\n\n' +
        '`If-Match` is required (428 without it, and for `*`); a tag other than the current `"<version>"` is 412, ' +
        'so of two concurrent revisions from the same version exactly one succeeds. A withdrawn project is 409. ' +
        OWNER_ONLY,
      params: ProjectParams,
      headers: IfMatchHeadersSchema(true),
      body: ProjectRevisionSchema,
      response: { 200: ProjectSchema, ...problemResponses(404, 409, 412, 422, 428, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const ifMatch = requireIfMatch(request.headers['if-match'], { missing: msg('ifMatchRequired'), any: msg('ifMatchAny') })
    const project = await reviseProject(fastify.uow, request.caller, request.params.id, request.body, ifMatch)
    reply.header('etag', etagOf(project.version))
    return project
  })

  fastify.post('/v1/projects/:id/withdraw', {
    config: { access: SUBMITTER },
    schema: {
      tags,
      summary: 'Withdraw a project',
      description: 'Moves an open project to withdrawn (final). Takes no body, `{}`, or `{ "reason": "…" }` (up to 2,000 ' +
        'characters; shown in the history and the case file as `data.reason` of `itraad.project.withdrawn`). `If-Match` is optional; when given it must ' +
        'match (412). Withdrawal does not change the baseline, so the version and ETag stay. A project already ' +
        `withdrawn is 409. ${OWNER_ONLY}`,
      params: ProjectParams,
      headers: IfMatchHeadersSchema(false),
      body: WithdrawalSchema,
      response: { 200: ProjectSchema, ...problemResponses(404, 409, 412, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const header = request.headers['if-match']
    const project = await withdrawProject(fastify.uow, request.caller, request.params.id, header === undefined ? undefined : parseIfMatch(header), request.body?.reason)
    reply.header('etag', etagOf(project.version))
    return project
  })

  fastify.post('/v1/projects/:id/baseline-approvals', {
    config: { access: { roles: ['secretariat'] } },
    schema: {
      tags,
      summary: 'Approve the current version as the baseline to follow',
      description: 'Issuing the letter approves the version it answers; a later revision makes a new version but not a new ' +
        'approved baseline. The secretariat of the project\'s council approves one here: only the project\'s current ' +
        '`version` (another → 422 `RULE_VIOLATION`; the one already approved → 409 `DUPLICATE`), only after the letter ' +
        '(`letter_issued` or `responded`, else 409 `STATE_CONFLICT`). Status reports are measured against the approved ' +
        'baseline from then on. The version and ETag do not change. Emits `itraad.baseline.approved`.',
      params: ProjectParams,
      body: BaselineApprovalRequest,
      response: { 200: ProjectSchema, ...problemResponses(404, 409, 422, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const project = await approveBaseline(fastify.uow, request.caller, request.params.id, request.body.version)
    reply.header('etag', etagOf(project.version))
    return project
  })

  fastify.get('/v1/projects/:id/history', {
    config: { access: ANY_ROLE },
    schema: {
      tags,
      summary: 'Audit history of a project',
      description: 'The project\'s audit events (CloudEvents 1.0), oldest first. An event committed moments ago may not ' +
        'yet carry `sequence`, `hash` and `prevhash`: they are added once the feed has sealed it. ' +
        '`itraad.assessment.submitted` events are left out for callers who may not read the assessments (a participating ' +
        `region that does not own the project, integrations); the feed carries every event. ${VISIBILITY}`,
      params: ProjectParams,
      response: { 200: ProjectHistorySchema, ...problemResponses(404) }
    }
  }, async (request) => ({ items: await projectHistory(fastify.db, request.caller, request.params.id) }))
}

export default projectsRoutes
