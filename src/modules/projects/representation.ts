import type { Db } from '../../db/client.ts'
import type { ApprovedBaseline, Contact, ExpectedBenefits } from '../../db/schema/index.ts'
import type { BudgetLine } from '../../domain/gate.ts'
import type { RiskProfile } from '../../domain/risk.ts'
import type { Phase, ProjectResource } from '../../schemas/project.ts'
import { ReviewRepository } from '../../repositories/review.ts'
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
  expectedBenefits: ExpectedBenefits | null
  reviewRequested: boolean
}

// How PostgreSQL renders a timestamptz in a UTC session: '2026-11-22 10:00:00.123456+00'.
const PG_INSTANT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/

/** An instant as the API speaks it: RFC 3339 UTC with milliseconds (truncated, as Date would). */
export function rfc3339 (instant: string | Date): string {
  const match = typeof instant === 'string' ? PG_INSTANT.exec(instant) : null
  if (match) return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`
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
    expectedBenefits: project.expectedBenefits ?? null,
    reviewRequested: project.reviewRequested
  }
}

/** The project's current version as the baseline the council follows it against, approved on `approvedOn`. */
export function approvedBaselineOf (project: Project, approvedOn: string): ApprovedBaseline {
  return {
    version: project.version,
    approvedOn,
    eligibleCostDkk: project.eligibleCostDkk,
    totalCostDkk: project.totalCostDkk,
    plannedEnd: project.plannedEnd,
    expectedFinancialBenefitsDkk: project.expectedBenefits?.financialDkk ?? null
  }
}

export function toProjectResource (project: Project, letter: LetterSummary | null): ProjectResource {
  const gating = project.gating
  return {
    id: project.id,
    reference: project.reference,
    ownerOrg: project.ownerOrg,
    council: project.council,
    kind: project.kind,
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
    expectedBenefits: project.expectedBenefits ? { financialDkk: project.expectedBenefits.financialDkk, description: project.expectedBenefits.description } : null,
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
    followUpTrack: project.followUpTrack ?? null,
    closure: project.closure ? { ...project.closure } : null,
    approvedBaseline: project.approvedBaseline ? { ...project.approvedBaseline } : null,
    createdAt: rfc3339(project.createdAt),
    updatedAt: rfc3339(project.updatedAt)
  }
}

/** The latest letter of each project, as a project shows it. */
export async function latestLetters (db: Db, projectIds: readonly string[]): Promise<Map<string, LetterSummary>> {
  const letters = await new ReviewRepository(db).latestLetters(projectIds)
  return new Map([...letters].map(([id, letter]) => [id, { riskProfile: letter.riskProfile, issuedAt: rfc3339(letter.issuedAt) }]))
}

/** One project as served, with its letter. */
export async function representProject (db: Db, project: Project): Promise<ProjectResource> {
  const letter = (await latestLetters(db, [project.id])).get(project.id) ?? null
  return toProjectResource(project, letter)
}

/** `Projekt ITR-2026-0001 "Titel"`: how a project is named in the Danish event descriptions (one line). */
export function danishName (project: Pick<Project, 'reference' | 'title'>): string {
  return `Projekt ${project.reference} "${project.title.replace(/\s+/g, ' ')}"`
}
