import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { resolveProjectReference } from '../modules/projects/project-key.ts'
import { getResponse } from '../modules/review/get-response.ts'
import { buildCaseFile } from '../modules/review/build-case-file.ts'
import { msg } from '../messages.ts'
import { etagOf, requireIfMatch } from '../modules/etag.ts'
import { correctStatusReport } from '../modules/review/correct-status-report.ts'
import { closeProject, decideFollowUp, listBenefitReports, reportBenefits } from '../modules/review/follow-up.ts'
import { getStatusReport } from '../modules/review/get-status-report.ts'
import { judgeStatusReport } from '../modules/review/judge-status-report.ts'
import { listStatusReports } from '../modules/review/list-status-reports.ts'
import { recordResponse } from '../modules/review/record-response.ts'
import { previewStatusReport, submitStatusReport } from '../modules/review/submit-status-report.ts'
import { BODY_STATUSES, problemResponses, ProjectParams } from '../schemas/common.ts'
import { IfMatchHeadersSchema, ProjectSchema } from '../schemas/project.ts'
import {
  BenefitReportList,
  BenefitReportRequest,
  BenefitReportSchema,
  CaseFileSchema,
  ClosureRequest,
  FollowUpDecisionRequest,
  FollowUpDecisionSchema,
  JudgementRequest,
  ListQuery,
  ResponseRequest,
  ResponseSchema,
  StatusReportCorrection,
  StatusReportPage,
  StatusReportParams,
  StatusReportPreview,
  StatusReportRequest,
  StatusReportSchema
} from '../schemas/review.ts'

const tags = ['review']
/** Who reads what follows the letter (the assignment of a council member is checked in the use case). */
const FOLLOW_UP_READERS = ['submitter', 'council_member', 'secretariat', 'admin'] as const

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
    config: { access: { roles: FOLLOW_UP_READERS } },
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
      description: 'The owning organisation, while the project is `letter_issued` or `responded`. `period` runs from the ' +
        'half-year of the letter to the current half-year, Copenhagen time (a future period or one before the letter → ' +
        '422 `RULE_VIOLATION`); a `forecastEndDate` before the project\'s planned start → 422. One report per period (a ' +
        'second → 409). The lights are the project\'s own view (`ownOverall` is the worst of them); the service adds ' +
        '`deviation` against the approved baseline and `indicatedLights` from the tolerances (`followUp`) of the ' +
        'council\'s policy version in force today. `overall` stays null until the council judges the report ' +
        '(`…/judgement`); the alert follows a red judgement, not the project\'s own red. The project\'s status does ' +
        'not change. Emits `itraad.status_report.submitted`.',
      params: ProjectParams,
      body: StatusReportRequest,
      response: { 201: StatusReportSchema, ...problemResponses(404, 409, 422, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const report = await submitStatusReport(fastify.uow, request.caller, request.params.id, request.body)
    return reply.code(201).header('etag', etagOf(report.version)).header('location', `/v1/projects/${report.projectId}/status-reports/${report.period}`).send(report)
  })

  fastify.post('/v1/projects/:id/status-reports/preview', {
    config: { access: { roles: ['submitter'] } },
    schema: {
      tags,
      summary: 'Preview how a status report would be measured',
      description: 'The owning organisation sends a report\'s content (without the period) and gets what the service would ' +
        'derive from it — `ownOverall`, the `deviation` against the approved baseline and the `indicatedLights` — with ' +
        'nothing stored and no event: the status report form shows them before sending. The same rules as a report ' +
        '(409 before the letter or after closure, 422 for an end before the planned start).',
      params: ProjectParams,
      body: StatusReportCorrection,
      response: { 200: StatusReportPreview, ...problemResponses(404, 409, 422, ...BODY_STATUSES) }
    }
  }, async (request) => previewStatusReport(fastify.db, request.caller, request.params.id, request.body))

  fastify.get('/v1/projects/:id/status-reports', {
    config: { access: { roles: FOLLOW_UP_READERS } },
    schema: {
      tags,
      summary: 'List the status reports',
      description: 'Newest period first. The owner and the participating regions, the council\'s secretariat, the members ' +
        'assigned to the review (another member → 403) and admins.',
      params: ProjectParams,
      querystring: ListQuery,
      response: { 200: StatusReportPage, ...problemResponses(404) }
    }
  }, async (request) => listStatusReports(fastify.db, request.caller, request.params.id, request.query))

  fastify.get('/v1/projects/:id/status-reports/:period', {
    config: { access: { roles: FOLLOW_UP_READERS } },
    schema: {
      tags,
      summary: 'One status report',
      description: 'By its period, with its ETag (`"<version>"`) for a correction. Read as the list is; 404 when the project ' +
        'has no report for the period.',
      params: StatusReportParams,
      response: { 200: StatusReportSchema, ...problemResponses(404) }
    }
  }, async (request, reply) => {
    const report = await getStatusReport(fastify.db, request.caller, request.params.id, request.params.period)
    reply.header('etag', etagOf(report.version))
    return report
  })

  fastify.put('/v1/projects/:id/status-reports/:period', {
    config: { access: { roles: ['submitter'] } },
    schema: {
      tags,
      summary: 'Correct a status report',
      description: 'The owning organisation replaces the report with a corrected one (the whole body, without the period), ' +
        'measured anew against the approved baseline, until the council has judged it (then 409 `STATE_CONFLICT`). ' +
        '`If-Match` with the report\'s ETag is required (428 without it, 412 when stale). The report keeps its period; ' +
        'reports are never deleted. Emits `itraad.status_report.corrected`.',
      params: StatusReportParams,
      headers: IfMatchHeadersSchema(true),
      body: StatusReportCorrection,
      response: { 200: StatusReportSchema, ...problemResponses(404, 409, 412, 422, 428, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const ifMatch = requireIfMatch(request.headers['if-match'], { missing: msg('ifMatchRequiredHere'), any: msg('ifMatchRequiredHere') })
    const report = await correctStatusReport(fastify.uow, request.caller, request.params.id, request.params.period, request.body, ifMatch)
    reply.header('etag', etagOf(report.version))
    return report
  })

  fastify.post('/v1/projects/:id/status-reports/:period/judgement', {
    config: { access: { roles: ['secretariat'] } },
    schema: {
      tags,
      summary: 'The council\'s judgement of a status report',
      description: 'The secretariat of the project\'s council sets the council\'s overall light for the report, once (a ' +
        'second → 409 `DUPLICATE`); the report can no longer be corrected. The report\'s `overall` is the judgement. ' +
        'Emits `itraad.status_report.judged`, and `itraad.project.alert` when the judgement is red.',
      params: StatusReportParams,
      body: JudgementRequest,
      response: { 200: StatusReportSchema, ...problemResponses(404, 409, ...BODY_STATUSES) }
    }
  }, async (request) => judgeStatusReport(fastify.uow, request.caller, request.params.id, request.params.period, request.body))

  fastify.post('/v1/projects/:id/follow-up-decisions', {
    config: { access: { roles: ['secretariat'] } },
    schema: {
      tags,
      summary: 'Record the council\'s decision after a red judgement',
      description: 'Red means a decision: when the council\'s latest judgement of a status report is red, the secretariat of ' +
        'the project\'s council records the track — `back_to_plan`, `new_baseline` or `close_project` — once per red ' +
        'judgement (a second → 409 `DUPLICATE`; without a red latest judgement → 409 `STATE_CONFLICT`). The project shows ' +
        'the latest as `followUpTrack`. `close_project` only records the decision: the owner closes with `…/closure`. ' +
        'Emits `itraad.follow_up.decided`.',
      params: ProjectParams,
      body: FollowUpDecisionRequest,
      response: { 201: FollowUpDecisionSchema, ...problemResponses(404, 409, ...BODY_STATUSES) }
    }
  }, async (request, reply) => reply.code(201).send(await decideFollowUp(fastify.uow, request.caller, request.params.id, request.body)))

  fastify.post('/v1/projects/:id/closure', {
    config: { access: { roles: ['submitter'] } },
    schema: {
      tags,
      summary: 'Close the project',
      description: 'The owning organisation closes the project after the letter (`letter_issued` or `responded`; else 409): ' +
        'status `closed`, final — no further status reports, corrections or revisions (409). `completedOn` in the future → ' +
        '422. Up to two benefit reports may follow. Emits `itraad.project.closed`.',
      params: ProjectParams,
      body: ClosureRequest,
      response: { 200: ProjectSchema, ...problemResponses(404, 409, 422, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const project = await closeProject(fastify.uow, request.caller, request.params.id, request.body)
    reply.header('etag', etagOf(project.version))
    return project
  })

  fastify.post('/v1/projects/:id/benefit-reports', {
    config: { access: { roles: ['submitter'] } },
    schema: {
      tags,
      summary: 'Report realised benefits of a closed project',
      description: 'The owning organisation of a `closed` project (else 409), at most twice (a third → 409 `DUPLICATE`), ' +
        'dated within 12 months of the closure\'s `completedOn` and not in the future (else 422). Emits ' +
        '`itraad.benefit_report.submitted`.',
      params: ProjectParams,
      body: BenefitReportRequest,
      response: { 201: BenefitReportSchema, ...problemResponses(404, 409, 422, ...BODY_STATUSES) }
    }
  }, async (request, reply) => reply.code(201).send(await reportBenefits(fastify.uow, request.caller, request.params.id, request.body)))

  fastify.get('/v1/projects/:id/benefit-reports', {
    config: { access: { roles: FOLLOW_UP_READERS } },
    schema: {
      tags,
      summary: 'List the benefit reports',
      description: 'In the order they were made (at most two). Read as the status reports are.',
      params: ProjectParams,
      response: { 200: BenefitReportList, ...problemResponses(404) }
    }
  }, async (request) => listBenefitReports(fastify.db, request.caller, request.params.id))

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
