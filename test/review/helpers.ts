import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { sql } from 'drizzle-orm'
import { copenhagenDate } from '../../src/domain/calendar.ts'
import { halfYearOf } from '../../src/domain/follow-up.ts'
import { bearer, token } from '../helpers/build.ts'

// The people of these tests. The project owner is Region Hovedstaden (1084).
export const OWNER_ORG = '1084'
export const ANNE = { sub: 'anne', org: '1081' }
export const BENT = { sub: 'bent', org: '1083' }
export const CARL = { sub: 'carl', org: '1085' }

export interface Member { sub: string, org: string }

export const secretariat = async () => bearer(await token('secretariat', 'ITR', { sub: 'sekretariat-1' }))
export const memberHeaders = async (m: Member) => bearer(await token('council_member', m.org, { sub: m.sub, name: m.sub.toUpperCase() }))
export const submitter = async (org = OWNER_ORG) => bearer(await token('submitter', org))

/** Puts a member in the directory (as an admin), once: a second call finds it there. */
export async function register (app: FastifyInstance, m: Member, council: 'regions' | 'state' = 'regions'): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/members',
    headers: bearer(await token('admin', 'ITR')),
    payload: { sub: m.sub, name: m.sub.toUpperCase(), org: m.org, council }
  })
  if (res.statusCode !== 201 && res.statusCode !== 409) throw new Error(`register: ${res.statusCode} ${res.body}`)
}

/** The secretariat assigns a member, put in the directory first. */
export async function assign (app: FastifyInstance, projectId: string, m: Member): Promise<LightMyRequestResponse> {
  await register(app, m)
  return app.inject({
    method: 'POST',
    url: `/v1/projects/${projectId}/assignments`,
    headers: await secretariat(),
    payload: { memberSub: m.sub, memberOrg: m.org }
  })
}

export function assessmentBody (overrides: Record<string, unknown> = {}) {
  return {
    scores: { business: 3, governance: 2, planning: 4, technology: 2, supplier: 3, economy: 3, security: 2 },
    proposedProfile: 'B',
    summary: 'Projektet har en realistisk plan, men leverandørafhængigheden er høj.',
    recommendations: [{ category: 'planning', text: 'Læg en exit-strategi for leverandøren fast før udbud.' }],
    ...overrides
  }
}

export async function assess (app: FastifyInstance, projectId: string, m: Member, body: Record<string, unknown> = assessmentBody()): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/v1/projects/${projectId}/assessments`, headers: await memberHeaders(m), payload: body })
}

export async function declare (app: FastifyInstance, projectId: string, m: Member): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/v1/projects/${projectId}/conflicts`,
    headers: await memberHeaders(m),
    payload: { ground: 'forvaltningsloven § 3, stk. 1, nr. 5', statement: 'Jeg har tidligere rådgivet projektets leverandør.' }
  })
}

/** The secretariat decides a member's declaration. */
export async function decide (app: FastifyInstance, projectId: string, conflictId: string, disqualified: boolean): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/v1/projects/${projectId}/conflicts/${conflictId}/decision`,
    headers: await secretariat(),
    payload: { disqualified, reason: disqualified ? 'Rådgivningen ligger under et år tilbage.' : 'Rådgivningen angik et andet udbud.' }
  })
}

export function letterBody (overrides: Record<string, unknown> = {}) {
  return {
    statement: 'Rådet vurderer projektet som velforberedt, men med høj risiko på leverandørsiden.',
    riskProfile: 'B',
    recommendations: [{ category: 'supplier', text: 'Gennemfør markedsdialog før udbuddet.' }],
    externalReviewRecommended: false,
    ...overrides
  }
}

export async function issueLetter (app: FastifyInstance, projectId: string, body: Record<string, unknown> = letterBody()): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/v1/projects/${projectId}/letter`, headers: await secretariat(), payload: body })
}

export async function respond (app: FastifyInstance, projectId: string, org = OWNER_ORG): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/v1/projects/${projectId}/response`, headers: await submitter(org), payload: { text: 'Vi følger anbefalingerne og gennemfører markedsdialog i 2027.' } })
}

/** The current half-year, Copenhagen time, and the `count - 1` before it: newest first. */
export function recentPeriods (count: number): string[] {
  const periods = [halfYearOf(copenhagenDate(new Date()))]
  while (periods.length < count) {
    const [year, half] = periods.at(-1)!.split('-H').map(Number) as [number, number]
    periods.push(half === 2 ? `${year}-H1` : `${year - 1}-H2`)
  }
  return periods
}

/** A report for the current half-year, on plan against the fixture's baseline (10,000,000 DKK eligible, ending 2029-06-30). */
export function statusReportBody (overrides: Record<string, unknown> = {}) {
  return {
    period: recentPeriods(1)[0],
    forecastCostDkk: 10_000_000,
    forecastEndDate: '2029-06-30',
    forecastFinancialBenefitsDkk: null,
    cost: 'green',
    schedule: 'yellow',
    financialBenefits: 'green',
    nonFinancialBenefits: 'green',
    comment: 'Planen holder.',
    ...overrides
  }
}

/**
 * Dates the project's letter back to `issuedAt`: status reports may then cover the half-years
 * since. The API issues letters today; a follow-up over years needs an older one.
 */
export async function backdateLetter (app: FastifyInstance, projectId: string, issuedAt: string): Promise<void> {
  await app.db.execute(sql`update letters set issued_at = ${issuedAt}::timestamptz where project_id = ${projectId}`)
}

export async function reportStatus (app: FastifyInstance, projectId: string, body: Record<string, unknown> = statusReportBody(), org = OWNER_ORG): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/v1/projects/${projectId}/status-reports`, headers: await submitter(org), payload: body })
}

/** Throws with the body when the status is not the expected one (keeps set-up steps short and their failures readable). */
export function expectStatus (res: LightMyRequestResponse, status: number): LightMyRequestResponse {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`)
  return res
}

/** Assigns ANNE and BENT and lets both assess: the project is ready for its letter. */
export async function assessedByTwo (app: FastifyInstance, projectId: string): Promise<void> {
  expectStatus(await assign(app, projectId, ANNE), 201)
  expectStatus(await assign(app, projectId, BENT), 201)
  expectStatus(await assess(app, projectId, ANNE), 201)
  expectStatus(await assess(app, projectId, BENT, assessmentBody({ proposedProfile: 'C' })), 201)
}

/** A project with its letter issued. */
export async function withLetter (app: FastifyInstance, projectId: string): Promise<void> {
  await assessedByTwo(app, projectId)
  expectStatus(await issueLetter(app, projectId), 201)
}

export async function history (app: FastifyInstance, projectId: string, headers: Record<string, string>): Promise<Array<{ type: string, data: Record<string, unknown> }>> {
  const res = expectStatus(await app.inject({ method: 'GET', url: `/v1/projects/${projectId}/history`, headers }), 200)
  return res.json().items
}
