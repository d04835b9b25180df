// Danish wording for the API's codes. The API speaks English codes; the pages speak Danish.

/** @type {Record<string, string>} */
export const STATUS = {
  not_required: 'Kræver ikke vurdering',
  awaiting_assessment: 'Afventer vurdering',
  under_assessment: 'Under vurdering',
  letter_issued: 'Anbefalingsbrev udsendt',
  responded: 'Besvaret',
  withdrawn: 'Trukket tilbage'
}

/** @type {Record<string, string>} */
export const PHASE = {
  idea: 'Idé',
  analysis: 'Analyse',
  purchasing: 'Indkøb',
  delivery: 'Levering',
  realisation: 'Gevinstrealisering'
}

/** @type {Record<string, string>} */
export const BUDGET_CATEGORY = {
  supplier: 'Leverandør',
  consultant: 'Konsulenter',
  internal: 'Interne ressourcer',
  other: 'Øvrige udgifter',
  operations: 'Drift',
  interest: 'Renter'
}

/** Running costs after go-live and interest do not count toward the gated amount (API.md). */
export const NOT_GATED = new Set(['operations', 'interest'])

/**
 * The seven dimensions of the council's risk assessment, in the council's order.
 * @type {Array<{ key: string, label: string, help: string }>}
 */
export const DIMENSIONS = [
  { key: 'business', label: 'Forretning', help: 'Er behov, mål og gevinster klart beskrevet, og er projektet forankret i forretningen?' },
  { key: 'governance', label: 'Styring', help: 'Projektorganisation, ejerskab og beslutningsveje – også på tværs af regionerne.' },
  { key: 'planning', label: 'Planlægning', help: 'Er tidsplan, milepæle og afhængigheder realistiske og beskrevet?' },
  { key: 'technology', label: 'Teknologi', help: 'Teknisk kompleksitet, modenhed, arkitektur og integrationer.' },
  { key: 'supplier', label: 'Leverandør', help: 'Marked, udbudsform, kontrakt og afhængighed af leverandører.' },
  { key: 'economy', label: 'Økonomi', help: 'Er budget, reserver, finansiering og driftsøkonomi realistiske?' },
  { key: 'security', label: 'Sikkerhed', help: 'Informationssikkerhed, databeskyttelse og forsyningssikkerhed.' }
]

/** @type {Record<string, string>} */
export const DIMENSION_LABEL = Object.fromEntries(DIMENSIONS.map((d) => [d.key, d.label]))

/** Scores are 1 (low risk) … 4 (very high risk). @type {Record<number, string>} */
export const SCORE = { 1: 'Lav risiko', 2: 'Middel risiko', 3: 'Høj risiko', 4: 'Meget høj risiko' }

/** Risk profiles: A very high … D low. @type {Record<string, string>} */
export const PROFILE = { A: 'meget høj risiko', B: 'høj risiko', C: 'middel risiko', D: 'lav risiko' }

/** @param {string} profile */
export const profileText = (profile) => `${profile} – ${PROFILE[profile] ?? ''}`.trim()

/** @type {Record<string, string>} */
export const LIGHT = { green: 'Grøn', yellow: 'Gul', red: 'Rød' }

/** @type {Record<string, string>} */
export const ROLE = {
  submitter: 'Indsender',
  council_member: 'Rådsmedlem',
  secretariat: 'Sekretariat',
  integration: 'Integration',
  admin: 'Administrator'
}

/** @type {Record<string, string>} */
export const EVENT = {
  'itraad.project.submitted': 'Projektet er indsendt',
  'itraad.project.revised': 'Projektet er revideret (ny baseline)',
  'itraad.project.withdrawn': 'Projektet er trukket tilbage',
  'itraad.review.member_assigned': 'Rådsmedlem er tilknyttet',
  'itraad.review.conflict_declared': 'Rådsmedlem har erklæret sig inhabil',
  'itraad.assessment.submitted': 'Risikovurdering er afgivet',
  'itraad.letter.issued': 'Anbefalingsbrev er udsendt',
  'itraad.response.received': 'Projektets svar på anbefalingsbrevet er modtaget',
  'itraad.status_report.submitted': 'Statusrapport er indsendt',
  'itraad.project.alert': 'Alarm: statusrapport med rødt lys',
  'itraad.webhook.registered': 'Webhook er registreret'
}

/** The regions by DAGI code; the pages take the names from GET /v1/regions when signed in. */
export const REGION_FALLBACK = {
  1081: 'Region Nordjylland',
  1082: 'Region Midtjylland',
  1083: 'Region Syddanmark',
  1084: 'Region Hovedstaden',
  1085: 'Region Sjælland'
}

/**
 * The gate's reasons come from the API in English; known ones are shown in Danish.
 * @param {string} reason
 */
export function gateReason (reason) {
  let m = /^eligible cost (\d+) DKK is at or above (\d+) DKK$/.exec(reason)
  if (m) return `Medregnede omkostninger på ${dkk(m[1])} er mindst ${dkk(m[2])}`
  m = /^eligible cost (\d+) DKK is below (\d+) DKK$/.exec(reason)
  if (m) return `Medregnede omkostninger på ${dkk(m[1])} er under ${dkk(m[2])}`
  if (reason === 'all five regions participate') return 'Alle fem regioner deltager'
  m = /^only (\d+) of (\d+) required regions participate \(missing ([\d, ]+)\)$/.exec(reason)
  if (m) return `Kun ${m[1]} af ${m[2]} påkrævede regioner deltager (mangler ${m[3]})`
  m = /^all (\d+) required regions participate$/.exec(reason)
  if (m) return `Alle ${m[1]} påkrævede regioner deltager`
  if (reason === 'no regions are required') return 'Ingen regioner er påkrævet'
  m = /^the required region (\d+) participates$/.exec(reason)
  if (m) return `Den påkrævede region ${m[1]} deltager`
  if (reason === 'review requested') return 'Projektet har selv bedt om en vurdering'
  return reason
}

/** @param {string} digits */
function dkk (digits) {
  return `${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')} kr.`
}
