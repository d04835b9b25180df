/**
 * Vocabulary of the council's risk assessment and the projects' status reports (API.md,
 * "Review"; DESIGN.md, "Domain rules worth getting exactly right").
 */

export const RISK_DIMENSIONS = [
  'business',
  'governance',
  'planning',
  'technology',
  'supplier',
  'economy',
  'security'
] as const

export type RiskDimension = (typeof RISK_DIMENSIONS)[number]

// API.md: scores are 1 (low risk) … 4 (very high risk).
export const RISK_SCORE_MIN = 1
export const RISK_SCORE_MAX = 4

export const RISK_PROFILES = ['A', 'B', 'C', 'D'] as const

export type RiskProfile = (typeof RISK_PROFILES)[number]

export const RISK_PROFILE_MEANINGS: Readonly<Record<RiskProfile, { readonly en: string, readonly da: string }>> =
  Object.freeze({
    A: Object.freeze({ en: 'very high', da: 'meget høj' }),
    B: Object.freeze({ en: 'high', da: 'høj' }),
    C: Object.freeze({ en: 'medium', da: 'middel' }),
    D: Object.freeze({ en: 'low', da: 'lav' })
  })

export const TRAFFIC_LIGHTS = ['green', 'yellow', 'red'] as const

export type TrafficLight = (typeof TRAFFIC_LIGHTS)[number]

const SEVERITY: Record<TrafficLight, number> = { green: 0, yellow: 1, red: 2 }

/**
 * The overall light of a status report is the worst of its lights (DESIGN.md); an absent light
 * (non-financial benefits are optional) does not count.
 */
export function overallLight (lights: Array<TrafficLight | null | undefined>): TrafficLight {
  let worst: TrafficLight | undefined
  for (const light of lights) {
    if (light == null) continue
    if (worst === undefined || SEVERITY[light] > SEVERITY[worst]) worst = light
  }
  if (worst === undefined) {
    // Reporting green for a report with no lights at all would hide a missing report as good
    // news; the schema requires cost, schedule and financial benefits, so this is a bug.
    throw new RangeError('a status report needs at least one traffic light')
  }
  return worst
}

// Status is reported twice a year (API.md): '2027-H1', '2027-H2'. No g flag: a global regex
// keeps lastIndex between test() calls and must not be shared.
export const STATUS_PERIOD_PATTERN = /^\d{4}-H[12]$/
