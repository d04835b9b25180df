import fc from 'fast-check'
import t from 'tap'
import { copenhagenDate } from '../../src/domain/calendar.ts'
import {
  comparePeriods,
  deviation,
  halfYearOf,
  indicatedLights,
  lightFor,
  periodWindow,
  roundPct,
  type Baseline,
  type Deviation,
  type Forecast,
  type IndicatedLights,
  type PeriodWindow
} from '../../src/domain/follow-up.ts'
import { DEFAULT_FOLLOW_UP, type Tolerance } from '../../src/domain/gate.ts'
import type { TrafficLight } from '../../src/domain/risk.ts'

const COST = DEFAULT_FOLLOW_UP.costPct
const BENEFITS = DEFAULT_FOLLOW_UP.financialBenefitsPct
const SCHEDULE = DEFAULT_FOLLOW_UP.scheduleDays

// 10 MDKK of eligible cost, 20 MDKK of benefits, ending 30 June 2028: every edge below is a round
// number of DKK or days away from these.
const BASELINE: Baseline = { eligibleCostDkk: 10_000_000, plannedEnd: '2028-06-30', expectedFinancialBenefitsDkk: 20_000_000 }
const ON_PLAN: Forecast = { forecastCostDkk: 10_000_000, forecastEndDate: '2028-06-30', forecastFinancialBenefitsDkk: 20_000_000 }

t.test('the edges below are the documented default tolerances', async (t) => {
  t.same(DEFAULT_FOLLOW_UP, { costPct: { yellow: 5, red: 15 }, financialBenefitsPct: { yellow: 5, red: 15 }, scheduleDays: { yellow: 30, red: 90 } })
})

t.test('halfYearOf: January–June is H1, July–December H2', async (t) => {
  const cases: Array<[string, string]> = [
    ['2027-01-01', '2027-H1'],
    ['2027-06-30', '2027-H1'],
    ['2027-07-01', '2027-H2'],
    ['2027-12-31', '2027-H2'],
    ['2028-01-01', '2028-H1'],
    ['2028-02-29', '2028-H1'],
    ['0999-09-09', '0999-H2']
  ]
  for (const [date, period] of cases) t.equal(halfYearOf(date), period, date)
  for (const bad of ['2027-02-29', '2027-13-01', '2027-00-10', '2027-06-31', '2027-7-1', '27-07-01', '2027-07-01T00:00:00Z', '']) {
    t.throws(() => halfYearOf(bad), RangeError, `"${bad}" is refused`)
  }
})

t.test('comparePeriods: time order, across years', async (t) => {
  const cases: Array<[string, string, number]> = [
    ['2027-H1', '2027-H2', -1],
    ['2027-H2', '2027-H1', 1],
    ['2027-H2', '2028-H1', -1],
    ['2028-H1', '2027-H2', 1],
    ['2027-H1', '2027-H1', 0],
    ['2026-H2', '2027-H1', -1],
    ['0999-H2', '1000-H1', -1]
  ]
  for (const [a, b, sign] of cases) t.equal(Math.sign(comparePeriods(a, b)), sign, `${a} vs ${b}`)
  for (const bad of ['2027-H3', '2027-h1', '27-H1', '2027H1', '2027-H1 ', '']) {
    t.throws(() => comparePeriods(bad, '2027-H1'), RangeError, `"${bad}" is refused`)
    t.throws(() => comparePeriods('2027-H1', bad), RangeError, `"${bad}" is refused on the right too`)
  }
})

t.test('periodWindow: from the letter\'s half-year to the current one', async (t) => {
  const cases: Array<[string, string, string, PeriodWindow]> = [
    // period, letter date, today
    ['2027-H1', '2027-05-10', '2028-01-15', 'ok'],
    ['2026-H2', '2027-05-10', '2028-01-15', 'before_letter'],
    ['2026-H1', '2027-05-10', '2028-01-15', 'before_letter'],
    ['2027-H2', '2027-05-10', '2028-01-15', 'ok'],
    ['2028-H1', '2027-05-10', '2028-01-15', 'ok'],
    ['2028-H2', '2027-05-10', '2028-01-15', 'future'],
    ['2029-H1', '2027-05-10', '2028-01-15', 'future'],
    // The letter on the last day of a year: that H2 is its own, the H1 before it is not.
    ['2027-H2', '2027-12-31', '2027-12-31', 'ok'],
    ['2027-H1', '2027-12-31', '2027-12-31', 'before_letter'],
    ['2028-H1', '2027-12-31', '2027-12-31', 'future'],
    // ... and on the first day of the next: the year before is before the letter.
    ['2027-H2', '2028-01-01', '2028-01-01', 'before_letter'],
    ['2028-H1', '2028-01-01', '2028-01-01', 'ok'],
    ['2028-H2', '2028-01-01', '2028-06-30', 'future'],
    ['2028-H2', '2028-01-01', '2028-07-01', 'ok'],
    // The half-year turns on 1 July.
    ['2027-H1', '2027-06-30', '2027-06-30', 'ok'],
    ['2027-H2', '2027-06-30', '2027-06-30', 'future'],
    ['2027-H2', '2027-06-30', '2027-07-01', 'ok'],
    ['2027-H1', '2027-07-01', '2027-07-01', 'before_letter'],
    ['2027-H2', '2027-07-01', '2027-07-01', 'ok']
  ]
  for (const [period, letterDate, today, expected] of cases) {
    t.equal(periodWindow(period, letterDate, today), expected, `${period}, letter ${letterDate}, today ${today}`)
  }
  // Copenhagen time: 00:30 on 1 July in Denmark is still 30 June in UTC, and H2 has begun.
  const today = copenhagenDate(new Date('2027-06-30T22:30:00Z'))
  t.equal(today, '2027-07-01')
  t.equal(periodWindow('2027-H2', '2027-03-01', today), 'ok', 'H2 from 00:30 Danish time on 1 July')
  t.equal(periodWindow('2027-H2', '2027-03-01', copenhagenDate(new Date('2027-06-30T21:59:59Z'))), 'future', 'not at 23:59:59')
  t.throws(() => periodWindow('2027-H3', '2027-03-01', '2027-07-01'), RangeError)
  t.throws(() => periodWindow('2027-H2', '2027-02-30', '2027-07-01'), RangeError)
})

t.test('roundPct: one decimal, half away from zero, exact', async (t) => {
  const cases: Array<[number, number, number | null, string]> = [
    [1, 20, 5, 'exactly 5 %'],
    [1, 2000, 0.1, '0.05 % rounds up'],
    [-1, 2000, -0.1, '−0.05 % rounds away from zero, not up'],
    [495, 10_000, 5, '4.95 % → 5.0'],
    [494, 10_000, 4.9, '4.94 % → 4.9'],
    [4949, 100_000, 4.9, '4.949 % → 4.9'],
    [-5, 10_000, -0.1, '−0.05 % → −0.1'],
    [-4, 10_000, 0, '−0.04 % → 0.0'],
    [115, 10_000, 1.2, '1.15 %: in floats 1.15 * 10 is 11.499…'],
    [1005, 100_000, 1, '1.005 % → 1.0'],
    [1, 3, 33.3, 'a third'],
    [2, 3, 66.7, 'two thirds'],
    [-2, 3, -66.7, 'minus two thirds'],
    [1, -20, -5, 'a negative denominator flips the sign'],
    [-1, -20, 5, 'two negatives'],
    [0, 5, 0, 'no deviation'],
    [5, 0, null, 'no baseline'],
    [0, 0, null, 'no baseline, no deviation'],
    [-5, 0, null, 'no baseline, negative'],
    // At the money limit (10^13 DKK), where floating point would blur the half.
    [495_000_000_000, 10_000_000_000_000, 5, '4.95 % of 10^13'],
    [494_999_999_999, 10_000_000_000_000, 4.9, 'one krone short of 4.95 % of 10^13'],
    [-495_000_000_000, 10_000_000_000_000, -5, '−4.95 % of 10^13'],
    [115_000_000_000, 10_000_000_000_000, 1.2, '1.15 % of 10^13'],
    [9_999_999_999_999, 10_000_000_000_000, 100, '99.99999999999 % → 100.0'],
    [1, 10_000_000_000_000, 0, 'one krone of 10^13'],
    [10_000_000_000_000, 1, 1_000_000_000_000_000, '10^13 of 1 DKK'],
    [Number.MAX_SAFE_INTEGER, 1, 900_719_925_474_099_100, 'past 2^53 tenths, still the nearest double']
  ]
  for (const [numerator, denominator, expected, name] of cases) {
    t.equal(roundPct(numerator, denominator), expected, `${numerator} / ${denominator}: ${name}`)
  }
  t.ok(Object.is(roundPct(-4, 10_000), 0), 'never −0')
  t.ok(Object.is(roundPct(0, -5), 0), 'never −0, negative denominator')
  for (const [numerator, denominator] of [[1.5, 2], [1, 0.5], [Number.NaN, 1], [1, Number.POSITIVE_INFINITY], [2 ** 53, 1]]) {
    t.throws(() => roundPct(numerator!, denominator!), RangeError, `${numerator} / ${denominator} is refused`)
  }
})

t.test('roundPct property: the nearest tenth, ties away from zero', async (t) => {
  const amount = fc.integer({ min: -10_000_000_000_000, max: 10_000_000_000_000 })
  const details = fc.check(fc.property(amount, amount.filter((d) => d !== 0), (numerator, denominator) => {
    const pct = roundPct(numerator, denominator)!
    // Below 10^12 % the tenths are exact in a double, so they can be read back.
    fc.pre(Math.abs(pct) < 1e12)
    const tenths = BigInt(Math.round(pct * 10))
    const exact = BigInt(numerator) * 1000n // tenths of a per cent, times the denominator
    const d = BigInt(denominator)
    const abs = (x: bigint): bigint => (x < 0n ? -x : x)
    const off = abs(exact - tenths * d) * 2n
    if (off > abs(d)) return false // not the nearest tenth
    if (off === abs(d) && abs(tenths * d) < abs(exact)) return false // a tie rounded toward zero
    return Number(pct.toFixed(1)) === pct
  }), { numRuns: 2000 })
  t.notOk(details.failed, details.failed ? String(fc.defaultReportMessage(details)) : `${details.numRuns} runs`)
})

t.test('lightFor at every edge of the default tolerances', async (t) => {
  const cases: Array<[string, Tolerance, number | null, TrafficLight | null]> = [
    ['costPct', COST, -50, 'green'],
    ['costPct', COST, -0.1, 'green'],
    ['costPct', COST, 0, 'green'],
    ['costPct', COST, 4.9, 'green'],
    ['costPct', COST, 5, 'yellow'],
    ['costPct', COST, 14.9, 'yellow'],
    ['costPct', COST, 15, 'red'],
    ['costPct', COST, 1_000_000_000_000_000, 'red'],
    ['costPct', COST, null, null],
    ['financialBenefitsPct', BENEFITS, -25, 'green'],
    ['financialBenefitsPct', BENEFITS, 4.9, 'green'],
    ['financialBenefitsPct', BENEFITS, 5, 'yellow'],
    ['financialBenefitsPct', BENEFITS, 14.9, 'yellow'],
    ['financialBenefitsPct', BENEFITS, 15, 'red'],
    ['financialBenefitsPct', BENEFITS, 100, 'red'],
    ['financialBenefitsPct', BENEFITS, null, null],
    ['scheduleDays', SCHEDULE, -400, 'green'],
    ['scheduleDays', SCHEDULE, 0, 'green'],
    ['scheduleDays', SCHEDULE, 29, 'green'],
    ['scheduleDays', SCHEDULE, 30, 'yellow'],
    ['scheduleDays', SCHEDULE, 89, 'yellow'],
    ['scheduleDays', SCHEDULE, 90, 'red'],
    ['scheduleDays', SCHEDULE, 3650, 'red'],
    // Policies are data: a zero yellow bound, and yellow equal to red.
    ['zero yellow', { yellow: 0, red: 10 }, 0, 'yellow'],
    ['zero yellow', { yellow: 0, red: 10 }, -0.1, 'green'],
    ['zero yellow and red', { yellow: 0, red: 0 }, 0, 'red'],
    ['zero yellow and red', { yellow: 0, red: 0 }, -1, 'green'],
    ['yellow = red', { yellow: 10, red: 10 }, 9.9, 'green'],
    ['yellow = red', { yellow: 10, red: 10 }, 10, 'red']
  ]
  for (const [name, tolerance, value, expected] of cases) t.equal(lightFor(value, tolerance), expected, `${name} ${value}`)
})

t.test('deviation and indicatedLights against the baseline', async (t) => {
  const cases: Array<{ name: string, baseline?: Partial<Baseline>, forecast: Partial<Forecast>, deviation: Deviation, lights: IndicatedLights }> = [
    {
      name: 'on plan',
      forecast: {},
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    // Cost: 1 % of the baseline is 100,000 DKK.
    {
      name: 'cost 4.9 %',
      forecast: { forecastCostDkk: 10_490_000 },
      deviation: { costDkk: 490_000, costPct: 4.9, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'cost 4.94999 % shows 4.9',
      forecast: { forecastCostDkk: 10_494_999 },
      deviation: { costDkk: 494_999, costPct: 4.9, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'cost 4.95 % shows 5.0 and is yellow, as it reads',
      forecast: { forecastCostDkk: 10_495_000 },
      deviation: { costDkk: 495_000, costPct: 5, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'yellow', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'cost 5.0 %',
      forecast: { forecastCostDkk: 10_500_000 },
      deviation: { costDkk: 500_000, costPct: 5, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'yellow', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'cost 14.9 %',
      forecast: { forecastCostDkk: 11_490_000 },
      deviation: { costDkk: 1_490_000, costPct: 14.9, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'yellow', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'cost 14.94999 % shows 14.9',
      forecast: { forecastCostDkk: 11_494_999 },
      deviation: { costDkk: 1_494_999, costPct: 14.9, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'yellow', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'cost 14.95 % shows 15.0 and is red',
      forecast: { forecastCostDkk: 11_495_000 },
      deviation: { costDkk: 1_495_000, costPct: 15, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'red', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'cost 15.0 %',
      forecast: { forecastCostDkk: 11_500_000 },
      deviation: { costDkk: 1_500_000, costPct: 15, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'red', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'cost −0.05 % shows −0.1',
      forecast: { forecastCostDkk: 9_995_000 },
      deviation: { costDkk: -5000, costPct: -0.1, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'one krone under budget shows 0.0',
      forecast: { forecastCostDkk: 9_999_999 },
      deviation: { costDkk: -1, costPct: 0, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'half the budget',
      forecast: { forecastCostDkk: 5_000_000 },
      deviation: { costDkk: -5_000_000, costPct: -50, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    // Exact halves with small integers.
    {
      name: '1 DKK over a 20 DKK baseline is 5.0 %',
      baseline: { eligibleCostDkk: 20 },
      forecast: { forecastCostDkk: 21 },
      deviation: { costDkk: 1, costPct: 5, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'yellow', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: '1 DKK over 2000 is 0.05 % → 0.1',
      baseline: { eligibleCostDkk: 2000 },
      forecast: { forecastCostDkk: 2001 },
      deviation: { costDkk: 1, costPct: 0.1, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: '1 DKK under 2000 is −0.05 % → −0.1',
      baseline: { eligibleCostDkk: 2000 },
      forecast: { forecastCostDkk: 1999 },
      deviation: { costDkk: -1, costPct: -0.1, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'a zero baseline: the amount, but no percentage and no light',
      baseline: { eligibleCostDkk: 0 },
      forecast: { forecastCostDkk: 100_000 },
      deviation: { costDkk: 100_000, costPct: null, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: null, schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'a zero baseline and a zero forecast',
      baseline: { eligibleCostDkk: 0 },
      forecast: { forecastCostDkk: 0 },
      deviation: { costDkk: 0, costPct: null, scheduleDays: 0, financialBenefitsPct: 0 },
      lights: { cost: null, schedule: 'green', financialBenefits: 'green' }
    },
    // Schedule: 30 June 2028 + n days.
    {
      name: '29 days late',
      forecast: { forecastEndDate: '2028-07-29' },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 29, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: '30 days late',
      forecast: { forecastEndDate: '2028-07-30' },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 30, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'yellow', financialBenefits: 'green' }
    },
    {
      name: '89 days late',
      forecast: { forecastEndDate: '2028-09-27' },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 89, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'yellow', financialBenefits: 'green' }
    },
    {
      name: '90 days late',
      forecast: { forecastEndDate: '2028-09-28' },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 90, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'red', financialBenefits: 'green' }
    },
    {
      name: '29 days early',
      forecast: { forecastEndDate: '2028-06-01' },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: -29, financialBenefitsPct: 0 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    // Financial benefits: 1 % of the expected 20 MDKK is 200,000 DKK; a shortfall is positive.
    {
      name: 'benefits 4.9 % short',
      forecast: { forecastFinancialBenefitsDkk: 19_020_000 },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: 4.9 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'benefits 4.95 % short shows 5.0',
      forecast: { forecastFinancialBenefitsDkk: 19_010_000 },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: 5 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'yellow' }
    },
    {
      name: 'benefits 5.0 % short',
      forecast: { forecastFinancialBenefitsDkk: 19_000_000 },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: 5 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'yellow' }
    },
    {
      name: 'benefits 14.9 % short',
      forecast: { forecastFinancialBenefitsDkk: 17_020_000 },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: 14.9 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'yellow' }
    },
    {
      name: 'benefits 14.95 % short shows 15.0',
      forecast: { forecastFinancialBenefitsDkk: 17_010_000 },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: 15 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'red' }
    },
    {
      name: 'benefits 15.0 % short',
      forecast: { forecastFinancialBenefitsDkk: 17_000_000 },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: 15 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'red' }
    },
    {
      name: 'more benefits than expected',
      forecast: { forecastFinancialBenefitsDkk: 25_000_000 },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: -25 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'green' }
    },
    {
      name: 'no benefits at all',
      forecast: { forecastFinancialBenefitsDkk: 0 },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: 100 },
      lights: { cost: 'green', schedule: 'green', financialBenefits: 'red' }
    },
    {
      name: 'no expected benefits in the baseline',
      baseline: { expectedFinancialBenefitsDkk: null },
      forecast: { forecastFinancialBenefitsDkk: 1_000_000 },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: null },
      lights: { cost: 'green', schedule: 'green', financialBenefits: null }
    },
    {
      name: 'zero expected benefits',
      baseline: { expectedFinancialBenefitsDkk: 0 },
      forecast: { forecastFinancialBenefitsDkk: 0 },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: null },
      lights: { cost: 'green', schedule: 'green', financialBenefits: null }
    },
    {
      name: 'no forecast of the benefits',
      forecast: { forecastFinancialBenefitsDkk: null },
      deviation: { costDkk: 0, costPct: 0, scheduleDays: 0, financialBenefitsPct: null },
      lights: { cost: 'green', schedule: 'green', financialBenefits: null }
    },
    {
      name: 'everything at once, each light its own',
      forecast: { forecastCostDkk: 11_200_000, forecastEndDate: '2029-01-01', forecastFinancialBenefitsDkk: 19_500_000 },
      deviation: { costDkk: 1_200_000, costPct: 12, scheduleDays: 185, financialBenefitsPct: 2.5 },
      lights: { cost: 'yellow', schedule: 'red', financialBenefits: 'green' }
    }
  ]
  for (const c of cases) {
    const d = deviation({ ...BASELINE, ...c.baseline }, { ...ON_PLAN, ...c.forecast })
    t.same(d, c.deviation, `${c.name}: deviation`)
    t.same(indicatedLights(d, DEFAULT_FOLLOW_UP), c.lights, `${c.name}: lights`)
  }
})

t.test('scheduleDays counts calendar days across months, leap years and DST', async (t) => {
  const cases: Array<[string, string, number]> = [
    ['2028-02-28', '2028-03-01', 2],
    ['2027-02-28', '2027-03-01', 1],
    ['2028-02-29', '2029-03-01', 366],
    ['2100-02-28', '2100-03-01', 1],
    ['2000-02-28', '2000-03-01', 2],
    ['2027-12-31', '2028-01-01', 1],
    ['2027-01-31', '2027-02-01', 1],
    ['2028-03-01', '2028-02-28', -2],
    ['2027-03-27', '2027-03-29', 2],
    ['2027-10-30', '2027-11-01', 2],
    ['2027-06-30', '2027-06-30', 0]
  ]
  for (const [plannedEnd, forecastEndDate, days] of cases) {
    t.equal(deviation({ ...BASELINE, plannedEnd }, { ...ON_PLAN, forecastEndDate }).scheduleDays, days, `${plannedEnd} → ${forecastEndDate}`)
  }
  t.throws(() => deviation({ ...BASELINE, plannedEnd: '2027-02-29' }, ON_PLAN), RangeError, 'no such planned end')
  t.throws(() => deviation(BASELINE, { ...ON_PLAN, forecastEndDate: '2028-6-30' }), RangeError, 'not YYYY-MM-DD')
})
