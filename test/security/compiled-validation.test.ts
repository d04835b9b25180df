import fc from 'fast-check'
import t from 'tap'
import { z } from 'zod'
import { safeParse } from 'zod/v4/core'
import { BaselineApprovalRequest, GatePreviewRequestSchema, IdempotencyHeadersSchema, ListProjectsQuerySchema, ProjectRevisionSchema, ProjectSubmissionSchema, WithdrawalSchema } from '../../src/schemas/project.ts'
import { AssessmentRequest, AssignmentRequest, BenefitReportRequest, ClosureRequest, ConflictDecisionRequest, FollowUpDecisionRequest, ConflictRequest, JudgementRequest, LetterRequest, StatusReportCorrection, ResponseRequest, StatusReportRequest } from '../../src/schemas/review.ts'
import { MemberChangeSchema, MemberCreateSchema, OrganisationChangeSchema, OrganisationCreateSchema, PolicyCreateSchema } from '../../src/schemas/council.ts'
import { AnnualReportQuery } from '../../src/schemas/reports.ts'
import { WebhookChangeSchema, WebhookCreateSchema } from '../../src/schemas/webhook.ts'
import { hostileBody } from './helpers.ts'
import { TARGETS } from './hostile-bodies.ts'

// Requests are validated by zod's compiled parser (src/validator.ts). It must decide exactly as
// the runtime parser does: the same bodies pass with the same value (trimmed strings, defaults),
// and the same bodies fail with the same problems, path and message. Every body schema of the API
// is attacked with the hostile bodies of hostile-bodies.ts, seeded with its valid body.

const BODY_SCHEMAS: Record<string, z.ZodType> = {
  'POST /v1/projects': ProjectSubmissionSchema,
  'POST /v1/gate/preview': GatePreviewRequestSchema,
  'PATCH /v1/projects/{id}': ProjectRevisionSchema,
  'POST /v1/projects/{id}/withdraw': WithdrawalSchema,
  'POST /v1/projects/{id}/assignments': AssignmentRequest,
  'POST /v1/projects/{id}/conflicts': ConflictRequest,
  'POST /v1/projects/{id}/baseline-approvals': BaselineApprovalRequest,
  'PUT /v1/projects/{id}/status-reports/{period}': StatusReportCorrection,
  'POST /v1/projects/{id}/status-reports/preview': StatusReportCorrection,
  'POST /v1/projects/{id}/follow-up-decisions': FollowUpDecisionRequest,
  'POST /v1/projects/{id}/closure': ClosureRequest,
  'POST /v1/projects/{id}/benefit-reports': BenefitReportRequest,
  'POST /v1/projects/{id}/status-reports/{period}/judgement': JudgementRequest,
  'POST /v1/projects/{id}/conflicts/{conflictId}/decision': ConflictDecisionRequest,
  'POST /v1/projects/{id}/assessments': AssessmentRequest,
  'POST /v1/projects/{id}/letter': LetterRequest,
  'POST /v1/projects/{id}/response': ResponseRequest,
  'POST /v1/projects/{id}/status-reports': StatusReportRequest,
  'POST /v1/webhooks': WebhookCreateSchema,
  'PATCH /v1/webhooks/{id}': WebhookChangeSchema,
  'POST /v1/councils/{code}/policies': PolicyCreateSchema,
  'POST /v1/organisations': OrganisationCreateSchema,
  'PATCH /v1/organisations/{code}': OrganisationChangeSchema,
  'POST /v1/members': MemberCreateSchema,
  'PATCH /v1/members/{sub}': MemberChangeSchema
}

function outcome (schema: z.ZodType, input: unknown) {
  const result = safeParse(schema, structuredClone(input))
  return result.success
    ? { success: true, data: result.data }
    : { success: false, issues: result.error.issues.map((issue) => ({ path: issue.path, message: issue.message, code: issue.code })) }
}

t.test('every body the hostile-bodies tests attack has its schema here', async (t) => {
  t.same(Object.keys(BODY_SCHEMAS).sort(), TARGETS.map((target) => `${target.method} ${target.path}`).sort())
})

for (const target of TARGETS) {
  const key = `${target.method} ${target.path}`
  t.test(`${key}: the compiled parser decides as the runtime parser`, async (t) => {
    const schema = BODY_SCHEMAS[key]!
    const compiled = z.compile(schema, { strict: true })
    t.not(compiled, schema, 'zod compiles the schema (strict: it would throw if it could not)')
    t.same(outcome(compiled, target.valid), outcome(schema, target.valid), 'the valid body')
    t.equal(outcome(compiled, target.valid).success, true, 'the valid body passes')
    fc.assert(fc.property(hostileBody(target.valid), (body) => {
      t.same(outcome(compiled, body), outcome(schema, body))
    }), { numRuns: 200 })
  })
}

t.test('headers and query strings: the compiled parser decides as the runtime parser', async (t) => {
  const cases: Array<[z.ZodType, unknown[]]> = [
    [IdempotencyHeadersSchema, [{ host: 'x' }, { 'idempotency-key': 'abc' }, { 'idempotency-key': '' }, { 'idempotency-key': 'æ' }, { 'idempotency-key': 'k'.repeat(256) }]],
    [ListProjectsQuerySchema, [{}, { limit: '5' }, { limit: '0' }, { limit: 'x' }, { status: 'withdrawn' }, { status: 'nope' }, { region: '1084', limit: '200' }, { extra: '1' }, { cursor: '' }]],
    [AnnualReportQuery, [{}, { year: '2025' }, { year: '2025', council: 'state' }, { year: '2018' }, { year: '10000' }, { year: '2025.5' }, { year: 'x' }, { year: '' }, { year: ' 2025 ' }, { year: '2025', council: 'kommuner' }, { year: '2025', extra: '1' }]]
  ]
  for (const [schema, inputs] of cases) {
    const compiled = z.compile(schema, { strict: true })
    for (const input of inputs) t.same(outcome(compiled, input), outcome(schema, input), JSON.stringify(input))
  }
})
