import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { HTTPMethods } from 'fastify'
import t from 'tap'
import { ROLES, type Role } from '../../src/auth/caller.ts'
import type { Access } from '../../src/plugins/auth.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { failOnServerErrors, gatedProject, submitProject } from '../helpers/fixtures.ts'
import { accessCollector, registeredRoutes, type RegisteredRoute } from '../helpers/routes.ts'
import { assessmentBody, letterBody, recentPeriods, register, statusReportBody } from '../review/helpers.ts'

// The authorisation matrix, generated from the routes the app actually registers: every route ×
// every role × the owning and another organisation. The EXPECTED policy is written down here; a
// route whose declared roles differ from it, or a new route without an entry, fails the test.

const ANY = ROLES
type Policy = 'public' | readonly Role[]

/** `METHOD url` → who may call it. HEAD routes mirror GET and are not listed. */
const POLICY: Record<string, Policy> = {
  // operations and documentation
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': ['admin'],
  'GET /openapi.json': 'public',
  'GET /problems/:type': 'public',
  'GET /': 'public',
  // reference data, councils, policies and organisations
  'GET /v1/regions': ANY,
  'GET /v1/councils': ANY,
  'GET /v1/councils/:code/policies': ANY,
  'POST /v1/councils/:code/policies': ['admin'],
  'GET /v1/organisations': ANY,
  'GET /v1/organisations/:code': ANY,
  'POST /v1/organisations': ['admin'],
  'PATCH /v1/organisations/:code': ['admin'],
  'GET /v1/members': ['admin', 'secretariat', 'council_member'],
  'GET /v1/members/:sub': ['admin', 'secretariat', 'council_member'],
  'POST /v1/members': ['admin', 'secretariat'],
  'PATCH /v1/members/:sub': ['admin', 'secretariat'],
  // projects
  'POST /v1/projects': ['submitter'],
  'GET /v1/projects': ANY,
  'GET /v1/projects/:id': ANY,
  'PATCH /v1/projects/:id': ['submitter'],
  'POST /v1/projects/:id/withdraw': ['submitter'],
  'POST /v1/projects/:id/baseline-approvals': ['secretariat'],
  'GET /v1/projects/:id/history': ANY,
  'POST /v1/gate/preview': ['submitter', 'secretariat', 'admin'],
  // review
  'POST /v1/projects/:id/assignments': ['secretariat'],
  'GET /v1/projects/:id/assignments': ANY,
  'POST /v1/projects/:id/conflicts': ['council_member'],
  'GET /v1/projects/:id/conflicts': ['secretariat', 'council_member'],
  'POST /v1/projects/:id/conflicts/:conflictId/decision': ['secretariat'],
  'POST /v1/projects/:id/assessments': ['council_member'],
  'GET /v1/projects/:id/assessments': ['council_member', 'secretariat', 'admin', 'submitter'],
  'POST /v1/projects/:id/letter': ['secretariat'],
  'GET /v1/projects/:id/letter': ANY,
  'POST /v1/projects/:id/response': ['submitter'],
  'GET /v1/projects/:id/response': ['submitter', 'council_member', 'secretariat', 'admin'],
  'POST /v1/projects/:id/status-reports': ['submitter'],
  'GET /v1/projects/:id/status-reports/:period': ['submitter', 'council_member', 'secretariat', 'admin'],
  'POST /v1/projects/:id/status-reports/preview': ['submitter'],
  'POST /v1/projects/:id/follow-up-decisions': ['secretariat'],
  'POST /v1/projects/:id/closure': ['submitter'],
  'POST /v1/projects/:id/benefit-reports': ['submitter'],
  'GET /v1/projects/:id/benefit-reports': ['submitter', 'council_member', 'secretariat', 'admin'],
  'GET /v1/portfolio': ['secretariat', 'admin'],
  'GET /v1/reports/annual': ['secretariat', 'admin'],
  'PUT /v1/projects/:id/status-reports/:period': ['submitter'],
  'POST /v1/projects/:id/status-reports/:period/judgement': ['secretariat'],
  'GET /v1/projects/:id/status-reports': ['submitter', 'council_member', 'secretariat', 'admin'],
  'GET /v1/projects/:id/case-file': ['secretariat', 'submitter'],
  'POST /v1/projects/:id/documents': ['submitter', 'secretariat'],
  'GET /v1/projects/:id/documents': ['submitter', 'council_member', 'secretariat', 'admin'],
  'GET /v1/projects/:id/documents/:docId': ['submitter', 'council_member', 'secretariat', 'admin'],
  // audit feed, webhooks, verification
  'GET /v1/events': ['integration', 'secretariat', 'admin'],
  'GET /v1/events/stream': ['integration', 'secretariat', 'admin'],
  'POST /v1/events/stream-tickets': ['integration', 'secretariat', 'admin'],
  'POST /v1/webhooks': ['integration', 'admin'],
  'GET /v1/webhooks': ['integration', 'admin'],
  'GET /v1/webhooks/:id': ['integration', 'admin'],
  'PATCH /v1/webhooks/:id': ['integration', 'admin'],
  'DELETE /v1/webhooks/:id': ['integration', 'admin'],
  'POST /v1/webhooks/:id/secret': ['integration', 'admin'],
  'GET /v1/webhooks/:id/deliveries': ['integration', 'admin'],
  'POST /v1/webhooks/:id/deliveries/:deliveryId/retry': ['integration', 'admin'],
  'GET /v1/audit/verify': ['admin'],
  'GET /v1/audit/checkpoints': ['admin', 'integration'],
  'GET /v1/audit/keys': ['admin', 'integration'],
  'POST /v1/audit/checkpoints': ['admin'],
  // web pages: their configuration, and (dev-mode auth only) the sign-in that mints dev tokens
  'GET /app/config.json': 'public',
  'POST /app/dev-token': 'public'
}

/** Reads a council member may make only when assigned to the project's review (API.md v1.1, "Who reads what"). */
const ASSIGNED_MEMBERS_ONLY = new Set([
  'GET /v1/projects/:id/assessments',
  'GET /v1/projects/:id/response',
  'GET /v1/projects/:id/status-reports',
  'GET /v1/projects/:id/status-reports/:period',
  'GET /v1/projects/:id/benefit-reports',
  'GET /v1/projects/:id/documents',
  'GET /v1/projects/:id/documents/:docId'
])

/** Only with dev-mode auth (no AUTH_JWKS/AUTH_JWKS_URL). */
const DEV_ONLY = new Set(['POST /app/dev-token'])

/**
 * Static files, public by design: the API reference (@fastify/swagger-ui) and the pages under /app
 * (they hold no data; they call the API with the user's token). The auth plugin declares them
 * public; they are matched by prefix because their number follows the files on disk. GET only.
 */
const PUBLIC_FILES = /^\/(docs|app)(\/|$)/

/** A concrete URL for a route template, and a request body that passes its schema. */
function requestFor (route: RegisteredRoute, ids: { project: string, webhook: string }) {
  const url = route.url
    .replace('/v1/projects/:id', `/v1/projects/${ids.project}`)
    .replace('/v1/webhooks/:id', `/v1/webhooks/${ids.webhook}`)
    .replace(':deliveryId', randomUUID())
    .replace(':conflictId', randomUUID())
    .replace(':docId', randomUUID())
    .replace(':period', recentPeriods(1)[0]!)
    .replace('/v1/councils/:code', '/v1/councils/state')
    .replace('/v1/organisations/:code', '/v1/organisations/1085')
    .replace('/v1/members/:sub', '/v1/members/matrix-member')
    .replace(/^\/v1\/reports\/annual$/, '/v1/reports/annual?year=2025')
    .replace(/\*$/, 'static/no-such-file.js')
  const key = `${route.method} ${route.url}`
  const bodies: Record<string, unknown> = {
    'POST /v1/projects': gatedProject(),
    'POST /v1/gate/preview': { participatingRegions: gatedProject().participatingRegions, budgetLines: gatedProject().budgetLines },
    'PATCH /v1/projects/:id': { title: 'Matrix' },
    'POST /v1/projects/:id/assignments': { memberSub: 'matrix-member', memberOrg: '1083' },
    'POST /v1/projects/:id/conflicts': { ground: 'forvaltningsloven § 3', statement: 'Matrix.' },
    'POST /v1/projects/:id/conflicts/:conflictId/decision': { disqualified: false, reason: 'Matrix.' },
    'POST /v1/projects/:id/baseline-approvals': { version: 1 },
    'PUT /v1/projects/:id/status-reports/:period': (({ period: _period, ...content }) => content)(statusReportBody()),
    'POST /v1/projects/:id/status-reports/preview': (({ period: _period, ...content }) => content)(statusReportBody()),
    'POST /v1/projects/:id/status-reports/:period/judgement': { overall: 'green', comment: 'Matrix.' },
    'POST /v1/projects/:id/follow-up-decisions': { track: 'back_to_plan', note: 'Matrix.' },
    'POST /v1/projects/:id/closure': { completedOn: '2026-01-01', finalCostDkk: 1, note: 'Matrix.' },
    'POST /v1/projects/:id/benefit-reports': { reportedOn: '2026-01-01', realisedFinancialBenefitsDkk: 1, note: 'Matrix.' },
    'POST /v1/projects/:id/assessments': assessmentBody(),
    'POST /v1/projects/:id/letter': letterBody(),
    'POST /v1/projects/:id/response': { text: 'Matrix.' },
    'POST /v1/projects/:id/status-reports': statusReportBody(),
    'POST /v1/webhooks': { url: 'https://hooks.example.com/matrix', eventTypes: ['*'] },
    'PATCH /v1/webhooks/:id': { active: true },
    'POST /app/dev-token': { role: 'submitter', org: '1084' },
    'POST /v1/councils/:code/policies': {
      id: `matrix-${randomUUID().slice(0, 8)}`,
      effectiveFrom: '2099-01-01',
      rule: { minEligibleCostDkk: 1, requireAllRegions: false },
      reviewWorkingDays: { project: 10, programme: 15 },
      followUp: { costPct: { yellow: 5, red: 15 }, financialBenefitsPct: { yellow: 5, red: 15 }, scheduleDays: { yellow: 30, red: 90 } }
    },
    'POST /v1/organisations': { code: '12345678', name: 'Matrixstyrelsen', kind: 'state_authority', council: 'state' },
    'PATCH /v1/organisations/:code': { name: 'Region Sjælland' },
    'POST /v1/members': { sub: `matrix-${randomUUID().slice(0, 8)}`, name: 'Matrix Medlem', org: '1083', council: 'regions' },
    'PATCH /v1/members/:sub': { name: 'Matrix Medlem' }
  }
  const headers: Record<string, string> = key.startsWith('PATCH ') || key.startsWith('PUT ') ? { 'if-match': '"1"' } : {}
  return { url, body: bodies[key], headers }
}

t.test('every registered route has an entry in the policy table, and declares exactly those roles', async (t) => {
  for (const mode of ['jwks', 'dev'] as const) {
    const seen = new Map<string, Access | undefined>()
    const { app } = await build(t, {
      env: { WORKERS: 'off' },
      ...(mode === 'dev' ? { devAuthDir: t.testdir({}) } : {}),
      routes: accessCollector(seen)
    })
    const routes = registeredRoutes(app)
    for (const route of routes) await app.inject({ method: route.method as HTTPMethods, url: requestFor(route, { project: randomUUID(), webhook: randomUUID() }).url })

    const unlisted: string[] = []
    const wrong: string[] = []
    for (const route of routes) {
      const key = `${route.method} ${route.url}`
      // ignoreTrailingSlash: the tree prints "/app/" as "/app".
      const declared = seen.get(key) ?? seen.get(`${key}/`)
      if (PUBLIC_FILES.test(route.url) && !(key in POLICY)) {
        if (route.method !== 'GET' || declared !== 'public') wrong.push(`${key}: a static file route must be a public GET, declares ${JSON.stringify(declared)}`)
        continue
      }
      const expected = POLICY[key]
      if (expected === undefined) {
        unlisted.push(key)
        continue
      }
      const actual = declared === undefined ? 'none declared' : declared === 'public' ? 'public' : [...declared.roles].sort().join(',')
      const wanted = expected === 'public' ? 'public' : [...expected].sort().join(',')
      if (actual !== wanted) wrong.push(`${key}: declares ${actual}, policy says ${wanted}`)
    }
    t.same(unlisted, [], `${mode}: every route has a policy entry (add new routes to POLICY)`)
    t.same(wrong, [], `${mode}: every route declares what the policy says`)

    const keys = new Set(routes.map((r) => `${r.method} ${r.url}`))
    const missing = Object.keys(POLICY).filter((k) => !keys.has(k) && (mode === 'dev' || !DEV_ONLY.has(k)))
    t.same(missing, [], `${mode}: every policy entry is a registered route`)
    if (mode === 'jwks') t.notOk(keys.has('POST /app/dev-token'), 'jwks: no dev-token route with production auth')
  }
})

const OWN_ORG = '1084'
// A region that does not participate in the project: a submitter there may not even see it.
const OTHER_ORG = '1081'
type Caller = Role | 'none'
const CALLERS: Caller[] = [...ROLES, 'none']
/**
 * The two organisations a caller of each role acts for: the owner's side and another. A
 * secretariat acts for a council: ITR (the project's, a regional one) and SIR (the other council,
 * which may not even see it).
 */
const ORGS = (caller: Caller): readonly [string, string] => caller === 'secretariat' ? ['ITR', 'SIR'] : [OWN_ORG, OTHER_ORG]

t.test('the matrix: every route × role × own/other organisation answers as the policy says', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' }, routes: failOnServerErrors(t) })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const project = await submitProject(app, OWN_ORG, gatedProject({ participatingRegions: ['1084', '1085'], reviewRequested: true }))
  // The webhook belongs to the owning organisation's integration: another org's integration does not see it.
  const hook = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(await token('integration', OWN_ORG)), payload: { url: 'https://hooks.example.com/matrix', eventTypes: ['*'] } })
  const ids = { project: project.id, webhook: hook.json().id as string }
  // The matrix's council members are in the directory of the project's council (else they see no
  // project of it); the one of another organisation than the owner is assigned to its review, so
  // that it may read the assessments (the owner's may never be assigned).
  for (const org of ORGS('council_member')) await register(app, { sub: `matrix-council_member-${org}`, org })
  const assigned = await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/assignments`, headers: bearer(await token('secretariat', 'ITR')), payload: { memberSub: `matrix-council_member-${OTHER_ORG}` } })
  if (assigned.statusCode !== 201) throw new Error(`assignment: ${assigned.statusCode} ${assigned.body}`)

  const tokens = new Map<string, string>()
  for (const caller of CALLERS) {
    for (const org of ORGS(caller)) {
      tokens.set(`${caller}@${org}`, await token(caller === 'none' ? [] : caller, org, { sub: `matrix-${caller}-${org}` }))
    }
  }

  const stranger = await token('secretariat', OWN_ORG, { sub: 'matrix-stranger' })

  async function call (route: RegisteredRoute, authorization: string | undefined): Promise<{ status: number, body: string }> {
    const { url, body, headers } = requestFor(route, ids)
    const all: Record<string, string> = { ...headers, ...(authorization === undefined ? {} : { authorization }) }
    if (route.url === '/v1/events/stream') {
      // An endless stream: read the status, then hang up.
      const abort = new AbortController()
      const res = await fetch(`${base}${url}`, { headers: all, signal: abort.signal })
      const text = res.status === 200 ? '' : await res.text()
      abort.abort()
      return { status: res.status, body: text }
    }
    const res = await app.inject({ method: route.method as HTTPMethods, url, headers: all, ...(body === undefined ? {} : { payload: body as object }) })
    return { status: res.statusCode, body: res.body }
  }

  let cells = 0
  for (const route of registeredRoutes(app)) {
    const key = `${route.method} ${route.url}`
    const policy: Policy = POLICY[key] ?? (PUBLIC_FILES.test(route.url) ? 'public' : [])
    const projectScoped = route.url.startsWith('/v1/projects/:id')
    const webhookScoped = route.url.startsWith('/v1/webhooks/:id')
    const problems: string[] = []

    // 1. No token.
    const anonymous = await call(route, undefined)
    cells++
    if (policy === 'public' ? anonymous.status === 401 || anonymous.status === 403 : anonymous.status !== 401) {
      problems.push(`no token → ${anonymous.status}`)
    }

    // 2. Every role (and a valid token with no role), from the owning and from another organisation.
    for (const caller of CALLERS) {
      const [own, other] = ORGS(caller)
      for (const org of [own, other]) {
        const res = await call(route, `Bearer ${tokens.get(`${caller}@${org}`)}`)
        cells++
        const hidden = res.status === 404 && /project not found/.test(res.body)
        let expected: string
        let ok: boolean
        if (policy === 'public') {
          expected = 'not 401/403'
          ok = res.status !== 401 && res.status !== 403
        } else if (caller === 'none' || !policy.includes(caller)) {
          expected = '403'
          ok = res.status === 403
        } else if (caller === 'secretariat' && org === other && key === 'POST /v1/members') {
          // The body registers a member of Regionernes It-råd: not SIR's to write.
          expected = '403 (another council\'s directory)'
          ok = res.status === 403
        } else if (caller === 'council_member' && org === own && ASSIGNED_MEMBERS_ONLY.has(key)) {
          // A council member not assigned to the review (here: of the owning organisation) reads neither the
          // assessments nor what follows the letter.
          expected = '403 (not assigned)'
          ok = res.status === 403
        } else if ((caller === 'submitter' || caller === 'secretariat') && org === other && projectScoped) {
          expected = '404 (not visible)'
          ok = hidden
        } else if (caller === 'integration' && org === other && webhookScoped) {
          // Own webhooks (API.md v1.1): another organisation's endpoint does not exist for an integration.
          expected = '404 (another org\'s webhook)'
          ok = res.status === 404 && /webhook not found/.test(res.body)
        } else {
          expected = 'not 401/403/404-for-visibility'
          ok = res.status !== 401 && res.status !== 403 && !hidden
        }
        if (!ok || res.status >= 500) problems.push(`${caller}@${org} → ${res.status}, expected ${expected}: ${res.body.slice(0, 160)}`)
      }
    }

    // 3. A secretariat token of an organisation that is no council's secretariat: refused everywhere.
    if (policy !== 'public') {
      const res = await call(route, `Bearer ${stranger}`)
      cells++
      if (res.status !== 403) problems.push(`secretariat@1084 → ${res.status}, expected 403`)
    }
    t.same(problems, [], key)
  }
  t.ok(cells > 300, `${cells} cells of the matrix checked`)
})
