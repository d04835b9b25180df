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

export interface GatePolicy {
  name: string
  version: number
  description: string
  /** Inclusive: a project costing exactly the threshold is reviewed. */
  thresholdDkk: number
  requiredRegions: readonly RegionCode[]
  /** Categories that never count toward the gated amount. */
  excludedCategories: readonly BudgetCategory[]
}

// API.md: at least 10 million DKK and all five regions; operations (running costs after
// go-live) and interest do not count toward the gated amount.
export const REGIONS_2019: GatePolicy = Object.freeze({
  name: 'regions-2019',
  version: 1,
  description: 'Regionernes It-råd (2019): review when the eligible cost is at least 10,000,000 DKK ' +
    'and all five regions participate; operations and interest do not count.',
  thresholdDkk: 10_000_000,
  requiredRegions: Object.freeze([...REGION_CODES]),
  excludedCategories: Object.freeze(['operations', 'interest'] as const)
})

export const CURRENT_POLICY: GatePolicy = REGIONS_2019

// Every policy that has ever been in force stays here, so a stored evaluation can be read back
// against the policy it names.
export const POLICIES: ReadonlyMap<string, GatePolicy> = new Map(
  [REGIONS_2019].map((policy) => [policy.name, policy])
)

// Amounts are whole DKK of at most 10^13 and a project has at most 500 lines (API.md), so any
// sum is at most 5 * 10^15 < 2^53: plain Number addition is exact, no BigInt needed.
export function totalCost (lines: readonly BudgetLine[]): number {
  return lines.reduce((total, line) => total + line.amountDkk, 0)
}

export function eligibleCost (lines: readonly BudgetLine[], policy: GatePolicy): number {
  return totalCost(lines.filter((line) => !policy.excludedCategories.includes(line.category)))
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

function isAllFiveRegions (required: readonly RegionCode[]): boolean {
  return required.length === REGION_CODES.length && REGION_CODES.every((code) => required.includes(code))
}

function regionsReason (required: readonly RegionCode[], missing: readonly RegionCode[]): string {
  if (missing.length > 0) {
    return `only ${required.length - missing.length} of ${required.length} required regions ` +
      `participate (missing ${missing.join(', ')})`
  }
  if (isAllFiveRegions(required)) return 'all five regions participate'
  if (required.length === 0) return 'no regions are required'
  if (required.length === 1) return `the required region ${required.join('')} participates`
  return `all ${required.length} required regions participate`
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
  const eligibleCostDkk = eligibleCost(input.budgetLines, policy)
  const totalCostDkk = totalCost(input.budgetLines)
  const reasons: string[] = []

  const costMet = eligibleCostDkk >= policy.thresholdDkk
  reasons.push(costMet
    ? `eligible cost ${eligibleCostDkk} DKK is at or above ${policy.thresholdDkk} DKK`
    : `eligible cost ${eligibleCostDkk} DKK is below ${policy.thresholdDkk} DKK`)

  // Region codes are four digits, so string order is code order.
  const required = [...new Set(policy.requiredRegions)].sort()
  const missing = required.filter((code) => !input.participatingRegions.includes(code))
  const regionsMet = missing.length === 0
  reasons.push(regionsReason(required, missing))

  if (input.reviewRequested) reasons.push('review requested')

  const ruleMet = costMet && regionsMet
  return {
    evaluation: {
      reviewRequired: ruleMet || input.reviewRequested,
      policy: policy.name,
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
