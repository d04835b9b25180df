import type { FastifyInstance } from 'fastify'
import fc from 'fast-check'
import type { Test } from 'tap'
import { build } from '../helpers/build.ts'
import { authAs, failOnServerErrors, gatedProject, submitProject } from '../helpers/fixtures.ts'
import { ANNE, assessedByTwo, register, assessmentBody, assign, BENT, CARL, declare, expectStatus, letterBody, memberHeaders, reportStatus, secretariat, statusReportBody, submitter, withLetter } from '../review/helpers.ts'
import { contractViolation, documentedStatuses, everyTaint, holds, hostileBody, rawPayload } from './helpers.ts'

// Every request body of the API, attacked with arbitrary JSON, mutated valid bodies and raw
// non-JSON: the answer is always a status the OpenAPI document lists for that operation, every
// 4xx is problem+json, and nothing is ever a 5xx (DESIGN.md 10: bad input never reaches the
// database as an error). One app per operation; the project is put in the state where the
// operation can succeed, so that valid-looking bodies get past the schema into the use case.

const HOSTILE_RUNS = 120
const RAW_RUNS = 40

export interface Target {
  /** Which hostile-bodies-<group>.test.ts attacks it (the files run in parallel). */
  group: 'projects' | 'assessment' | 'letter' | 'councils'
  method: 'POST' | 'PATCH' | 'PUT'
  /** The OpenAPI path template. */
  path: string
  /** A valid body, the seed of the mutations. */
  valid: Record<string, unknown>
  /** Sets the scene; returns the URL and a function giving the headers of the next request. */
  setUp: (app: FastifyInstance) => Promise<{ url: string, headers: (fuzz?: boolean) => Record<string, string>, answered?: (status: number, body: any) => void }>
}

export const TARGETS: Target[] = [
  {
    group: 'projects',
    method: 'POST',
    path: '/v1/projects',
    valid: gatedProject(),
    async setUp () {
      const headers = await authAs('submitter', '1084')
      return { url: '/v1/projects', headers: () => headers }
    }
  },
  {
    group: 'projects',
    method: 'PATCH',
    path: '/v1/projects/{id}',
    valid: { title: 'Ny titel', budgetLines: [{ category: 'supplier', year: 2028, amountDkk: 12_000_000 }], plannedEnd: '2030-01-01' },
    async setUp (app) {
      const project = await submitProject(app)
      const headers = await submitter()
      let version = project.version
      return {
        url: `/v1/projects/${project.id}`,
        // Mostly the current ETag, so that bodies reach the use case; sometimes a stale or odd one.
        headers: (fuzz = true) => ({ ...headers, 'if-match': fuzz ? [`"${version}"`, `"${version}"`, `"${version}"`, '"0"', 'W/"1"', '*'][Math.floor(Math.random() * 6)]! : `"${version}"` }),
        answered (status, body) { if (status === 200) version = body.version }
      }
    }
  },
  {
    group: 'projects',
    method: 'POST',
    path: '/v1/gate/preview',
    valid: { participatingRegions: gatedProject().participatingRegions, budgetLines: gatedProject().budgetLines, reviewRequested: false },
    async setUp () {
      const headers = await authAs('submitter', '1084')
      return { url: '/v1/gate/preview', headers: () => headers }
    }
  },
  {
    group: 'projects',
    method: 'POST',
    path: '/v1/projects/{id}/withdraw',
    valid: { reason: 'Projektet er lagt sammen med et andet.' },
    async setUp (app) {
      const project = await submitProject(app)
      const headers = await submitter()
      return { url: `/v1/projects/${project.id}/withdraw`, headers: () => headers }
    }
  },
  {
    group: 'assessment',
    method: 'POST',
    path: '/v1/projects/{id}/assignments',
    valid: { memberSub: 'anne', memberOrg: '1081' },
    async setUp (app) {
      const project = await submitProject(app)
      await register(app, ANNE)
      const headers = await secretariat()
      return { url: `/v1/projects/${project.id}/assignments`, headers: () => headers }
    }
  },
  {
    group: 'assessment',
    method: 'POST',
    path: '/v1/projects/{id}/conflicts',
    valid: { ground: 'forvaltningsloven § 3, stk. 1, nr. 5', statement: 'Jeg har rådgivet leverandøren.' },
    async setUp (app) {
      const project = await submitProject(app)
      await register(app, CARL)
      const headers = await memberHeaders(CARL)
      return { url: `/v1/projects/${project.id}/conflicts`, headers: () => headers }
    }
  },
  {
    group: 'assessment',
    method: 'POST',
    path: '/v1/projects/{id}/conflicts/{conflictId}/decision',
    valid: { disqualified: true, reason: 'Rådgivningen ligger under et år tilbage.' },
    async setUp (app) {
      const project = await submitProject(app)
      await register(app, CARL)
      const declared = expectStatus(await declare(app, project.id, CARL), 201).json()
      const headers = await secretariat()
      return { url: `/v1/projects/${project.id}/conflicts/${declared.id}/decision`, headers: () => headers }
    }
  },
  {
    group: 'assessment',
    method: 'POST',
    path: '/v1/projects/{id}/assessments',
    valid: assessmentBody(),
    async setUp (app) {
      const project = await submitProject(app)
      expectStatus(await assign(app, project.id, ANNE), 201)
      expectStatus(await assign(app, project.id, BENT), 201)
      const headers = await memberHeaders(ANNE)
      return { url: `/v1/projects/${project.id}/assessments`, headers: () => headers }
    }
  },
  {
    group: 'letter',
    method: 'POST',
    path: '/v1/projects/{id}/letter',
    valid: letterBody(),
    async setUp (app) {
      const project = await submitProject(app)
      await assessedByTwo(app, project.id)
      const headers = await secretariat()
      return { url: `/v1/projects/${project.id}/letter`, headers: () => headers }
    }
  },
  {
    group: 'letter',
    method: 'POST',
    path: '/v1/projects/{id}/response',
    valid: { text: 'Vi følger anbefalingerne.' },
    async setUp (app) {
      const project = await submitProject(app)
      await withLetter(app, project.id)
      const headers = await submitter()
      return { url: `/v1/projects/${project.id}/response`, headers: () => headers }
    }
  },
  {
    group: 'letter',
    method: 'POST',
    path: '/v1/projects/{id}/status-reports',
    valid: statusReportBody(),
    async setUp (app) {
      const project = await submitProject(app)
      await withLetter(app, project.id)
      const headers = await submitter()
      return { url: `/v1/projects/${project.id}/status-reports`, headers: () => headers }
    }
  },
  {
    group: 'letter',
    method: 'PUT',
    path: '/v1/projects/{id}/status-reports/{period}',
    valid: (({ period: _period, ...content }) => content)(statusReportBody()),
    async setUp (app) {
      const project = await submitProject(app)
      await withLetter(app, project.id)
      const { period } = expectStatus(await reportStatus(app, project.id), 201).json()
      const headers = await submitter()
      let version = 1
      return {
        url: `/v1/projects/${project.id}/status-reports/${period}`,
        headers: (fuzz = true) => ({ ...headers, 'if-match': fuzz && Math.random() < 0.2 ? '"0"' : `"${version}"` }),
        answered (status, body) { if (status === 200) version = body.version }
      }
    }
  },
  {
    group: 'letter',
    method: 'POST',
    path: '/v1/projects/{id}/status-reports/preview',
    valid: (({ period: _period, ...content }) => content)(statusReportBody()),
    async setUp (app) {
      const project = await submitProject(app)
      await withLetter(app, project.id)
      const headers = await submitter()
      return { url: `/v1/projects/${project.id}/status-reports/preview`, headers: () => headers }
    }
  },
  {
    group: 'letter',
    method: 'POST',
    path: '/v1/projects/{id}/status-reports/{period}/judgement',
    valid: { overall: 'yellow', comment: 'Rådet følger op på tidsplanen.' },
    async setUp (app) {
      const project = await submitProject(app)
      await withLetter(app, project.id)
      const { period } = expectStatus(await reportStatus(app, project.id), 201).json()
      const headers = await secretariat()
      return { url: `/v1/projects/${project.id}/status-reports/${period}/judgement`, headers: () => headers }
    }
  },
  {
    group: 'letter',
    method: 'POST',
    path: '/v1/projects/{id}/follow-up-decisions',
    valid: { track: 'back_to_plan', note: 'Projektet vender tilbage til planen.' },
    async setUp (app) {
      const project = await submitProject(app)
      await withLetter(app, project.id)
      const { period } = expectStatus(await reportStatus(app, project.id), 201).json()
      const headers = await secretariat()
      expectStatus(await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/status-reports/${period}/judgement`, headers, payload: { overall: 'red', comment: 'Rød.' } }), 200)
      return { url: `/v1/projects/${project.id}/follow-up-decisions`, headers: () => headers }
    }
  },
  {
    group: 'letter',
    method: 'POST',
    path: '/v1/projects/{id}/closure',
    valid: { completedOn: '2026-01-15', finalCostDkk: 10_400_000, note: 'Platformen er i drift.' },
    async setUp (app) {
      const project = await submitProject(app)
      await withLetter(app, project.id)
      const headers = await submitter()
      return { url: `/v1/projects/${project.id}/closure`, headers: () => headers }
    }
  },
  {
    group: 'letter',
    method: 'POST',
    path: '/v1/projects/{id}/benefit-reports',
    valid: { reportedOn: '2026-06-30', realisedFinancialBenefitsDkk: 1_500_000, note: 'Første halvår i drift.' },
    async setUp (app) {
      const project = await submitProject(app)
      await withLetter(app, project.id)
      const headers = await submitter()
      expectStatus(await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/closure`, headers, payload: { completedOn: '2026-01-15', finalCostDkk: 1, note: 'Afsluttet.' } }), 200)
      return { url: `/v1/projects/${project.id}/benefit-reports`, headers: () => headers }
    }
  },
  {
    group: 'letter',
    method: 'POST',
    path: '/v1/projects/{id}/baseline-approvals',
    valid: { version: 2 },
    async setUp (app) {
      const project = await submitProject(app)
      await withLetter(app, project.id)
      expectStatus(await app.inject({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers: { ...(await submitter()), 'if-match': '"1"' }, payload: { title: 'Ny titel' } }), 200)
      const headers = await secretariat()
      return { url: `/v1/projects/${project.id}/baseline-approvals`, headers: () => headers }
    }
  },
  {
    group: 'projects',
    method: 'POST',
    path: '/v1/webhooks',
    valid: { url: 'https://hooks.example.com/council-gate', eventTypes: ['itraad.project.submitted', 'itraad.letter.issued'] },
    async setUp () {
      const headers = await authAs('admin', 'ITR')
      return { url: '/v1/webhooks', headers: () => headers }
    }
  },
  {
    group: 'projects',
    method: 'PATCH',
    path: '/v1/webhooks/{id}',
    valid: { url: 'https://hooks.example.com/council-gate/v2', eventTypes: ['itraad.letter.issued'], active: true },
    async setUp (app) {
      const headers = await authAs('integration', '1084')
      const created = await app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: { url: 'https://hooks.example.com/council-gate', eventTypes: ['*'] } })
      if (created.statusCode !== 201) throw new Error(`webhook: ${created.statusCode} ${created.body}`)
      let version = 1
      return {
        url: `/v1/webhooks/${created.json().id}`,
        headers: (fuzz = true) => ({ ...headers, 'if-match': fuzz ? [`"${version}"`, `"${version}"`, '"0"', '*'][Math.floor(Math.random() * 4)]! : `"${version}"` }),
        answered (status) { if (status === 200) version++ }
      }
    }
  },
  {
    group: 'councils',
    method: 'POST',
    path: '/v1/councils/{code}/policies',
    valid: {
      id: 'state-2099',
      effectiveFrom: '2099-01-01',
      rule: { minEligibleCostDkk: 20_000_000, requireAllRegions: false },
      reviewWorkingDays: { project: 10, programme: 15 },
      followUp: { costPct: { yellow: 5, red: 15 }, financialBenefitsPct: { yellow: 5, red: 15 }, scheduleDays: { yellow: 30, red: 90 } }
    },
    async setUp () {
      const headers = await authAs('admin', 'ITR')
      return { url: '/v1/councils/state/policies', headers: () => headers }
    }
  },
  {
    group: 'councils',
    method: 'POST',
    path: '/v1/organisations',
    valid: { code: '29190909', name: 'Styrelsen for Dataforsyning', kind: 'state_authority', council: 'state' },
    async setUp () {
      const headers = await authAs('admin', 'ITR')
      return { url: '/v1/organisations', headers: () => headers }
    }
  },
  {
    group: 'councils',
    method: 'PATCH',
    path: '/v1/organisations/{code}',
    valid: { name: 'Region Sjælland', active: true },
    async setUp () {
      const headers = await authAs('admin', 'ITR')
      let version = 1
      return {
        url: '/v1/organisations/1085',
        headers: (fuzz = true) => ({ ...headers, 'if-match': fuzz ? [`"${version}"`, `"${version}"`, '"0"', '*'][Math.floor(Math.random() * 4)]! : `"${version}"` }),
        answered (status) { if (status === 200) version++ }
      }
    }
  },
  {
    group: 'councils',
    method: 'POST',
    path: '/v1/members',
    valid: { sub: 'anne', name: 'Anne Andersen', email: 'anne@rn.dk', org: '1081', council: 'regions' },
    async setUp () {
      const headers = await secretariat()
      return { url: '/v1/members', headers: () => headers }
    }
  },
  {
    group: 'councils',
    method: 'PATCH',
    path: '/v1/members/{sub}',
    valid: { name: 'Anne Andersen', email: 'anne@rn.dk', active: true },
    async setUp (app) {
      await register(app, ANNE)
      const headers = await secretariat()
      let version = 1
      return {
        url: '/v1/members/anne',
        headers: (fuzz = true) => ({ ...headers, 'if-match': fuzz ? [`"${version}"`, `"${version}"`, '"0"', '*'][Math.floor(Math.random() * 4)]! : `"${version}"` }),
        answered (status) { if (status === 200) version++ }
      }
    }
  }
]

/** Attacks one operation's body (one app per operation); see the header comment. */
export async function attack (t: Test, target: Target): Promise<void> {
  // Workers off: nothing is delivered to the URLs the webhook bodies name. Private targets are refused, as in production.
  const { app } = await build(t, { env: { WORKERS: 'off', WEBHOOK_ALLOW_PRIVATE: 'false' }, routes: failOnServerErrors(t) })
  const documented = documentedStatuses(app, target.method, target.path)
  const scene = await target.setUp(app)
  const statuses = new Map<number, number>()

  async function send (payload: string, contentType = 'application/json') {
    const res = await app.inject({ method: target.method, url: scene.url, headers: { ...scene.headers(), 'content-type': contentType }, payload })
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
    scene.answered?.(res.statusCode, res.statusCode < 300 ? res.json() : undefined)
    const violation = contractViolation(res, documented)
    if (violation !== null) throw new Error(violation)
  }

  // 1. The valid body itself is accepted (the scene is right, so the attacks below reach the use case).
  const first = await app.inject({ method: target.method, url: scene.url, headers: scene.headers(false), payload: target.valid })
  t.ok(first.statusCode < 300, `the valid body succeeds: ${first.statusCode} ${first.statusCode < 300 ? '' : first.body}`)
  scene.answered?.(first.statusCode, first.json())

  // 2. Arbitrary JSON, objects with hostile keys and values, and the valid body mutated.
  await holds(t, 'hostile JSON bodies', fc.asyncProperty(hostileBody(target.valid), async (body) => {
    await send(JSON.stringify(body))
  }), HOSTILE_RUNS)

  // 3. Every string of the valid body with each of NUL, lone surrogates, control characters and
  //    quotes slipped into it (exhaustive: the random mutations above find these only by luck).
  const taints = everyTaint(target.valid)
  const tainted: string[] = []
  for (const { path, insert, body } of taints) {
    await send(JSON.stringify(body)).catch((error: Error) => { tainted.push(`${path} with ${JSON.stringify(insert)}: ${error.message}`) })
  }
  t.same(tainted, [], `${taints.length} tainted strings answered within the contract`)

  // 4. Payloads that are not JSON, or JSON a parser must refuse.
  await holds(t, 'raw payloads', fc.asyncProperty(rawPayload, async (payload) => { await send(payload) }), RAW_RUNS)

  // 5. Other media types.
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json-patch+json']) {
    await send(JSON.stringify(target.valid), type)
  }
  t.equal(statuses.get(415), 5, 'every other media type is 415')
  t.comment(`${target.method} ${target.path}: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`)
}
