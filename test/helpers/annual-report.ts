import type { CouncilCode } from '../../src/domain/councils.ts'
import type { AnnualReport } from '../../src/schemas/reports.ts'

/** The annual report of a year without letters, recommendations, followed projects or closures. */
export function emptyAnnualReport (council: CouncilCode, year: number): AnnualReport {
  const noLights = { green: 0, yellow: 0, red: 0, unjudged: 0, missing: 0 }
  return {
    council,
    year,
    reviews: { letters: 0, byRiskProfile: { A: 0, B: 0, C: 0, D: 0 }, medianWorkingDaysToLetter: null, overdueLetters: 0 },
    recommendations: { total: 0, byCategory: {} },
    portfolio: { projects: 0, eligibleCostDkk: 0 },
    statusLights: { [`${year}-H1`]: noLights, [`${year}-H2`]: noLights },
    closures: 0
  }
}
