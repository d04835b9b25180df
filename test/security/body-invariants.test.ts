import fc from 'fast-check'
import t from 'tap'
import { build } from '../helpers/build.ts'
import { authAs, failOnServerErrors } from '../helpers/fixtures.ts'
import { budgetLines, contact, holds, hostileValue, participatingRegions, plannedPeriod, referenceGate, validSubmission, validText } from './helpers.ts'

// 230 generated submissions and revisions through the whole app: on a busy machine this file needs
// far more than the suite's per-file default (.taprc). Counted from here.
t.setTimeout(600_000)

// Valid bodies, generated from arbitraries that follow the schema, checked against invariants and
// against a reference of the gate written independently of src/domain/gate.ts.

const SUBMIT_RUNS = 150
const REVISE_RUNS = 80

interface ProjectBody {
  id: string
  reference: string
  ownerOrg: string
  status: string
  version: number
  createdAt: string
  updatedAt: string
  eligibleCostDkk: number
  totalCostDkk: number
  reviewRequested: boolean
  participatingRegions: string[]
  budgetLines: Array<{ category: string, amountDkk: number }>
  gating: { reviewRequired: boolean }
  assessmentDueOn: string | null
}

/** What the gate and the lifecycle say a fresh or revised (not yet reviewed) project must look like. */
function gateViolation (project: ProjectBody, expected: ReturnType<typeof referenceGate>): string | null {
  if (project.eligibleCostDkk > project.totalCostDkk) return `eligible ${project.eligibleCostDkk} > total ${project.totalCostDkk}`
  if (project.eligibleCostDkk !== expected.eligible) return `eligible ${project.eligibleCostDkk}, reference ${expected.eligible}`
  if (project.totalCostDkk !== expected.total) return `total ${project.totalCostDkk}, reference ${expected.total}`
  if (project.gating.reviewRequired !== expected.reviewRequired) return `reviewRequired ${project.gating.reviewRequired}, reference ${expected.reviewRequired}`
  const status = expected.reviewRequired ? 'awaiting_assessment' : 'not_required'
  if (project.status !== status) return `status ${project.status}, expected ${status}`
  if ((project.assessmentDueOn === null) === expected.reviewRequired) return `assessmentDueOn ${project.assessmentDueOn} with reviewRequired ${expected.reviewRequired}`
  return null
}

t.test('POST /v1/projects with valid bodies: 201, eligible ≤ total, and the gate equals the reference', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const headers = await authAs('submitter', '1084')
  let required = 0
  await holds(t, 'gate invariants', fc.asyncProperty(validSubmission, async (body) => {
    const res = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: body })
    if (res.statusCode !== 201) throw new Error(`valid body answered ${res.statusCode}: ${res.body}`)
    const project = res.json() as ProjectBody
    const violation = gateViolation(project, referenceGate(body))
    if (violation !== null) throw new Error(violation)
    if (project.ownerOrg !== '1084' || project.version !== 1) throw new Error(`owner ${project.ownerOrg}, version ${project.version}`)
    if (project.gating.reviewRequired) required++
  }), SUBMIT_RUNS)
  // The generators must exercise both sides of the gate, or the property proves little.
  t.ok(required > 10 && required < SUBMIT_RUNS - 10, `both outcomes were generated (${required} of ${SUBMIT_RUNS} need review)`)
})

// A revision: any non-empty subset of the revisable fields, valid values.
const revision = fc.record({
  title: validText(200),
  description: validText(10_000),
  participatingRegions,
  phase: fc.constantFrom('idea', 'analysis', 'purchasing', 'delivery', 'realisation'),
  budgetLines,
  period: plannedPeriod,
  contact
}, { requiredKeys: [] }).filter((r) => Object.keys(r).length > 0)
  .map(({ period, ...rest }) => period === undefined ? rest : { ...rest, plannedStart: period[0]!, plannedEnd: period[1]! })

// Fields the service owns: a client may never set them.
const SERVER_FIELDS = ['id', 'reference', 'ownerOrg', 'status', 'version', 'createdAt', 'updatedAt', 'eligibleCostDkk', 'totalCostDkk', 'gating', 'assessmentDueOn', 'letter', 'reviewRequested']

t.test('PATCH /v1/projects/{id} with valid revisions: server-owned fields never change, the gate follows the reference', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  const headers = await authAs('submitter', '1084')
  await holds(t, 'revision invariants', fc.asyncProperty(validSubmission, revision, fc.constantFrom(...SERVER_FIELDS), hostileValue, async (submission, change, field, value) => {
    // 1. A fresh project.
    const created = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: submission })
    if (created.statusCode !== 201) throw new Error(`submission answered ${created.statusCode}: ${created.body}`)
    const before = created.json() as ProjectBody

    // 2. A revision that also tries to set a server-owned field is refused whole, and changes nothing.
    const sneaky = await app.inject({ method: 'PATCH', url: `/v1/projects/${before.id}`, headers: { ...headers, 'if-match': '"1"' }, payload: { ...change, [field]: value } })
    if (sneaky.statusCode !== 400) throw new Error(`setting ${field} answered ${sneaky.statusCode}: ${sneaky.body}`)
    const unchanged = (await app.inject({ method: 'GET', url: `/v1/projects/${before.id}`, headers })).json() as ProjectBody
    if (JSON.stringify(unchanged) !== JSON.stringify(before)) throw new Error(`a refused PATCH changed the project: ${JSON.stringify(unchanged)}`)

    // 3. A plain revision: the same identity, version + 1, and the gate of the merged content.
    const res = await app.inject({ method: 'PATCH', url: `/v1/projects/${before.id}`, headers: { ...headers, 'if-match': '"1"' }, payload: change })
    const merged = { ...submission, ...change }
    if (merged.plannedEnd < merged.plannedStart) {
      if (res.statusCode !== 400) throw new Error(`plannedEnd before plannedStart answered ${res.statusCode}`)
      return
    }
    if (res.statusCode !== 200) throw new Error(`valid revision answered ${res.statusCode}: ${res.body}`)
    const after = res.json() as ProjectBody
    for (const key of ['id', 'reference', 'ownerOrg', 'createdAt', 'reviewRequested'] as const) {
      if (after[key] !== before[key]) throw new Error(`${key} changed from ${before[key]} to ${after[key]}`)
    }
    if (after.version !== 2) throw new Error(`version ${after.version} after one revision`)
    if (res.headers.etag !== '"2"') throw new Error(`ETag ${res.headers.etag}`)
    const violation = gateViolation(after, referenceGate(merged))
    if (violation !== null) throw new Error(violation)
  }), REVISE_RUNS)
})
