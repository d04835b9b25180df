import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import type { Role } from '../../src/auth/caller.ts'
import { bearer, token, type TokenOptions } from './build.ts'

/** A valid submission that meets the regions-2019 gate (10,000,000 DKK eligible, all five regions). */
export function gatedProject (overrides: Record<string, unknown> = {}) {
  return {
    title: 'Fælles regional booking-platform',
    description: 'Én fælles platform til booking af ambulante tider i alle fem regioner.',
    participatingRegions: ['1081', '1082', '1083', '1084', '1085'],
    phase: 'analysis',
    budgetLines: [
      { category: 'supplier', year: 2027, amountDkk: 6_000_000 },
      { category: 'internal', year: 2027, amountDkk: 4_000_000 },
      { category: 'operations', year: 2029, amountDkk: 900_000 }
    ],
    plannedStart: '2027-01-01',
    plannedEnd: '2029-06-30',
    contact: { name: 'Mette Hansen', email: 'mette.hansen@regionh.dk' },
    reviewRequested: false,
    ...overrides
  }
}

/** A valid submission below the gate (four regions). */
export function ungatedProject (overrides: Record<string, unknown> = {}) {
  return gatedProject({ participatingRegions: ['1081', '1082', '1083', '1084'], ...overrides })
}

/** Submits a project as a submitter of `org` and returns the created project (asserts 201). */
export async function submitProject (app: FastifyInstance, org = '1084', body: Record<string, unknown> = gatedProject()) {
  const res = await app.inject({ method: 'POST', url: '/v1/projects', headers: bearer(await token('submitter', org)), payload: body })
  if (res.statusCode !== 201) throw new Error(`submitProject: expected 201, got ${res.statusCode}: ${res.body}`)
  return res.json() as { id: string, reference: string, version: number, status: string, [key: string]: unknown }
}

/** A state authority (Statens It-råd), registered by an admin: its submitters can then submit. Returns its code. */
export async function registerStateAuthority (app: FastifyInstance, code = '29190909', name = 'Styrelsen for Dataforsyning'): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(await token('admin', 'ITR')), payload: { code, name, kind: 'state_authority', council: 'state' } })
  if (res.statusCode !== 201) throw new Error(`registerStateAuthority: expected 201, got ${res.statusCode}: ${res.body}`)
  return code
}

/** Authorization headers for a caller with `roles` in `org`. */
export async function authAs (roles: Role | Role[], org: string, opts: TokenOptions = {}) {
  return bearer(await token(roles, org, opts))
}

/**
 * For `build(t, { routes: failOnServerErrors(t) })`: any 5xx answer fails the test, because bad
 * input must never reach the database as an error (DESIGN.md 10).
 */
export function failOnServerErrors (t: Test) {
  return (app: FastifyInstance) => {
    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode >= 500) t.fail(`${request.method} ${request.url} answered ${reply.statusCode}`)
    })
  }
}

/** Runs `count` requests at once and returns their responses in start order. */
export async function concurrently<T> (count: number, request: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => request(i)))
}
