import type { CouncilCode, ProjectKind } from './councils.ts'
import { REGION_CODES, type RegionCode } from './regions.ts'

/**
 * The gating rule as versioned data rather than code: Regionernes It-råd and Statens It-råd run
 * the same process with different thresholds, and a later policy must be addable without
 * changing how old decisions read (DESIGN.md, "Domain rules worth getting exactly right").
 */

export const BUDGET_CATEGORIES = ['supplier', 'consultant', 'internal', 'other', 'operations', 'interest'] as const

export type BudgetCategory = (typeof BUDGET_CATEGORIES)[number]

export interface BudgetLine {
  category: BudgetCategory
  year: number
  amountDkk: number
}

export interface GateRule {
  /** Inclusive: a project whose eligible cost is exactly this is reviewed. */
  minEligibleCostDkk: number
  /** Whether all five regions must take part (the regional council's rule). */
  requireAllRegions: boolean
}

/** Where a status report's deviation turns a light yellow or red (inclusive bounds). */
export interface Tolerance { yellow: number, red: number }

export interface FollowUpTolerances {
  costPct: Tolerance
  financialBenefitsPct: Tolerance
  scheduleDays: Tolerance
}

/**
 * One version of a council's policy (API.md v1.1): stored in the `policies` table, never changed.
 * `version` counts the council's versions from 1 in the order they were added.
 */
export interface GatePolicy {
  id: string
  council: CouncilCode
  version: number
  /** YYYY-MM-DD: in force from this Copenhagen date until the next version's. */
  effectiveFrom: string
  rule: GateRule
  /** Working days from submission to the letter's due date, by the kind of project. */
  reviewWorkingDays: Record<ProjectKind, number>
  followUp: FollowUpTolerances
}

/** operations (running costs after go-live) and interest never count toward the gated amount (API.md). */
export const EXCLUDED_CATEGORIES: readonly BudgetCategory[] = Object.freeze(['operations', 'interest'] as const)

/** The service's documented follow-up tolerances, in every seeded version. */
export const DEFAULT_FOLLOW_UP: FollowUpTolerances = Object.freeze({
  costPct: { yellow: 5, red: 15 },
  financialBenefitsPct: { yellow: 5, red: 15 },
  scheduleDays: { yellow: 30, red: 90 }
})

/** The versions migration 0003 seeds (API.md v1.1); GET /v1/councils/{code}/policies returns them. */
export const SEEDED_POLICIES: readonly GatePolicy[] = Object.freeze([
  {
    id: 'regions-2019',
    council: 'regions',
    version: 1,
    effectiveFrom: '2019-12-01',
    rule: { minEligibleCostDkk: 10_000_000, requireAllRegions: true },
    reviewWorkingDays: { project: 10, programme: 10 },
    followUp: DEFAULT_FOLLOW_UP
  },
  {
    id: 'state-2011',
    council: 'state',
    version: 1,
    effectiveFrom: '2011-01-01',
    rule: { minEligibleCostDkk: 10_000_000, requireAllRegions: false },
    reviewWorkingDays: { project: 10, programme: 15 },
    followUp: DEFAULT_FOLLOW_UP
  },
  {
    id: 'state-2021',
    council: 'state',
    version: 2,
    effectiveFrom: '2021-01-01',
    rule: { minEligibleCostDkk: 15_000_000, requireAllRegions: false },
    reviewWorkingDays: { project: 10, programme: 15 },
    followUp: DEFAULT_FOLLOW_UP
  }
] satisfies GatePolicy[])

/**
 * The version in force on `date` (YYYY-MM-DD, Copenhagen): the latest whose effectiveFrom is on or
 * before it. `policies` are one council's; undefined before the first.
 */
export function policyInForce (policies: readonly GatePolicy[], date: string): GatePolicy | undefined {
  let found: GatePolicy | undefined
  for (const policy of policies) {
    if (policy.effectiveFrom <= date && (found === undefined || policy.effectiveFrom > found.effectiveFrom)) found = policy
  }
  return found
}

// Amounts are whole DKK of at most 10^13 and a project has at most 500 lines (API.md), so any
// sum is at most 5 * 10^15 < 2^53: plain Number addition is exact, no BigInt needed.
export function totalCost (lines: readonly BudgetLine[]): number {
  return lines.reduce((total, line) => total + line.amountDkk, 0)
}

export function eligibleCost (lines: readonly BudgetLine[]): number {
  return totalCost(lines.filter((line) => !EXCLUDED_CATEGORIES.includes(line.category)))
}

export interface GateInput {
  budgetLines: readonly BudgetLine[]
  participatingRegions: readonly string[]
  reviewRequested: boolean
}

export interface GateEvaluation {
  reviewRequired: boolean
  policy: string
  policyVersion: number
  reasons: string[]
  evaluatedAt: string
  eligibleCostDkk: number
  totalCostDkk: number
}

function regionsReason (missing: readonly RegionCode[]): string {
  if (missing.length === 0) return 'all five regions participate'
  return `only ${REGION_CODES.length - missing.length} of ${REGION_CODES.length} required regions ` +
    `participate (missing ${missing.join(', ')})`
}

export interface GateDecision {
  evaluation: GateEvaluation
  /** Whether the policy's rule alone calls for review (the cost and the regions), whatever the project asked for. */
  ruleMet: boolean
}

/**
 * The gate decision with its reasons. The reason strings for regions-2019 are part of the public
 * contract (API.md shows them in the project body), so their wording must not drift.
 */
export function decideGate (input: GateInput, policy: GatePolicy, now: Date): GateDecision {
  const eligibleCostDkk = eligibleCost(input.budgetLines)
  const totalCostDkk = totalCost(input.budgetLines)
  const { minEligibleCostDkk, requireAllRegions } = policy.rule
  const reasons: string[] = []

  const costMet = eligibleCostDkk >= minEligibleCostDkk
  reasons.push(costMet
    ? `eligible cost ${eligibleCostDkk} DKK is at or above ${minEligibleCostDkk} DKK`
    : `eligible cost ${eligibleCostDkk} DKK is below ${minEligibleCostDkk} DKK`)

  let regionsMet = true
  if (requireAllRegions) {
    // REGION_CODES are in code order, so the missing ones are listed in that order.
    const missing = REGION_CODES.filter((code) => !input.participatingRegions.includes(code))
    regionsMet = missing.length === 0
    reasons.push(regionsReason(missing))
  }

  if (input.reviewRequested) reasons.push('review requested')

  const ruleMet = costMet && regionsMet
  return {
    evaluation: {
      reviewRequired: ruleMet || input.reviewRequested,
      policy: policy.id,
      policyVersion: policy.version,
      reasons,
      evaluatedAt: now.toISOString(),
      eligibleCostDkk,
      totalCostDkk
    },
    ruleMet
  }
}

/** The gate evaluation as recorded on a baseline (decideGate's, without `ruleMet`). */
export function evaluateGate (input: GateInput, policy: GatePolicy, now: Date): GateEvaluation {
  return decideGate(input, policy, now).evaluation
}
