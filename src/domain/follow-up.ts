import type { FollowUpTolerances, Tolerance } from './gate.ts'
import { STATUS_PERIOD_PATTERN, type TrafficLight } from './risk.ts'

/**
 * After the letter (API.md v1.1): which half-year a status report may cover, how far its forecast
 * deviates from the approved baseline, and the lights the policy's tolerances indicate for it.
 * Pure functions; the caller supplies today's Copenhagen date (calendar.ts, copenhagenDate).
 */

/** A half-year, 'YYYY-H1' (January–June) or 'YYYY-H2' (July–December): STATUS_PERIOD_PATTERN. */
export type Period = string

const DAY_MS = 86_400_000

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

// Strict, like calendar.ts's parser (which is not exported): '2027-02-30' must not roll over to
// 2 March, or a wrong date would quietly shift a schedule deviation. Date.UTC keeps the host's
// time zone out of it.
function parseDate (date: string): { year: number, month: number, ms: number } {
  const match = DATE_PATTERN.exec(date)
  if (match === null) throw new RangeError(`expected a date as YYYY-MM-DD, got "${date}"`)
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  // setUTCFullYear rather than Date.UTC, which reads years 0–99 as 1900–1999.
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    throw new RangeError(`no such date: "${date}"`)
  }
  return { year, month, ms: d.getTime() }
}

function assertPeriod (period: string): void {
  if (!STATUS_PERIOD_PATTERN.test(period)) throw new RangeError(`expected a period as YYYY-H1 or YYYY-H2, got "${period}"`)
}

/** The half-year a YYYY-MM-DD date falls in: 30 June is H1, 1 July is H2. */
export function halfYearOf (date: string): Period {
  const { month } = parseDate(date)
  return `${date.slice(0, 4)}-H${month <= 6 ? 1 : 2}`
}

/** Negative, zero or positive as `a` is before, the same as or after `b`. */
export function comparePeriods (a: Period, b: Period): number {
  assertPeriod(a)
  assertPeriod(b)
  // Four-digit year then H1/H2: the text order is the time order.
  return a < b ? -1 : a > b ? 1 : 0
}

export type PeriodWindow = 'ok' | 'before_letter' | 'future'

/**
 * Whether a status report may cover `period`: from the half-year the letter was issued in up to
 * the current one. `letterDate` and `today` are Copenhagen dates (copenhagenDate), so a report
 * sent at 00:30 on 1 July Danish time may already cover H2.
 */
export function periodWindow (period: Period, letterDate: string, today: string): PeriodWindow {
  if (comparePeriods(period, halfYearOf(letterDate)) < 0) return 'before_letter'
  if (comparePeriods(period, halfYearOf(today)) > 0) return 'future'
  return 'ok'
}

function abs (value: bigint): bigint {
  return value < 0n ? -value : value
}

/**
 * numerator / denominator in per cent, to one decimal, half away from zero; null when the
 * denominator is 0 (no baseline to compare with). Integer arithmetic throughout: in floating
 * point 1.15 * 10 is 11.499…, and Math.round would show 1.1 % where the report means 1.2 %.
 */
export function roundPct (numerator: number, denominator: number): number | null {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator)) {
    throw new RangeError(`roundPct takes whole amounts, got ${numerator} / ${denominator}`)
  }
  if (denominator === 0) return null
  // Tenths of a per cent: |numerator| * 1000 / |denominator|, rounded half up on the magnitude,
  // which is half away from zero once the sign goes back on.
  const n = abs(BigInt(numerator)) * 1000n
  const d = abs(BigInt(denominator))
  let tenths = n / d
  if ((n % d) * 2n >= d) tenths++
  // No '-0': a deviation that rounds to nothing reads 0.0 whichever side it is on.
  if (tenths === 0n) return 0
  const negative = (numerator < 0) !== (denominator < 0)
  // Through the decimal text rather than tenths / 10: the parse is correctly rounded even past
  // 2^53 tenths, where Number(tenths) would already have lost digits.
  return Number(`${negative ? '-' : ''}${tenths / 10n}.${tenths % 10n}`)
}

/** The approved figures a status report is measured against. */
export interface Baseline {
  eligibleCostDkk: number
  /** YYYY-MM-DD */
  plannedEnd: string
  expectedFinancialBenefitsDkk: number | null
}

/** A status report's forecast. */
export interface Forecast {
  /** The forecast of the eligible cost, so it compares with the baseline's eligibleCostDkk. */
  forecastCostDkk: number
  /** YYYY-MM-DD */
  forecastEndDate: string
  forecastFinancialBenefitsDkk: number | null
}

/**
 * Positive is bad news throughout: over budget, later, fewer benefits. The percentages are
 * rounded to one decimal, as the report shows them; null when there is nothing to compare with.
 */
export interface Deviation {
  costDkk: number
  costPct: number | null
  scheduleDays: number
  financialBenefitsPct: number | null
}

/** Calendar days from `from` to `to`, negative when `to` is earlier. */
function daysBetween (from: string, to: string): number {
  // Both are UTC midnights, so the difference is a whole number of days: no DST hour to round away.
  return (parseDate(to).ms - parseDate(from).ms) / DAY_MS
}

export function deviation (baseline: Baseline, forecast: Forecast): Deviation {
  // Whole DKK of at most 10^13 each (API.md): the difference is an exact Number.
  const costDkk = forecast.forecastCostDkk - baseline.eligibleCostDkk
  const expected = baseline.expectedFinancialBenefitsDkk
  const forecastBenefits = forecast.forecastFinancialBenefitsDkk
  return {
    costDkk,
    costPct: roundPct(costDkk, baseline.eligibleCostDkk),
    scheduleDays: daysBetween(baseline.plannedEnd, forecast.forecastEndDate),
    // A shortfall, so expected − forecast: fewer benefits than promised is positive like the rest.
    financialBenefitsPct: expected === null || forecastBenefits === null
      ? null
      : roundPct(expected - forecastBenefits, expected)
  }
}

/** The lights a policy's follow-up tolerances indicate for a deviation. */
export interface IndicatedLights {
  cost: TrafficLight | null
  schedule: TrafficLight
  financialBenefits: TrafficLight | null
}

/**
 * Below `yellow` green, below `red` yellow, else red (the bounds are inclusive, as the policy
 * schema says). Null when there is no deviation to judge.
 */
export function lightFor (value: number, tolerance: Tolerance): TrafficLight
export function lightFor (value: number | null, tolerance: Tolerance): TrafficLight | null
export function lightFor (value: number | null, tolerance: Tolerance): TrafficLight | null {
  if (value === null) return null
  // Under budget, early or more benefits is never a warning, even under a policy whose yellow
  // bound is 0 (the schema allows it).
  if (value < 0) return 'green'
  if (value < tolerance.yellow) return 'green'
  if (value < tolerance.red) return 'yellow'
  return 'red'
}

/**
 * Judges the ROUNDED percentages of `deviation`, the values the report shows: a report reading
 * 5.0 % is yellow under a 5 % bound even when the exact figure is 4.96 %, so what people see and
 * the light never disagree.
 */
export function indicatedLights (deviation: Deviation, tolerances: FollowUpTolerances): IndicatedLights {
  return {
    cost: lightFor(deviation.costPct, tolerances.costPct),
    schedule: lightFor(deviation.scheduleDays, tolerances.scheduleDays),
    financialBenefits: lightFor(deviation.financialBenefitsPct, tolerances.financialBenefitsPct)
  }
}
