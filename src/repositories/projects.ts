import { and, arrayContains, asc, eq, exists, getTableColumns, ilike, inArray, isNull, lt, not, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { hasRole, type Caller } from '../auth/caller.ts'
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core'
import { prepared, type Db } from '../db/client.ts'
import { assignments, members, projectBaselines, projects, type ApprovedBaseline, type Closure, type FollowUpTrack } from '../db/schema/index.ts'
import { councilOfSecretariat, type CouncilCode } from '../domain/councils.ts'
import type { ProjectStatus } from '../domain/lifecycle.ts'
import { notFound } from '../errors.ts'
import { cursorInstant } from './instants.ts'

export type Project = typeof projects.$inferSelect
/** A new project: every column but its reference, which the insert draws. */
export type NewProject = Omit<Project, 'reference'>
export type Baseline = typeof projectBaselines.$inferSelect

// A new project's columns: not its reference (drawn in the statement), nor what only the letter
// and the follow-up set — left out, they are SQL NULL (a jsonb null through a placeholder would be
// the JSON value null, which `is null` does not find).
const AFTER_THE_LETTER: ReadonlyArray<keyof Project> = ['approvedBaseline', 'followUpTrack', 'closure']
const PROJECT_COLUMNS = (Object.keys(getTableColumns(projects)) as Array<keyof Project>)
  .filter((key) => key !== 'reference' && !AFTER_THE_LETTER.includes(key))
const BASELINE_COLUMNS = Object.keys(getTableColumns(projectBaselines)) as Array<keyof Baseline>

/** The values of a prepared insert: a placeholder named after each column, filled at execution. */
function placeholders<T extends PgTable> (table: T, columns: readonly string[]): PgInsertValue<T> {
  return Object.fromEntries(columns.map((key) => [key, sql.placeholder(key)])) as PgInsertValue<T>
}

/** The filters of a page of projects, decoded (the cursor is a position, not the client's text). */
export interface ProjectFilters {
  status?: ProjectStatus | undefined
  region?: string | undefined
  reviewRequired?: boolean | undefined
  /** Case-insensitive substring of the title or the reference. */
  q?: string | undefined
  /** Only projects on which this council member (token `sub`) is actively assigned. */
  assignedTo?: string | undefined
  /** true: review open past `assessmentDueOn` (< `today`); false: every other project. */
  overdue?: boolean | undefined
  today: string
  after?: { createdAt: string, id: string } | undefined
  limit: number
}

// Review is open, and a letter not yet issued, in these states: past assessmentDueOn is overdue.
const OPEN_REVIEW: ProjectStatus[] = ['awaiting_assessment', 'under_assessment']

/** A submitter's projects: those its org owns or participates in as a region. */
function submitterScope (org: string | SQLWrapper, orgs: string[] | SQLWrapper): SQL {
  return or(eq(projects.ownerOrg, org), arrayContains(projects.participatingRegions, orgs))!
}

/** A council member's council: that of their entry in the directory (none without one, so no project). */
function memberCouncil (sub: string | SQLWrapper): SQL {
  return sql`(select ${members.council} from ${members} where ${members.sub} = ${sub})`
}

/** `%`, `_` and the escape character itself match literally in the title search. */
export function likePattern (q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * Projects and their baselines, as the caller may see them (DESIGN.md guarantee 9): every query
 * that reads projects carries the caller's condition, so a forgotten check in a route cannot leak.
 * A submitter sees what its org owns or participates in as a region; a secretariat its own
 * council's projects; a council member the projects of the council of their directory entry
 * (none without one); integrations and admins everything. What the caller may
 * not see is 404.
 */
export class ProjectRepository {
  readonly #db: Db
  readonly #scope: { kind: 'all' } | { kind: 'org', org: string } | { kind: 'council', council: CouncilCode } | { kind: 'member', sub: string }
  readonly #visible: SQL | undefined

  constructor (db: Db, caller: Caller) {
    this.#db = db
    // A secretariat token of no council's org is refused before any route runs (src/plugins/auth.ts).
    const council = hasRole(caller, 'secretariat') ? councilOfSecretariat(caller.org) : undefined
    this.#scope = hasRole(caller, 'integration', 'admin')
      ? { kind: 'all' }
      : council !== undefined
        ? { kind: 'council', council }
        : hasRole(caller, 'council_member') ? { kind: 'member', sub: caller.sub } : { kind: 'org', org: caller.org }
    const scope = this.#scope
    this.#visible = scope.kind === 'org'
      ? submitterScope(scope.org, [scope.org])
      : scope.kind === 'council'
        ? eq(projects.council, scope.council)
        : scope.kind === 'member' ? eq(projects.council, memberCouncil(scope.sub)) : undefined
  }

  /** A project the caller may see, or 404. The most frequent query of all: prepared. */
  async get (id: string): Promise<Project> {
    const scope = this.#scope
    const byId = eq(projects.id, sql.placeholder('id'))
    const rows = scope.kind === 'org'
      ? await prepared(this.#db, 'visible_project_by_id', (db, name) => db.select().from(projects)
        .where(and(byId, submitterScope(sql.placeholder('org'), sql.placeholder('orgs')))).limit(1)
        .prepare(name)).execute({ id, org: scope.org, orgs: [scope.org] })
      : scope.kind === 'council'
        ? await prepared(this.#db, 'council_project_by_id', (db, name) => db.select().from(projects)
          .where(and(byId, eq(projects.council, sql.placeholder('council')))).limit(1).prepare(name)).execute({ id, council: scope.council })
        : scope.kind === 'member'
          ? await prepared(this.#db, 'member_project_by_id', (db, name) => db.select().from(projects)
            .where(and(byId, eq(projects.council, memberCouncil(sql.placeholder('sub'))))).limit(1).prepare(name)).execute({ id, sub: scope.sub })
          : await prepared(this.#db, 'project_by_id', (db, name) => db.select().from(projects)
            .where(byId).limit(1).prepare(name)).execute({ id })
    const [project] = rows
    if (!project) throw notFound('project')
    return project
  }

  /**
   * A project the caller may see, locked for the rest of the transaction (serialises every change
   * to one project: version, state, its audit events), or 404.
   */
  async lock (id: string): Promise<Project> {
    const [project] = await this.#db.select().from(projects).where(and(eq(projects.id, id), this.#visible)).limit(1).for('update')
    if (!project) throw notFound('project')
    return project
  }

  /**
   * A page of projects, newest first, `limit + 1` rows (the extra one says there is more), each
   * with its cursor position. The query itself, awaitable (a test explains its plan).
   */
  page (filters: ProjectFilters) {
    const conditions: Array<SQL | undefined> = [this.#visible]
    if (filters.status !== undefined) conditions.push(eq(projects.status, filters.status))
    if (filters.region !== undefined) conditions.push(arrayContains(projects.participatingRegions, [filters.region]))
    if (filters.reviewRequired !== undefined) conditions.push(eq(projects.reviewRequired, filters.reviewRequired))
    if (filters.q) conditions.push(or(ilike(projects.title, likePattern(filters.q)), ilike(projects.reference, likePattern(filters.q))))
    if (filters.assignedTo !== undefined) {
      conditions.push(exists(this.#db.select({ one: sql`1` }).from(assignments).where(and(
        eq(assignments.projectId, projects.id), eq(assignments.memberSub, filters.assignedTo), isNull(assignments.endedAt)))))
    }
    if (filters.overdue !== undefined) {
      const overdue = and(inArray(projects.status, OPEN_REVIEW), lt(projects.assessmentDueOn, filters.today))!
      // assessment_due_on is null for projects without review: coalesce, or `not` would drop them too.
      conditions.push(filters.overdue ? overdue : not(sql`coalesce(${overdue}, false)`))
    }
    if (filters.after !== undefined) {
      // A row comparison the (created_at desc, id desc) index answers directly.
      conditions.push(sql`(${projects.createdAt}, ${projects.id}) < (${filters.after.createdAt}::timestamptz, ${filters.after.id}::uuid)`)
    }
    return this.#db.select({ ...getTableColumns(projects), position: cursorInstant(projects.createdAt) })
      .from(projects)
      .where(and(...conditions))
      // NULLS LAST like the indexes drizzle-kit made (plain DESC means NULLS FIRST and would not
      // match them, turning the first page into a sort over the whole table); both are NOT NULL.
      .orderBy(sql`${projects.createdAt} desc nulls last`, sql`${projects.id} desc nulls last`)
      .limit(filters.limit + 1)
  }

  /**
   * Inserts a new project with its reference (`<prefix>-<year>-<number>`, at least four digits:
   * ITR- for Regionernes It-råd, SIR- for Statens It-råd, each council its own sequence), the
   * number drawn in the same statement: concurrent submissions never wait for each other's commit,
   * and a rolled-back one leaves a gap. Returns the reference.
   */
  async insert (project: NewProject, prefix: 'ITR' | 'SIR', referenceYear: string): Promise<string> {
    const [row] = await prepared(this.#db, 'insert_project', (db, name) => {
      const reference = sql<string>`(select ${sql.placeholder('prefix')}::text || '-' || ${sql.placeholder('referenceYear')}::text || '-' || lpad(n, greatest(4, length(n)), '0')
        from (select nextval(${sql.placeholder('sequence')}::text::regclass)::text as n) drawn)`
      return db.insert(projects).values({ ...placeholders(projects, PROJECT_COLUMNS), reference }).returning({ reference: projects.reference }).prepare(name)
    }).execute({ ...project, prefix, referenceYear, sequence: prefix === 'ITR' ? 'project_reference_seq' : 'state_reference_seq' })
    return row!.reference
  }

  /** Updates a locked project if it is still at `version`; undefined when it is not. */
  async update (id: string, version: number, values: Partial<NewProject>): Promise<Project | undefined> {
    const [project] = await this.#db.update(projects).set(values).where(and(eq(projects.id, id), eq(projects.version, version))).returning()
    return project
  }

  /**
   * Moves a (locked) project to `status`. State changes touch `status` and `updated_at` only,
   * never `version`: the version is the project's baseline and its ETag for PATCH, and a letter or
   * an assignment must not make the owner's pending revision fail with 412.
   */
  async setStatus (id: string, status: ProjectStatus): Promise<Project> {
    const [project] = await this.#db.update(projects).set({ status, updatedAt: sql`now()` }).where(eq(projects.id, id)).returning()
    return project!
  }

  /** Records the (locked) project's approved baseline; like a state change, never its version. */
  async approveBaseline (id: string, baseline: ApprovedBaseline): Promise<Project> {
    const [project] = await this.#db.update(projects).set({ approvedBaseline: baseline, updatedAt: sql`now()` }).where(eq(projects.id, id)).returning()
    return project!
  }

  /** Records the council's latest follow-up decision on a (locked) project; not a change of its version. */
  async setFollowUpTrack (id: string, track: FollowUpTrack): Promise<void> {
    await this.#db.update(projects).set({ followUpTrack: track, updatedAt: sql`now()` }).where(eq(projects.id, id))
  }

  /** Closes a (locked) project: status `closed` and the owner's closure. */
  async close (id: string, closure: Closure): Promise<Project> {
    const [project] = await this.#db.update(projects).set({ status: 'closed', closure, updatedAt: sql`now()` }).where(eq(projects.id, id)).returning()
    return project!
  }

  async insertBaseline (baseline: Baseline): Promise<void> {
    await prepared(this.#db, 'insert_baseline', (db, name) =>
      db.insert(projectBaselines).values(placeholders(projectBaselines, BASELINE_COLUMNS)).prepare(name)).execute(baseline)
  }

  /** Every baseline of a project, oldest first. */
  async baselines (projectId: string): Promise<Baseline[]> {
    return this.#db.select().from(projectBaselines).where(eq(projectBaselines.projectId, projectId)).orderBy(asc(projectBaselines.version))
  }
}
