import { and, asc, desc, eq, lte, max, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { councils, members, organisations, policies } from '../db/schema/index.ts'
import type { CouncilCode, OrganisationKind } from '../domain/councils.ts'
import type { GatePolicy } from '../domain/gate.ts'

export type Organisation = typeof organisations.$inferSelect
export type Council = typeof councils.$inferSelect

export const DEMO_AUTHORITY = { code: '10000000', name: 'Demostyrelsen', kind: 'state_authority', council: 'state' } as const

/**
 * Dev mode's demo council members, one for each council's review and a second for the regions'
 * (a review has two): their subs are what `npm run token -- --role council_member --org <org>`
 * and the dev sign-in mint by default, so those tokens see their council's projects at once.
 */
export const DEMO_MEMBERS = [
  { sub: 'dev-council_member-1081', name: 'Anna Andersen (demo)', email: null, org: '1081', council: 'regions' },
  { sub: 'dev-council_member-1083', name: 'Bo Bertelsen (demo)', email: null, org: '1083', council: 'regions' },
  { sub: 'dev-council_member-SIR', name: 'Sofie Sørensen (demo)', email: null, org: 'SIR', council: 'state' }
] as const

const POLICY_FIELDS = {
  id: policies.id,
  council: policies.council,
  version: policies.version,
  effectiveFrom: policies.effectiveFrom,
  rule: policies.rule,
  reviewWorkingDays: policies.reviewWorkingDays,
  followUp: policies.followUp
}

/** The councils, their policy versions and the organisations: reference data every caller may read. */
export class CouncilRepository {
  readonly #db: Db

  constructor (db: Db) {
    this.#db = db
  }

  async councils (): Promise<Council[]> {
    return this.#db.select().from(councils).orderBy(asc(councils.code))
  }

  /** A council's policy versions, oldest first (by effectiveFrom). */
  async policies (council: CouncilCode): Promise<GatePolicy[]> {
    return this.#db.select(POLICY_FIELDS).from(policies).where(eq(policies.council, council)).orderBy(asc(policies.effectiveFrom))
  }

  /** The version of `council` in force on `date` (the latest effective on or before it). */
  async policyInForce (council: CouncilCode, date: string): Promise<GatePolicy | undefined> {
    const [policy] = await this.#db.select(POLICY_FIELDS).from(policies)
      .where(and(eq(policies.council, council), lte(policies.effectiveFrom, date)))
      .orderBy(desc(policies.effectiveFrom)).limit(1)
    return policy
  }

  /**
   * Adds a version numbered after the council's latest; undefined when its id or its date is
   * taken (nothing written). The caller holds the council's lock (lockCouncil).
   */
  async addPolicy (policy: Omit<GatePolicy, 'version'>, createdBy: string): Promise<GatePolicy | undefined> {
    const [{ latest } = { latest: 0 }] = await this.#db.select({ latest: max(policies.version) }).from(policies).where(eq(policies.council, policy.council))
    const [row] = await this.#db.insert(policies).values({ ...policy, version: (latest ?? 0) + 1, createdBy })
      .onConflictDoNothing().returning(POLICY_FIELDS)
    return row
  }

  /** Serialises the additions of one council's policy versions (their numbers) to the end of the transaction. */
  async lockCouncil (council: CouncilCode): Promise<boolean> {
    const [row] = await this.#db.select({ code: councils.code }).from(councils).where(eq(councils.code, council)).for('update')
    return row !== undefined
  }

  async organisations (): Promise<Organisation[]> {
    return this.#db.select().from(organisations).orderBy(asc(organisations.kind), asc(organisations.name), asc(organisations.code))
  }

  async organisation (code: string): Promise<Organisation | undefined> {
    const [row] = await this.#db.select().from(organisations).where(eq(organisations.code, code)).limit(1)
    return row
  }

  /** Dev mode's demo state authority (API.md v1.1) and demo council members, once. */
  async seedDemo (): Promise<void> {
    await this.#db.insert(organisations).values({ ...DEMO_AUTHORITY, active: true, version: 1 }).onConflictDoNothing()
    await this.#db.insert(members).values(DEMO_MEMBERS.map((m) => ({ ...m, active: true, version: 1 }))).onConflictDoNothing()
  }

  /** Undefined when the code is taken. */
  async addOrganisation (organisation: { code: string, name: string, kind: OrganisationKind, council: CouncilCode | null }): Promise<Organisation | undefined> {
    const [row] = await this.#db.insert(organisations).values({ ...organisation, active: true, version: 1 }).onConflictDoNothing().returning()
    return row
  }

  /** Changes an organisation still at `version`; undefined when it is not. */
  async updateOrganisation (code: string, version: number, values: { name?: string | undefined, active?: boolean | undefined }): Promise<Organisation | undefined> {
    const [row] = await this.#db.update(organisations)
      .set({ ...values, version: sql`${organisations.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(organisations.code, code), eq(organisations.version, version))).returning()
    return row
  }
}

/** An organisation's name for a Danish description, its code when it is unknown. */
export async function organisationName (db: Db, code: string): Promise<string> {
  return (await new CouncilRepository(db).organisation(code))?.name ?? code
}
