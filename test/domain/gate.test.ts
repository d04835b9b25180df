import t from 'tap'
import {
  BUDGET_CATEGORIES,
  CURRENT_POLICY,
  POLICIES,
  REGIONS_2019,
  eligibleCost,
  evaluateGate,
  decideGate,
  totalCost,
  type BudgetLine,
  type GateInput,
  type GatePolicy
} from '../../src/domain/gate.ts'
import { REGION_CODES } from '../../src/domain/regions.ts'

const NOW = new Date('2026-11-23T09:15:00.000Z')
const ALL = ['1081', '1082', '1083', '1084', '1085']
const FOUR = ['1081', '1082', '1083', '1084']

function lines (...spec: Array<[BudgetLine['category'], number]>): BudgetLine[] {
  return spec.map(([category, amountDkk]) => ({ category, year: 2027, amountDkk }))
}

t.test('regions-2019 is the current policy and can be looked up by name', async (t) => {
  t.equal(CURRENT_POLICY, REGIONS_2019)
  t.equal(POLICIES.get('regions-2019'), REGIONS_2019)
  t.equal(REGIONS_2019.version, 1)
  t.equal(REGIONS_2019.thresholdDkk, 10_000_000)
  t.same(REGIONS_2019.requiredRegions, REGION_CODES)
  t.same(REGIONS_2019.excludedCategories, ['operations', 'interest'])
  t.ok(Object.isFrozen(REGIONS_2019))
  t.same(BUDGET_CATEGORIES, ['supplier', 'consultant', 'internal', 'other', 'operations', 'interest'])
})

t.test('totalCost and eligibleCost', async (t) => {
  const budget = lines(['supplier', 6_000_000], ['internal', 4_000_000], ['operations', 900_000],
    ['interest', 100_000], ['consultant', 1], ['other', 2])
  t.equal(totalCost(budget), 11_000_003)
  t.equal(eligibleCost(budget, REGIONS_2019), 10_000_003)
  t.equal(totalCost([]), 0)
  t.equal(eligibleCost([], REGIONS_2019), 0)
  // The largest possible budget stays exact: 500 lines of 10^13 is 5 * 10^15 < 2^53.
  const largest = Array.from({ length: 500 }, () => ({ category: 'supplier' as const, year: 2027, amountDkk: 1e13 }))
  t.equal(totalCost(largest), 5e15)
  t.ok(Number.isSafeInteger(totalCost(largest)))
})

t.test('evaluateGate under regions-2019', async (t) => {
  const cases: Array<{
    name: string,
    input: GateInput,
    reviewRequired: boolean,
    reasons: string[],
    eligible: number,
    total: number
  }> = [
    {
      name: 'exactly 10,000,000 with all five regions is reviewed',
      input: { budgetLines: lines(['supplier', 6_000_000], ['internal', 4_000_000], ['operations', 900_000]), participatingRegions: ALL, reviewRequested: false },
      reviewRequired: true,
      reasons: ['eligible cost 10000000 DKK is at or above 10000000 DKK', 'all five regions participate'],
      eligible: 10_000_000,
      total: 10_900_000
    },
    {
      name: '9,999,999 is not reviewed',
      input: { budgetLines: lines(['supplier', 9_999_999]), participatingRegions: ALL, reviewRequested: false },
      reviewRequired: false,
      reasons: ['eligible cost 9999999 DKK is below 10000000 DKK', 'all five regions participate'],
      eligible: 9_999_999,
      total: 9_999_999
    },
    {
      name: 'four regions are not reviewed, however large the cost',
      input: { budgetLines: lines(['supplier', 50_000_000]), participatingRegions: FOUR, reviewRequested: false },
      reviewRequired: false,
      reasons: ['eligible cost 50000000 DKK is at or above 10000000 DKK', 'only 4 of 5 required regions participate (missing 1085)'],
      eligible: 50_000_000,
      total: 50_000_000
    },
    {
      name: 'operations never tip it over',
      input: { budgetLines: lines(['supplier', 5_000_000], ['operations', 5_000_000]), participatingRegions: ALL, reviewRequested: false },
      reviewRequired: false,
      reasons: ['eligible cost 5000000 DKK is below 10000000 DKK', 'all five regions participate'],
      eligible: 5_000_000,
      total: 10_000_000
    },
    {
      name: 'interest never tips it over',
      input: { budgetLines: lines(['consultant', 9_999_999], ['interest', 1]), participatingRegions: ALL, reviewRequested: false },
      reviewRequired: false,
      reasons: ['eligible cost 9999999 DKK is below 10000000 DKK', 'all five regions participate'],
      eligible: 9_999_999,
      total: 10_000_000
    },
    {
      name: 'every counted category counts',
      input: { budgetLines: lines(['supplier', 2_500_000], ['consultant', 2_500_000], ['internal', 2_500_000], ['other', 2_500_000]), participatingRegions: ALL, reviewRequested: false },
      reviewRequired: true,
      reasons: ['eligible cost 10000000 DKK is at or above 10000000 DKK', 'all five regions participate'],
      eligible: 10_000_000,
      total: 10_000_000
    },
    {
      name: 'a requested review below the gate is required',
      input: { budgetLines: lines(['supplier', 1_000_000]), participatingRegions: ['1084'], reviewRequested: true },
      reviewRequired: true,
      reasons: ['eligible cost 1000000 DKK is below 10000000 DKK', 'only 1 of 5 required regions participate (missing 1081, 1082, 1083, 1085)', 'review requested'],
      eligible: 1_000_000,
      total: 1_000_000
    },
    {
      name: 'a requested review above the gate says so too',
      input: { budgetLines: lines(['supplier', 12_000_000]), participatingRegions: ALL, reviewRequested: true },
      reviewRequired: true,
      reasons: ['eligible cost 12000000 DKK is at or above 10000000 DKK', 'all five regions participate', 'review requested'],
      eligible: 12_000_000,
      total: 12_000_000
    },
    {
      name: 'missing regions are listed in code order whatever the input order',
      input: { budgetLines: lines(['supplier', 10_000_000]), participatingRegions: ['1084', '1082', '1082'], reviewRequested: false },
      reviewRequired: false,
      reasons: ['eligible cost 10000000 DKK is at or above 10000000 DKK', 'only 2 of 5 required regions participate (missing 1081, 1083, 1085)'],
      eligible: 10_000_000,
      total: 10_000_000
    },
    {
      name: 'unknown codes do not stand in for a region',
      input: { budgetLines: lines(['supplier', 10_000_000]), participatingRegions: ['1081', '1082', '1083', '1084', '9999'], reviewRequested: false },
      reviewRequired: false,
      reasons: ['eligible cost 10000000 DKK is at or above 10000000 DKK', 'only 4 of 5 required regions participate (missing 1085)'],
      eligible: 10_000_000,
      total: 10_000_000
    },
    {
      name: 'no regions at all',
      input: { budgetLines: lines(['supplier', 0]), participatingRegions: [], reviewRequested: false },
      reviewRequired: false,
      reasons: ['eligible cost 0 DKK is below 10000000 DKK', 'only 0 of 5 required regions participate (missing 1081, 1082, 1083, 1084, 1085)'],
      eligible: 0,
      total: 0
    }
  ]
  for (const c of cases) {
    t.same(evaluateGate(c.input, REGIONS_2019, NOW), {
      reviewRequired: c.reviewRequired,
      policy: 'regions-2019',
      policyVersion: 1,
      reasons: c.reasons,
      evaluatedAt: '2026-11-23T09:15:00.000Z',
      eligibleCostDkk: c.eligible,
      totalCostDkk: c.total
    }, c.name)
  }
})

t.test('policies are data: a made-up policy with three regions and 5M', async (t) => {
  const policy: GatePolicy = {
    name: 'test-three-regions',
    version: 3,
    description: 'made up for the test',
    thresholdDkk: 5_000_000,
    requiredRegions: ['1085', '1083', '1084'],
    excludedCategories: ['operations']
  }
  const cases: Array<{ name: string, input: GateInput, reviewRequired: boolean, reasons: string[] }> = [
    {
      name: 'three required regions and 5M',
      input: { budgetLines: lines(['supplier', 4_000_000], ['interest', 1_000_000]), participatingRegions: ['1083', '1084', '1085'], reviewRequested: false },
      reviewRequired: true,
      reasons: ['eligible cost 5000000 DKK is at or above 5000000 DKK', 'all 3 required regions participate']
    },
    {
      name: 'all five participating still satisfies three',
      input: { budgetLines: lines(['supplier', 5_000_000]), participatingRegions: ALL, reviewRequested: false },
      reviewRequired: true,
      reasons: ['eligible cost 5000000 DKK is at or above 5000000 DKK', 'all 3 required regions participate']
    },
    {
      name: 'a missing required region',
      input: { budgetLines: lines(['supplier', 5_000_000]), participatingRegions: ['1081', '1082', '1084'], reviewRequested: false },
      reviewRequired: false,
      reasons: ['eligible cost 5000000 DKK is at or above 5000000 DKK', 'only 1 of 3 required regions participate (missing 1083, 1085)']
    },
    {
      name: 'below its own threshold',
      input: { budgetLines: lines(['supplier', 4_999_999], ['operations', 10_000_000]), participatingRegions: ['1083', '1084', '1085'], reviewRequested: false },
      reviewRequired: false,
      reasons: ['eligible cost 4999999 DKK is below 5000000 DKK', 'all 3 required regions participate']
    }
  ]
  for (const c of cases) {
    const evaluation = evaluateGate(c.input, policy, NOW)
    t.equal(evaluation.reviewRequired, c.reviewRequired, `${c.name}: reviewRequired`)
    t.equal(decideGate(c.input, policy, NOW).ruleMet, c.reviewRequired, `${c.name}: ruleMet`)
    t.same(evaluation.reasons, c.reasons, `${c.name}: reasons`)
    t.equal(evaluation.policy, 'test-three-regions')
    t.equal(evaluation.policyVersion, 3)
  }
})

t.test('region reasons for policies with one or no required region', async (t) => {
  const base = { version: 1, description: 'made up', thresholdDkk: 0, excludedCategories: [] }
  const input: GateInput = { budgetLines: lines(['other', 0]), participatingRegions: ['1084'], reviewRequested: false }

  const one = evaluateGate(input, { ...base, name: 'one', requiredRegions: ['1084'] }, NOW)
  t.same(one.reasons, ['eligible cost 0 DKK is at or above 0 DKK', 'the required region 1084 participates'])
  t.equal(one.reviewRequired, true)

  const none = evaluateGate(input, { ...base, name: 'none', requiredRegions: [] }, NOW)
  t.same(none.reasons, ['eligible cost 0 DKK is at or above 0 DKK', 'no regions are required'])
  t.equal(none.reviewRequired, true)

  // The five in another order are still "all five".
  const shuffled = evaluateGate({ ...input, participatingRegions: ALL },
    { ...base, name: 'shuffled', requiredRegions: ['1085', '1084', '1083', '1082', '1081'] }, NOW)
  t.same(shuffled.reasons, ['eligible cost 0 DKK is at or above 0 DKK', 'all five regions participate'])
})

t.test('ruleMet is the rule without the request: evaluateGate with reviewRequested false', async (t) => {
  const budgets = [lines(['supplier', 9_999_999]), lines(['supplier', 10_000_000]), lines(['supplier', 9_000_000], ['operations', 5_000_000]),
    lines(['internal', 6_000_000], ['consultant', 4_000_000]), lines(['interest', 20_000_000]), []]
  const regionSets = [ALL, FOUR, [...ALL].reverse(), ['1085'], [], [...ALL, '1084']]
  let cases = 0
  for (const budgetLines of budgets) {
    for (const participatingRegions of regionSets) {
      for (const reviewRequested of [false, true]) {
        const input = { budgetLines, participatingRegions, reviewRequested }
        const expected = evaluateGate({ ...input, reviewRequested: false }, REGIONS_2019, NOW).reviewRequired
        t.equal(decideGate(input, REGIONS_2019, NOW).ruleMet, expected, `${JSON.stringify(input)}`)
        cases++
      }
    }
  }
  t.equal(cases, 72)
})
