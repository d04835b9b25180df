import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { resolveProjectReference } from '../modules/projects/project-key.ts'
import { ROLES } from '../auth/caller.ts'
import { assignMember } from '../modules/review/assign-member.ts'
import { decideConflict } from '../modules/review/decide-conflict.ts'
import { declareConflict } from '../modules/review/declare-conflict.ts'
import { negotiateMediaType } from '../modules/negotiation.ts'
import { sendFile } from '../modules/file-reply.ts'
import { getLetter, getLetterPdf } from '../modules/review/get-letter.ts'
import { issueLetter } from '../modules/review/issue-letter.ts'
import { listAssessments } from '../modules/review/list-assessments.ts'
import { listAssignments } from '../modules/review/list-assignments.ts'
import { listConflicts } from '../modules/review/list-conflicts.ts'
import { submitAssessment } from '../modules/review/submit-assessment.ts'
import { BODY_STATUSES, PdfSchema, problemResponses, ProjectParams } from '../schemas/common.ts'
import {
  AssessmentPage,
  AssessmentRequest,
  AssessmentSchema,
  AssignmentPage,
  AssignmentRequest,
  AssignmentSchema,
  ConflictDecisionRequest,
  ConflictList,
  ConflictParams,
  ConflictRequest,
  ConflictSchema,
  LetterRequest,
  LetterSchema,
  ListQuery
} from '../schemas/review.ts'

const tags = ['review']

/** The council's review: assignments, disqualification, risk assessments and the letter. */
const reviewRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.addHook('preHandler', resolveProjectReference(fastify.db))

  fastify.post('/v1/projects/:id/assignments', {
    config: { access: { roles: ['secretariat'] } },
    schema: {
      tags,
      summary: 'Assign a council member to the review',
      description: 'A member of the directory (`GET /v1/members`) by `memberSub`: unknown, inactive or of the other ' +
        'council is 422 `RULE_VIOLATION`, as is a `memberOrg` that differs from the directory\'s. The answer and the ' +
        'event carry the member\'s and the organisation\'s names. At most two active members per project. The first ' +
        'assignment moves the project from ' +
        '`awaiting_assessment` to `under_assessment` (status and `updatedAt` change; `version`, the baseline ' +
        'and ETag, does not). 409 `CONFLICT_OF_INTEREST` when the member\'s organisation owns the project or the member has ' +
        'declared disqualification on it; 409 `DUPLICATE` for a member already assigned; 409 `STATE_CONFLICT` ' +
        'for a third active member or a project whose state does not allow assignment. ' +
        'Emits `itraad.review.member_assigned`.',
      params: ProjectParams,
      body: AssignmentRequest,
      response: { 201: AssignmentSchema, ...problemResponses(404, 409, 422, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const assignment = await assignMember(fastify.uow, request.caller, request.params.id, request.body)
    return reply.code(201).send(assignment)
  })

  fastify.get('/v1/projects/:id/assignments', {
    config: { access: { roles: ROLES } },
    schema: {
      tags,
      summary: 'List the review\'s assignments',
      description: 'Oldest first, ended (disqualified) assignments included. Anyone who can see the project.',
      params: ProjectParams,
      querystring: ListQuery,
      response: { 200: AssignmentPage, ...problemResponses(404) }
    }
  }, async (request) => listAssignments(fastify.db, request.caller, request.params.id, request.query))

  fastify.post('/v1/projects/:id/conflicts', {
    config: { access: { roles: ['council_member'] } },
    schema: {
      tags,
      summary: 'Declare disqualification (inhabilitet)',
      description: 'The calling council member declares disqualification on a project of their council (forvaltningsloven ' +
        '§3), assigned to it or not. The declaration is `pending` until the secretariat decides it (§6, `POST …/conflicts/' +
        '{conflictId}/decision`): meanwhile the member keeps their place (it counts toward the two) but cannot assess ' +
        '(409), and no letter can be issued. One declaration per member and project (a second → 409). Allowed while the ' +
        'project is `awaiting_assessment` or `under_assessment`. Emits `itraad.review.conflict_declared` with the ' +
        'ground and the member\'s name, never the statement: the statement is shown to the secretariat and the member only.',
      params: ProjectParams,
      body: ConflictRequest,
      response: { 201: ConflictSchema, ...problemResponses(404, 409, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const conflict = await declareConflict(fastify.uow, request.caller, request.params.id, request.body)
    return reply.code(201).send(conflict)
  })

  fastify.get('/v1/projects/:id/conflicts', {
    config: { access: { roles: ['secretariat', 'council_member'] } },
    schema: {
      tags,
      summary: 'List the declarations of disqualification',
      description: 'Oldest first, with their decisions and the members\' statements: every declaration for the secretariat of ' +
        'the project\'s council, their own for a council member (an empty list when they have declared none). A project has ' +
        'few, so they come in one list without paging.',
      params: ProjectParams,
      response: { 200: ConflictList, ...problemResponses(404) }
    }
  }, async (request) => listConflicts(fastify.db, request.caller, request.params.id))

  fastify.post('/v1/projects/:id/conflicts/:conflictId/decision', {
    config: { access: { roles: ['secretariat'] } },
    schema: {
      tags,
      summary: 'Decide a declaration of disqualification',
      description: 'The secretariat of the project\'s council decides a pending declaration (forvaltningsloven §6), once (a ' +
        'second decision → 409 `DUPLICATE`). `disqualified: true` ends the member\'s assignment (`endedReason: ' +
        'disqualified`): the place is free for a replacement, an assessment the member gave no longer counts toward the ' +
        'letter, and the member can never assess the project. `disqualified: false` restores the member as before the ' +
        'declaration. Allowed while the project is `awaiting_assessment` or `under_assessment` (409 otherwise). Emits ' +
        '`itraad.review.conflict_decided` with the decision and the member\'s name, neither the statement nor the reason.',
      params: ConflictParams,
      body: ConflictDecisionRequest,
      response: { 200: ConflictSchema, ...problemResponses(404, 409, ...BODY_STATUSES) }
    }
  }, async (request) => decideConflict(fastify.uow, request.caller, request.params.id, request.params.conflictId, request.body))

  fastify.post('/v1/projects/:id/assessments', {
    config: { access: { roles: ['council_member'] } },
    schema: {
      tags,
      summary: 'Submit the calling member\'s risk assessment',
      description: 'The project must be `under_assessment` and the caller an active (assigned, not ' +
        'disqualified) member of its review. The role may assess, so a member who is not assigned, whose declaration of ' +
        'disqualification awaits the secretariat\'s decision or who has been disqualified gets 409 `STATE_CONFLICT` (the ' +
        'review\'s state forbids it), not 403. ' +
        'One assessment per member and project (a second → 409 `DUPLICATE`). Emits `itraad.assessment.submitted`.',
      params: ProjectParams,
      body: AssessmentRequest,
      response: { 201: AssessmentSchema, ...problemResponses(404, 409, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const assessment = await submitAssessment(fastify.uow, request.caller, request.params.id, request.body)
    return reply.code(201).send(assessment)
  })

  fastify.get('/v1/projects/:id/assessments', {
    config: { access: { roles: ['council_member', 'secretariat', 'admin', 'submitter'] } },
    schema: {
      tags,
      summary: 'List the risk assessments',
      description: 'Oldest first. The members assigned to the review, the secretariat of the project\'s council, admins, and ' +
        'the submitters of the organisation that owns the project. A participating region that does not own the ' +
        'project, a council member not assigned to it and integrations see the letter but not the council\'s ' +
        'working papers (403); the project\'s history leaves out the assessment events for them.',
      params: ProjectParams,
      querystring: ListQuery,
      response: { 200: AssessmentPage, ...problemResponses(404) }
    }
  }, async (request) => listAssessments(fastify.db, request.caller, request.params.id, request.query))

  fastify.post('/v1/projects/:id/letter', {
    config: { access: { roles: ['secretariat'] } },
    schema: {
      tags,
      summary: 'Issue the recommendation letter',
      description: 'The council\'s verdict. Needs both active assigned members to have assessed (else 409, ' +
        'saying how many of the two have) and no declaration of disqualification awaiting its decision (else 409); a ' +
        'disqualified member\'s assessment does not count. At most one ' +
        'letter per baseline: a second, also one racing the first, is 409. The project moves to ' +
        '`letter_issued` and shows the letter\'s profile and date. Emits `itraad.letter.issued`.',
      params: ProjectParams,
      body: LetterRequest,
      response: { 201: LetterSchema, ...problemResponses(404, 409, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const letter = await issueLetter(fastify.uow, request.caller, request.params.id, request.body)
    return reply.code(201).header('location', `/v1/projects/${letter.projectId}/letter`).send(letter)
  })

  fastify.get('/v1/projects/:id/letter', {
    config: { access: { roles: ROLES } },
    schema: {
      tags,
      summary: 'The recommendation letter, as JSON or as a PDF',
      description: 'Anyone who can see the project. 404 when no letter has been issued. By `Accept`: JSON by default ' +
        '(no `Accept`, `*/*`, `application/json`); `application/pdf` preferred gives the letter as an A4 PDF in Danish ' +
        '(the council, reference, the letter\'s date, project and owner, the statement, the risk profile with its meaning, ' +
        'the recommendations and whether an external review is recommended; fonts embedded, so the text copies and ' +
        'searches with æ, ø and å), `Content-Disposition: inline; filename=anbefalingsbrev-<reference>.pdf`. ' +
        'An `Accept` that allows neither (e.g. only `text/html`) is 406.',
      params: ProjectParams,
      response: {
        200: {
          description: 'The letter',
          content: {
            'application/json': { schema: LetterSchema },
            'application/pdf': { schema: PdfSchema }
          }
        },
        ...problemResponses(404, 406)
      }
    }
  }, async (request, reply) => {
    const mediaType = negotiateMediaType(request.headers.accept, ['application/json', 'application/pdf'])
    reply.header('vary', 'Accept')
    if (mediaType === 'application/json') return getLetter(fastify.db, request.caller, request.params.id)
    const { filename, pdf } = await getLetterPdf(fastify.db, request.caller, request.params.id)
    return sendFile(reply, { mediaType, disposition: 'inline', filename, body: pdf })
  })
}

export default reviewRoutes
