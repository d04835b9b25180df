import t from 'tap'
import {
  BUDGET_CATEGORIES,
  DEFAULT_FOLLOW_UP,
  EXCLUDED_CATEGORIES,
  SEEDED_POLICIES,
  eligibleCost,
  evaluateGate,
  decideGate,
  policyInForce,
  totalCost,
  type BudgetLine,
  type GateInput,
  type GatePolicy
} from '../../src/domain/gate.ts'

const seeded = (id: string): GatePolicy => SEEDED_POLICIES.find((policy) => policy.id === id)!
const REGIONS_2019 = seeded('regions-2019')
const STATE_2011 = seeded('state-2011')
const STATE_2021 = seeded('state-2021')

const NOW = new Date('2026-11-23T09:15:00.000Z')
const ALL = ['1081', '1082', '1083', '1084', '1085']
const FOUR = ['1081', '1082', '1083', '1084']

function lines (...spec: Array<[BudgetLine['category'], number]>): BudgetLine[] {
  return spec.map(([category, amountDkk]) => ({ category, year: 2027, amountDkk }))
}

t.test('the seeded versions are the contract\'s (API.md v1.1)', async (t) => {
  t.same(SEEDED_POLICIES.map((p) => [p.id, p.council, p.version, p.effectiveFrom, p.rule.minEligibleCostDkk, p.rule.requireAllRegions, p.reviewWorkingDays.project, p.reviewWorkingDays.programme]), [
    ['regions-2019', 'regions', 1, '2019-12-01', 10_000_000, true, 10, 10],
    ['state-2011', 'state', 1, '2011-01-01', 10_000_000, false, 10, 15],
    ['state-2021', 'state', 2, '2021-01-01', 15_000_000, false, 10, 15]
  ])
  for (const policy of SEEDED_POLICIES) t.same(policy.followUp, DEFAULT_FOLLOW_UP, `${policy.id}: the documented follow-up tolerances`)
  t.same(DEFAULT_FOLLOW_UP, { costPct: { yellow: 5, red: 15 }, financialBenefitsPct: { yellow: 5, red: 15 }, scheduleDays: { yellow: 30, red: 90 } })
  t.same(EXCLUDED_CATEGORIES, ['operations', 'interest'])
  t.ok(Object.isFrozen(SEEDED_POLICIES))
  t.same(BUDGET_CATEGORIES, ['supplier', 'consultant', 'internal', 'other', 'operations', 'interest'])
})

t.test('the version in force on a date: the latest effective on or before it', async (t) => {
  const state = SEEDED_POLICIES.filter((p) => p.council === 'state')
  const future: GatePolicy = { ...STATE_2021, id: 'state-2030', version: 3, effectiveFrom: '2030-07-01' }
  const cases: Array<[readonly GatePolicy[], string, string | undefined]> = [
    [state, '2010-12-31', undefined],
    [state, '2011-01-01', 'state-2011'],
    [state, '2020-12-31', 'state-2011'],
    [state, '2021-01-01', 'state-2021'],
    [state, '2026-12-03', 'state-2021'],
    [[...state, future], '2030-06-30', 'state-2021'],
    [[...state, future], '2030-07-01', 'state-2030'],
    [[future, ...state].reverse(), '2031-01-01', 'state-2030'],
    [[REGIONS_2019], '2019-11-30', undefined],
    [[REGIONS_2019], '2019-12-01', 'regions-2019'],
    [[], '2026-01-01', undefined]
  ]
  for (const [policies, date, expected] of cases) t.equal(policyInForce(policies, date)?.id, expected, `${date} of ${policies.map((p) => p.id).join(', ') || 'none'}`)
})

t.test('the state versions at every edge: the threshold inclusive, no regions needed', async (t) => {
  const cases: Array<[GatePolicy, number, readonly string[], boolean]> = [
    [STATE_2011, 9_999_999, [], false],
    [STATE_2011, 10_000_000, [], true],
    [STATE_2011, 10_000_000, ['1084'], true],
    [STATE_2021, 10_000_000, [], false],
    [STATE_2021, 14_999_999, ALL, false],
    [STATE_2021, 15_000_000, [], true],
    [STATE_2021, 15_000_001, ['1081', '1082'], true]
  ]
  for (const [policy, amount, participatingRegions, reviewRequired] of cases) {
    const input: GateInput = { budgetLines: lines(['supplier', amount], ['operations', 5_000_000]), participatingRegions, reviewRequested: false }
    const evaluation = evaluateGate(input, policy, NOW)
    const threshold = policy.rule.minEligibleCostDkk
    t.same(evaluation, {
      reviewRequired,
      policy: policy.id,
      policyVersion: policy.version,
      reasons: [reviewRequired ? `eligible cost ${amount} DKK is at or above ${threshold} DKK` : `eligible cost ${amount} DKK is below ${threshold} DKK`],
      evaluatedAt: NOW.toISOString(),
      eligibleCostDkk: amount,
      totalCostDkk: amount + 5_000_000
    }, `${policy.id}, ${amount} DKK, ${participatingRegions.length} regions`)
    t.equal(decideGate(input, policy, NOW).ruleMet, reviewRequired)
    t.same(evaluateGate({ ...input, reviewRequested: true }, policy, NOW).reasons.at(-1), 'review requested')
    t.equal(evaluateGate({ ...input, reviewRequested: true }, policy, NOW).reviewRequired, true)
  }
})

t.test('totalCost and eligibleCost', async (t) => {
  const budget = lines(['supplier', 6_000_000], ['internal', 4_000_000], ['operations', 900_000],
    ['interest', 100_000], ['consultant', 1], ['other', 2])
  t.equal(totalCost(budget), 11_000_003)
  t.equal(eligibleCost(budget), 10_000_003)
  t.equal(totalCost([]), 0)
  t.equal(eligibleCost([]), 0)
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

t.test('policies are data: a made-up regional version with another threshold', async (t) => {
  const policy: GatePolicy = { ...REGIONS_2019, id: 'regions-2030', version: 2, effectiveFrom: '2030-01-01', rule: { minEligibleCostDkk: 5_000_000, requireAllRegions: true } }
  const cases: Array<{ name: string, input: GateInput, reviewRequired: boolean, reasons: string[] }> = [
    {
      name: 'all five and 5M',
      input: { budgetLines: lines(['supplier', 4_000_000], ['consultant', 1_000_000], ['interest', 1_000_000]), participatingRegions: ALL, reviewRequested: false },
      reviewRequired: true,
      reasons: ['eligible cost 5000000 DKK is at or above 5000000 DKK', 'all five regions participate']
    },
    {
      name: 'a missing region',
      input: { budgetLines: lines(['supplier', 5_000_000]), participatingRegions: ['1081', '1082', '1084'], reviewRequested: false },
      reviewRequired: false,
      reasons: ['eligible cost 5000000 DKK is at or above 5000000 DKK', 'only 3 of 5 required regions participate (missing 1083, 1085)']
    },
    {
      name: 'below its own threshold',
      input: { budgetLines: lines(['supplier', 4_999_999], ['operations', 10_000_000]), participatingRegions: ALL, reviewRequested: false },
      reviewRequired: false,
      reasons: ['eligible cost 4999999 DKK is below 5000000 DKK', 'all five regions participate']
    }
  ]
  for (const c of cases) {
    const evaluation = evaluateGate(c.input, policy, NOW)
    t.equal(evaluation.reviewRequired, c.reviewRequired, `${c.name}: reviewRequired`)
    t.equal(decideGate(c.input, policy, NOW).ruleMet, c.reviewRequired, `${c.name}: ruleMet`)
    t.same(evaluation.reasons, c.reasons, `${c.name}: reasons`)
    t.equal(evaluation.policy, 'regions-2030')
    t.equal(evaluation.policyVersion, 2)
  }
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
