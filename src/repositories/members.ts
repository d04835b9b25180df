import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import { hasRole, type Caller } from '../auth/caller.ts'
import type { Db } from '../db/client.ts'
import { members } from '../db/schema/index.ts'
import { councilOfSecretariat, type CouncilCode } from '../domain/councils.ts'

export type Member = typeof members.$inferSelect

/**
 * The council members' directory as the caller may see it (API.md v1.1, "Who reads what"): an
 * admin all of it; a secretariat its own council's members; a council member its own council's
 * (the council of its own entry; none without one). Unseen members are absent, as if unknown.
 */
export class MemberRepository {
  readonly #db: Db
  readonly #visible: SQL | undefined

  constructor (db: Db, caller: Caller) {
    this.#db = db
    if (hasRole(caller, 'admin')) {
      this.#visible = undefined
    } else if (hasRole(caller, 'secretariat')) {
      this.#visible = eq(members.council, councilOfSecretariat(caller.org)!)
    } else {
      this.#visible = sql`${members.council} = (select m.council from members m where m.sub = ${caller.sub})`
    }
  }

  /** Ordered by name, then sub; `council` narrows further. */
  async list (council?: CouncilCode): Promise<Member[]> {
    return this.#db.select().from(members)
      .where(and(this.#visible, council === undefined ? undefined : eq(members.council, council)))
      .orderBy(asc(members.name), asc(members.sub))
  }

  async get (sub: string): Promise<Member | undefined> {
    const [row] = await this.#db.select().from(members).where(and(this.#visible, eq(members.sub, sub))).limit(1)
    return row
  }

  /** Undefined when the sub is taken. */
  async insert (member: { sub: string, name: string, email: string | null, org: string, council: CouncilCode }): Promise<Member | undefined> {
    const [row] = await this.#db.insert(members).values({ ...member, active: true, version: 1 }).onConflictDoNothing().returning()
    return row
  }

  /** Changes a visible member still at `version`; undefined when it is not. */
  async update (sub: string, version: number, values: { name?: string | undefined, email?: string | null | undefined, active?: boolean | undefined }): Promise<Member | undefined> {
    const [row] = await this.#db.update(members)
      .set({ ...values, version: sql`${members.version} + 1`, updatedAt: sql`now()` })
      .where(and(this.#visible, eq(members.sub, sub), eq(members.version, version))).returning()
    return row
  }
}
