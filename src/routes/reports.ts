import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { resolveProjectReference } from '../modules/projects/project-key.ts'
import { ROLES } from '../auth/caller.ts'
import { getResponse } from '../modules/review/get-response.ts'
import { buildCaseFile } from '../modules/review/build-case-file.ts'
import { listStatusReports } from '../modules/review/list-status-reports.ts'
import { recordResponse } from '../modules/review/record-response.ts'
import { submitStatusReport } from '../modules/review/submit-status-report.ts'
import { BODY_STATUSES, problemResponses, ProjectParams } from '../schemas/common.ts'
import {
  CaseFileSchema,
  ListQuery,
  ResponseRequest,
  ResponseSchema,
  StatusReportPage,
  StatusReportRequest,
  StatusReportSchema
} from '../schemas/review.ts'

const tags = ['review']

/** After the letter: the project's response, its half-yearly status reports, and the case file. */
const reportRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.addHook('preHandler', resolveProjectReference(fastify.db))

  fastify.post('/v1/projects/:id/response', {
    config: { access: { roles: ['submitter'] } },
    schema: {
      tags,
      summary: 'Answer the recommendation letter',
      description: 'The owning organisation answers once, while the project is `letter_issued`; the project ' +
        'moves to `responded`. A participating region that does not own the project gets 403; a second ' +
        'response is 409. Emits `itraad.response.received`.',
      params: ProjectParams,
      body: ResponseRequest,
      response: { 201: ResponseSchema, ...problemResponses(404, 409, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const response = await recordResponse(fastify.uow, request.caller, request.params.id, request.body)
    return reply.code(201).send(response)
  })

  fastify.get('/v1/projects/:id/response', {
    config: { access: { roles: ['submitter', 'council_member', 'secretariat', 'admin'] } },
    schema: {
      tags,
      summary: 'Read the answer to the letter',
      description: 'The project\'s answer to its recommendation letter: for the owner, the participating regions, ' +
        'council members, the secretariat and admins who can see the project. 404 until the project has answered.',
      params: ProjectParams,
      response: { 200: ResponseSchema, ...problemResponses(404) }
    }
  }, async (request) => getResponse(fastify.db, request.caller, request.params.id))

  fastify.post('/v1/projects/:id/status-reports', {
    config: { access: { roles: ['submitter'] } },
    schema: {
      tags,
      summary: 'Submit a half-yearly status report',
      description: 'The owning organisation, while the project is `letter_issued` or `responded`. One report ' +
        'per period (a second → 409). `overall` is the worst of the lights; a red overall also emits ' +
        '`itraad.project.alert` in the same transaction. The project\'s status does not change. ' +
        'Emits `itraad.status_report.submitted`.',
      params: ProjectParams,
      body: StatusReportRequest,
      response: { 201: StatusReportSchema, ...problemResponses(404, 409, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const report = await submitStatusReport(fastify.uow, request.caller, request.params.id, request.body)
    return reply.code(201).send(report)
  })

  fastify.get('/v1/projects/:id/status-reports', {
    config: { access: { roles: ROLES } },
    schema: {
      tags,
      summary: 'List the status reports',
      description: 'Newest period first. Anyone who can see the project.',
      params: ProjectParams,
      querystring: ListQuery,
      response: { 200: StatusReportPage, ...problemResponses(404) }
    }
  }, async (request) => listStatusReports(fastify.db, request.caller, request.params.id, request.query))

  fastify.get('/v1/projects/:id/case-file', {
    config: { access: { roles: ['secretariat', 'submitter'] } },
    schema: {
      tags,
      summary: 'The whole case as one document',
      description: 'For access requests (aktindsigt) and journalising: the project, every baseline, ' +
        'assignments, declarations of disqualification, assessments, the letter, the response, status ' +
        'reports and the audit events, read in one consistent snapshot. The secretariat, or submitters of ' +
        'the organisation that owns the project (a participating region that does not own it gets 403; ' +
        'other roles get 403).',
      params: ProjectParams,
      response: { 200: CaseFileSchema, ...problemResponses(404) }
    }
  }, async (request) => buildCaseFile(fastify.database, request.caller, request.params.id))
}

export default reportRoutes
