import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { resolveProjectReference } from '../modules/projects/project-key.ts'
import { ROLES } from '../auth/caller.ts'
import { assignMember } from '../modules/review/assign-member.ts'
import { declareConflict } from '../modules/review/declare-conflict.ts'
import { getLetter } from '../modules/review/get-letter.ts'
import { issueLetter } from '../modules/review/issue-letter.ts'
import { listAssessments } from '../modules/review/list-assessments.ts'
import { listAssignments } from '../modules/review/list-assignments.ts'
import { submitAssessment } from '../modules/review/submit-assessment.ts'
import { BODY_STATUSES, problemResponses, ProjectParams } from '../schemas/common.ts'
import {
  AssessmentPage,
  AssessmentRequest,
  AssessmentSchema,
  AssignmentPage,
  AssignmentRequest,
  AssignmentSchema,
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
      description: 'The calling council member declares disqualification on the project (forvaltningsloven ' +
        '§3 and §6), assigned to it or not. An active assignment of the member ends (`endedReason: ' +
        'disqualified`); the member can no longer assess the project, does not count toward the two, and an ' +
        'assessment already given no longer counts toward the letter. The secretariat may assign a ' +
        'replacement. One declaration per member and project (a second → 409). Allowed while the project ' +
        'is `awaiting_assessment` or `under_assessment`. Emits `itraad.review.conflict_declared` ' +
        '(with the ground, not the statement).',
      params: ProjectParams,
      body: ConflictRequest,
      response: { 201: ConflictSchema, ...problemResponses(404, 409, ...BODY_STATUSES) }
    }
  }, async (request, reply) => {
    const conflict = await declareConflict(fastify.uow, request.caller, request.params.id, request.body)
    return reply.code(201).send(conflict)
  })

  fastify.post('/v1/projects/:id/assessments', {
    config: { access: { roles: ['council_member'] } },
    schema: {
      tags,
      summary: 'Submit the calling member\'s risk assessment',
      description: 'The project must be `under_assessment` and the caller an active (assigned, not ' +
        'disqualified) member of its review. The role may assess, so a member who is not assigned or has ' +
        'declared disqualification gets 409 `STATE_CONFLICT` (the review\'s state forbids it), not 403. ' +
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
      description: 'Oldest first. Council members, the secretariat, admins, and the submitters of the ' +
        'organisation that owns the project. A participating region that does not own the project sees ' +
        'the letter but not the council\'s working papers (403); integrations get 403.',
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
        'saying how many of the two have); a disqualified member\'s assessment does not count. At most one ' +
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
      summary: 'The recommendation letter',
      description: 'Anyone who can see the project. 404 when no letter has been issued.',
      params: ProjectParams,
      response: { 200: LetterSchema, ...problemResponses(404) }
    }
  }, async (request) => getLetter(fastify.db, request.caller, request.params.id))
}

export default reviewRoutes
