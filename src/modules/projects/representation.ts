import { desc, inArray, is, sql } from 'drizzle-orm'
import { PgTransaction } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.ts'
import { letters, type Contact } from '../../db/schema/index.ts'
import { prepareSelect } from '../../db/statements.ts'
import type { Tx } from '../../db/unit-of-work.ts'
import type { BudgetLine } from '../../domain/gate.ts'
import type { RiskProfile } from '../../domain/risk.ts'
import type { Phase, ProjectResource } from '../../schemas/project.ts'
import type { Project } from './access.ts'

export interface LetterSummary {
  riskProfile: RiskProfile
  issuedAt: string
}

/** What a baseline holds: the project as submitted or revised, without what the service derives. */
export interface ProjectContent {
  title: string
  description: string
  participatingRegions: string[]
  phase: Phase
  budgetLines: BudgetLine[]
  plannedStart: string
  plannedEnd: string
  contact: Contact
  reviewRequested: boolean
}

/** PostgreSQL renders timestamptz as '2026-11-22 10:00:00.123456+00'; the API speaks RFC 3339 UTC, milliseconds. */
export function rfc3339 (instant: string | Date): string {
  // That rendering (in a UTC session, with no to six fractional digits) is rewritten directly, as
  // Date would, milliseconds truncated: this runs three times per project served, and parsing
  // with Date is a slow path of V8 (a regular expression cost four times what slicing does).
  if (typeof instant === 'string') {
    const n = instant.length
    // Already RFC 3339 UTC with milliseconds (what this service writes): as it is.
    if (n === 24 && instant[10] === 'T' && instant[19] === '.' && instant[23] === 'Z') return instant
    if (n >= 22 && n <= 29 && n !== 23 && instant[10] === ' ' && (n === 22 || instant[19] === '.') && instant.endsWith('+00')) {
      const ms = n === 22 ? '000' : `${instant.slice(20, n - 3)}00`.slice(0, 3)
      return `${instant.slice(0, 10)}T${instant.slice(11, 19)}.${ms}Z`
    }
  }
  return new Date(instant).toISOString()
}

export function contentOf (project: Project): ProjectContent {
  return {
    title: project.title,
    description: project.description,
    participatingRegions: project.participatingRegions,
    phase: project.phase as Phase,
    budgetLines: project.budgetLines,
    plannedStart: project.plannedStart,
    plannedEnd: project.plannedEnd,
    contact: project.contact,
    reviewRequested: project.reviewRequested
  }
}

export function toProjectResource (project: Project, letter: LetterSummary | null): ProjectResource {
  const gating = project.gating
  return {
    id: project.id,
    reference: project.reference,
    ownerOrg: project.ownerOrg,
    status: project.status,
    title: project.title,
    description: project.description,
    participatingRegions: project.participatingRegions,
    phase: project.phase as Phase,
    budgetLines: project.budgetLines.map((l) => ({ category: l.category, year: l.year, amountDkk: l.amountDkk })),
    plannedStart: project.plannedStart,
    plannedEnd: project.plannedEnd,
    contact: { name: project.contact.name, email: project.contact.email },
    reviewRequested: project.reviewRequested,
    eligibleCostDkk: project.eligibleCostDkk,
    totalCostDkk: project.totalCostDkk,
    gating: {
      reviewRequired: gating.reviewRequired,
      policy: gating.policy,
      policyVersion: gating.policyVersion,
      reasons: gating.reasons,
      evaluatedAt: rfc3339(gating.evaluatedAt)
    },
    assessmentDueOn: project.assessmentDueOn,
    letter,
    version: project.version,
    createdAt: rfc3339(project.createdAt),
    updatedAt: rfc3339(project.updatedAt)
  }
}

/**
 * The latest recommendation letter of each project (the review process writes them; a revised
 * project keeps its letter, API.md). One query for a whole page.
 */
export async function latestLetters (db: Db | Tx, projectIds: readonly string[]): Promise<Map<string, LetterSummary>> {
  if (projectIds.length === 0) return new Map()
  const rows = is(db, PgTransaction)
    ? await db.selectDistinctOn([letters.projectId], LETTER_FIELDS).from(letters)
      .where(inArray(letters.projectId, [...projectIds]))
      .orderBy(letters.projectId, desc(letters.issuedAt))
    : await latestLettersStatement(db).execute({ ids: [...projectIds] })
  return new Map(rows.map((r) => [r.projectId, { riskProfile: r.riskProfile, issuedAt: rfc3339(r.issuedAt) }]))
}

const LETTER_FIELDS = { projectId: letters.projectId, riskProfile: letters.riskProfile, issuedAt: letters.issuedAt }

// Outside a transaction (every GET): prepared once per database, for any number of ids.
const letterStatements = new WeakMap<Db, ReturnType<typeof prepareLatestLetters>>()

function prepareLatestLetters (db: Db) {
  return prepareSelect(db, 'latest_letters', db.selectDistinctOn([letters.projectId], LETTER_FIELDS).from(letters)
    .where(sql`${letters.projectId} = any(${sql.placeholder('ids')}::uuid[])`)
    .orderBy(letters.projectId, desc(letters.issuedAt)))
}

function latestLettersStatement (db: Db) {
  let statement = letterStatements.get(db)
  if (statement === undefined) letterStatements.set(db, statement = prepareLatestLetters(db))
  return statement
}

/** One project as served, with its letter. */
export async function representProject (db: Db | Tx, project: Project): Promise<ProjectResource> {
  const letter = (await latestLetters(db, [project.id])).get(project.id) ?? null
  return toProjectResource(project, letter)
}

/** `Projekt ITR-2026-0001 "Titel"`: how a project is named in the Danish event descriptions (one line). */
export function danishName (project: Pick<Project, 'reference' | 'title'>): string {
  return `Projekt ${project.reference} "${project.title.replace(/\s+/g, ' ')}"`
}
