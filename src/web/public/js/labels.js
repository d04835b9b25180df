// Danish wording for the API's codes. The API speaks English codes; the pages speak Danish.
// Pure: no DOM, so that the tests can import it.
import { formatBytes, formatDate, formatDkk, formatNumber, formatPeriod } from './format.js'

/** @type {Record<string, string>} */
export const STATUS = {
  not_required: 'Kræver ikke vurdering',
  awaiting_assessment: 'Afventer vurdering',
  under_assessment: 'Under vurdering',
  letter_issued: 'Anbefalingsbrev udsendt',
  responded: 'Besvaret',
  withdrawn: 'Trukket tilbage',
  closed: 'Afsluttet'
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

/** The council's follow-up track after a red judgement (API `followUpTrack`). @type {Record<string, string>} */
export const FOLLOW_UP_TRACK = {
  back_to_plan: 'Tilbage til planen',
  new_baseline: 'Ny baseline',
  close_project: 'Projektet lukkes'
}

/** @type {Record<string, string>} */
export const ROLE = {
  submitter: 'Indsender',
  council_member: 'Rådsmedlem',
  secretariat: 'Sekretariat',
  integration: 'Integration',
  admin: 'Administrator'
}

/** A declaration of disqualification's decision (forvaltningsloven §6). @type {Record<string, string>} */
export const CONFLICT_DECISION = {
  pending: 'Afventer sekretariatets afgørelse',
  disqualified: 'Inhabil',
  not_disqualified: 'Ikke inhabil'
}

/**
 * What a project's documents are (API.md v1.1, "Documents"), as the state's project model names them.
 * @type {Record<string, string>}
 */
export const DOCUMENT_KIND = {
  pid: 'Projektgrundlag (PID)',
  business_case: 'Business case',
  risk_log: 'Risikolog',
  other: 'Andet'
}

/** @type {Record<string, string>} */
export const EVENT = {
  'itraad.project.submitted': 'Projektet er indsendt',
  'itraad.project.revised': 'Projektet er revideret (ny baseline)',
  'itraad.project.withdrawn': 'Projektet er trukket tilbage',
  'itraad.review.member_assigned': 'Rådsmedlem er tilknyttet',
  'itraad.review.conflict_declared': 'Rådsmedlem har erklæret sig inhabil',
  'itraad.review.conflict_decided': 'Afgørelse om inhabilitet',
  'itraad.assessment.submitted': 'Risikovurdering er afgivet',
  'itraad.letter.issued': 'Anbefalingsbrev er udsendt',
  'itraad.response.received': 'Projektets svar på anbefalingsbrevet er modtaget',
  'itraad.status_report.submitted': 'Statusrapport er indsendt',
  'itraad.status_report.corrected': 'Statusrapport rettet',
  'itraad.status_report.judged': 'Rådet har vurderet statusrapport',
  'itraad.baseline.approved': 'Baseline godkendt',
  'itraad.project.alert': 'Alarm: statusrapport med rødt lys',
  'itraad.follow_up.decided': 'Rådets beslutning efter rød vurdering',
  'itraad.project.closed': 'Projektet er afsluttet',
  'itraad.benefit_report.submitted': 'Gevinstopgørelse er indsendt',
  'itraad.document.added': 'Dokument er tilføjet',
  'itraad.webhook.registered': 'Webhook er registreret',
  'itraad.webhook.changed': 'Webhook er ændret',
  'itraad.webhook.deleted': 'Webhook er slettet',
  'itraad.webhook.secret_rotated': 'Webhookens hemmelighed er fornyet',
  'itraad.member.registered': 'Rådsmedlem er registreret',
  'itraad.member.changed': 'Rådsmedlemmets oplysninger er ændret'
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
 * The secretariats by code, before GET /v1/organisations has answered (the pages then take every
 * organisation's name from there).
 */
export const ORGANISATION = {
  ITR: 'Regionernes It-råds sekretariat',
  SIR: 'Statens It-råds sekretariat'
}

/**
 * An organisation's name: from `names` (GET /v1/organisations, or GET /v1/regions), else a region's
 * or a secretariat's known name, else the code itself (an organisation the pages do not know).
 * @param {string} code
 * @param {Record<string, string>} [names]
 */
export function orgName (code, names = {}) {
  return names[code] ?? /** @type {Record<string, string>} */ (REGION_FALLBACK)[code] ?? /** @type {Record<string, string>} */ (ORGANISATION)[code] ?? code
}

/** Kinds of organisation (GET /v1/organisations `kind`). @type {Record<string, string>} */
export const ORGANISATION_KIND = {
  region: 'Region',
  state_authority: 'Statslig myndighed',
  secretariat: 'Sekretariat',
  other: 'Anden organisation'
}

/** The councils by code, before GET /v1/councils has answered. @type {Record<string, string>} */
export const COUNCIL = {
  regions: 'Regionernes It-råd',
  state: 'Statens It-råd'
}

/** The council of each secretariat, before GET /v1/organisations has answered. @type {Record<string, string>} */
export const SECRETARIAT_COUNCIL = {
  ITR: 'regions',
  SIR: 'state'
}

/**
 * A council's name: from `councils` (GET /v1/councils), else the known name, else the code.
 * @param {string | null | undefined} code
 * @param {Array<{ code: string, name: string }> | null} [councils]
 */
export function councilName (code, councils) {
  if (!code) return 'Intet råd'
  return councils?.find((c) => c.code === code)?.name ?? COUNCIL[code] ?? code
}

/** A project's kind (API `kind`). @type {Record<string, string>} */
export const PROJECT_KIND = {
  project: 'Projekt',
  programme: 'Program'
}

/** A project's fields by their names in the API (a revision's changedFields). @type {Record<string, string>} */
export const PROJECT_FIELD = {
  title: 'Titel',
  description: 'Beskrivelse',
  participatingRegions: 'Deltagende regioner',
  phase: 'Fase',
  budgetLines: 'Budget',
  plannedStart: 'Planlagt start',
  plannedEnd: 'Planlagt slut',
  contact: 'Kontaktperson',
  reviewRequested: 'Ønske om vurdering',
  expectedBenefits: 'Forventede gevinster',
  kind: 'Type'
}

/** The other request fields the pages send, by their last JSON pointer segment. @type {Record<string, string>} */
const REQUEST_FIELD = {
  ...PROJECT_FIELD,
  name: 'Navn',
  email: 'E-mail',
  category: 'Kategori',
  year: 'År',
  amountDkk: 'Beløb',
  reason: 'Begrundelse',
  text: 'Tekst',
  period: 'Periode',
  cost: 'Økonomi',
  schedule: 'Tidsplan',
  financialBenefits: 'Økonomiske gevinster',
  nonFinancialBenefits: 'Ikke-økonomiske gevinster',
  comment: 'Kommentar',
  track: 'Opfølgningsspor',
  note: 'Bemærkning',
  completedOn: 'Afsluttet den',
  finalCostDkk: 'Endelige omkostninger',
  reportedOn: 'Opgjort den',
  realisedFinancialBenefitsDkk: 'Realiserede økonomiske gevinster',
  forecastCostDkk: 'Forventede omkostninger',
  forecastEndDate: 'Forventet slutdato',
  forecastFinancialBenefitsDkk: 'Forventede økonomiske gevinster',
  financialDkk: 'Økonomiske gevinster',
  overall: 'Rådets vurdering',
  version: 'Version',
  scores: 'Risiko pr. dimension',
  proposedProfile: 'Foreslået risikoprofil',
  summary: 'Sammenfatning',
  recommendations: 'Anbefalinger',
  statement: 'Rådets udtalelse',
  riskProfile: 'Risikoprofil',
  externalReviewRecommended: 'Eksternt review',
  memberSub: 'Rådsmedlemmets bruger-id',
  memberOrg: 'Rådsmedlemmets organisation',
  // A council member in the directory (POST/PATCH /v1/members).
  sub: 'Bruger-id',
  org: 'Organisation',
  ground: 'Grundlag',
  // A policy version (POST /v1/councils/{code}/policies) and an organisation (POST/PATCH /v1/organisations).
  id: 'Id',
  effectiveFrom: 'Gælder fra',
  rule: 'Regel',
  minEligibleCostDkk: 'Tærskel',
  requireAllRegions: 'Alle fem regioner',
  reviewWorkingDays: 'Arbejdsdage',
  project: 'Projekt',
  programme: 'Program',
  followUp: 'Opfølgning',
  costPct: 'Økonomi (pct.)',
  financialBenefitsPct: 'Økonomiske gevinster (pct.)',
  scheduleDays: 'Tidsplan (dage)',
  yellow: 'Gul',
  red: 'Rød',
  code: 'Kode',
  council: 'Råd',
  active: 'Aktiv',
  ...Object.fromEntries(DIMENSIONS.map((d) => [d.key, d.label]))
}

/** Lists whose items the pages number for people ("Budgetlinje 2"). @type {Record<string, string>} */
const LIST_ITEM = {
  budgetLines: 'Budgetlinje',
  recommendations: 'Anbefaling',
  participatingRegions: 'Region'
}

/**
 * A field of a request, named for people: "/budgetLines/0/amountDkk" → "Budgetlinje 1, beløb",
 * "/contact/email" → "Kontaktperson, e-mail", "/title" → "Titel". Null when the pointer names
 * nothing the pages know (the caller then shows the pointer), or the whole body ("").
 * @param {string} pointer an RFC 6901 JSON pointer, as in problem+json `errors[].path`
 * @returns {string | null}
 */
export function fieldLabel (pointer) {
  if (!pointer.startsWith('/')) return null
  const segments = pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  /** @type {string[]} */
  const parts = []
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? ''
    const next = segments[i + 1]
    if (LIST_ITEM[segment] !== undefined && next !== undefined && /^\d+$/.test(next)) {
      parts.push(`${LIST_ITEM[segment]} ${Number(next) + 1}`)
      i += 1
    } else if (REQUEST_FIELD[segment] !== undefined) {
      parts.push(parts.length === 0 ? REQUEST_FIELD[segment] : REQUEST_FIELD[segment].toLowerCase())
    } else {
      return null
    }
  }
  return parts.length === 0 ? null : parts.join(', ')
}

/** Singular and plural of the lights as counted words: 1 grøn, 2 grønne. */
const LIGHT_COUNT = {
  green: ['grøn', 'grønne'],
  yellow: ['gul', 'gule'],
  red: ['rød', 'røde']
}

/**
 * "1 grøn", "0 grønne", "2 gule"
 * @param {number} count
 * @param {'green' | 'yellow' | 'red'} light
 */
export function countLights (count, light) {
  const [one, many] = LIGHT_COUNT[light]
  return `${count} ${count === 1 ? one : many}`
}

/**
 * "1 projekt", "2 projekter"
 * @param {number} count
 * @param {string} one
 * @param {string} many
 */
export function countOf (count, one, many) {
  return `${count} ${count === 1 ? one : many}`
}

/**
 * What the timeline says of an event beside its title, from its data: in Danish and with names,
 * never the codes of the API's own one-line description.
 * @param {{ type: string, data?: Record<string, any> }} event
 * @param {Record<string, string>} [regionNames]
 * @returns {string[]} lines, possibly none
 */
export function eventDetails (event, regionNames = {}) {
  const data = event.data ?? {}
  /** @type {string[]} */
  const lines = []
  switch (event.type) {
    case 'itraad.project.submitted':
    case 'itraad.project.revised':
      if (event.type === 'itraad.project.revised') {
        if (typeof data.version === 'number') lines.push(`Version ${data.version}.`)
        if (Array.isArray(data.changedFields) && data.changedFields.length > 0) {
          lines.push(`Ændret: ${data.changedFields.map((/** @type {string} */ f) => PROJECT_FIELD[f] ?? f).join(', ')}.`)
        }
      }
      if (data.gating && typeof data.gating.reviewRequired === 'boolean') {
        lines.push(data.gating.reviewRequired ? 'Skal vurderes af rådet.' : 'Skal ikke vurderes af rådet.')
      }
      if (typeof data.status === 'string' && typeof data.previousStatus === 'string' && data.status !== data.previousStatus) {
        lines.push(`Status ændret fra "${STATUS[data.previousStatus] ?? data.previousStatus}" til "${STATUS[data.status] ?? data.status}".`)
      }
      break
    case 'itraad.project.withdrawn':
      if (typeof data.reason === 'string' && data.reason.trim() !== '') lines.push(`Begrundelse: ${data.reason}`)
      break
    case 'itraad.review.member_assigned':
    case 'itraad.review.conflict_declared':
    case 'itraad.review.conflict_decided':
      if (typeof data.memberSub === 'string') {
        // The member's and the organisation's names where the event carries them (API.md "People").
        const member = typeof data.memberName === 'string' ? data.memberName : data.memberSub
        const org = typeof data.memberOrgName === 'string'
          ? data.memberOrgName
          : typeof data.memberOrg === 'string' ? orgName(data.memberOrg, regionNames) : null
        lines.push(`Rådsmedlem: ${member}${org ? ` (${org})` : ''}.`)
      }
      if (typeof data.ground === 'string') lines.push(`Grundlag: ${data.ground}.`)
      if (typeof data.disqualified === 'boolean') lines.push(data.disqualified ? 'Afgørelse: inhabil; tilknytningen er ophørt.' : 'Afgørelse: ikke inhabil.')
      break
    case 'itraad.assessment.submitted':
      if (typeof data.proposedProfile === 'string') lines.push(`Foreslået risikoprofil: ${profileText(data.proposedProfile)}.`)
      break
    case 'itraad.letter.issued':
      if (typeof data.riskProfile === 'string') lines.push(`Risikoprofil: ${profileText(data.riskProfile)}.`)
      break
    case 'itraad.status_report.submitted':
    case 'itraad.status_report.corrected':
    case 'itraad.status_report.judged':
    case 'itraad.project.alert':
      if (typeof data.period === 'string') {
        // The council's light where the event carries it (a judgement, an alert); else the project's own.
        const light = (/** @type {string} */ l) => (LIGHT[l] ?? l).toLowerCase()
        const overall = typeof data.overall === 'string'
          ? `: ${event.type === 'itraad.status_report.submitted' ? 'samlet' : 'rådets samlede vurdering'} ${light(data.overall)}`
          : typeof data.ownOverall === 'string' ? `: projektets egen samlede vurdering ${light(data.ownOverall)}` : ''
        lines.push(`${formatPeriod(data.period)}${overall}.`)
      }
      if (event.type !== 'itraad.project.alert' && data.deviation && typeof data.deviation.costDkk === 'number') {
        lines.push(`Afvigelse: ${deviationText(data.deviation).join('; ')}.`)
      }
      break
    case 'itraad.follow_up.decided':
      if (typeof data.track === 'string') {
        lines.push(`${typeof data.period === 'string' ? `${formatPeriod(data.period)}: ` : ''}opfølgningsspor "${FOLLOW_UP_TRACK[data.track] ?? data.track}".`)
      }
      break
    case 'itraad.project.closed':
      if (typeof data.completedOn === 'string') lines.push(`Afsluttet den ${formatDate(data.completedOn)}.`)
      if (typeof data.finalCostDkk === 'number') lines.push(`Endelige omkostninger: ${formatDkk(data.finalCostDkk)}`)
      break
    case 'itraad.benefit_report.submitted':
      if (typeof data.number === 'number') {
        lines.push(`Gevinstopgørelse ${data.number}${typeof data.reportedOn === 'string' ? `, opgjort den ${formatDate(data.reportedOn)}` : ''}.`)
      }
      if (typeof data.realisedFinancialBenefitsDkk === 'number') lines.push(`Realiserede økonomiske gevinster: ${formatDkk(data.realisedFinancialBenefitsDkk)}`)
      break
    case 'itraad.document.added':
      if (typeof data.filename === 'string') {
        lines.push(`${DOCUMENT_KIND[String(data.kind)] ?? 'Dokument'}: ${data.filename}${typeof data.sizeBytes === 'number' ? ` (${formatBytes(data.sizeBytes)})` : ''}${data.supersedes ? ', ny udgave' : ''}.`)
      }
      if (typeof data.sha256 === 'string') lines.push(`SHA-256: ${data.sha256}`)
      break
    case 'itraad.baseline.approved':
      if (data.approvedBaseline && typeof data.approvedBaseline.version === 'number') {
        lines.push(`Version ${data.approvedBaseline.version} er godkendt som baseline${typeof data.previousVersion === 'number' ? ` i stedet for version ${data.previousVersion}` : ''}.`)
      }
      break
  }
  return lines
}

/**
 * The gate's reasons come from the API in English; known ones are shown in Danish, with region
 * names for codes.
 * @param {string} reason
 * @param {Record<string, string>} [regionNames]
 */
export function gateReason (reason, regionNames = {}) {
  let m = /^eligible cost (\d+) DKK is at or above (\d+) DKK$/.exec(reason)
  if (m) return `Medregnede omkostninger på ${dkk(m[1])} er mindst ${dkk(m[2])}`
  m = /^eligible cost (\d+) DKK is below (\d+) DKK$/.exec(reason)
  if (m) return `Medregnede omkostninger på ${dkk(m[1])} er under ${dkk(m[2])}`
  if (reason === 'all five regions participate') return 'Alle fem regioner deltager'
  m = /^only (\d+) of (\d+) required regions participate \(missing ([\d, ]+)\)$/.exec(reason)
  if (m) return `Kun ${m[1]} af ${m[2]} påkrævede regioner deltager (mangler ${m[3].split(/,\s*/).map((code) => orgName(code, regionNames)).join(', ')})`
  m = /^all (\d+) required regions participate$/.exec(reason)
  if (m) return `Alle ${m[1]} påkrævede regioner deltager`
  if (reason === 'no regions are required') return 'Ingen regioner er påkrævet'
  m = /^the required region (\d+) participates$/.exec(reason)
  if (m) return `Den påkrævede region ${orgName(m[1], regionNames)} deltager`
  if (reason === 'review requested') return 'Projektet har selv bedt om en vurdering'
  return reason
}

/** @param {string} digits */
function dkk (digits) {
  return `${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')} kr.`
}

/**
 * A signed percentage with a decimal comma: 6 → "+6,0 %", -2.5 → "−2,5 %", 0 → "0,0 %".
 * @param {number} pct
 */
export function formatPct (pct) {
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : ''
  const [whole = '0', fraction = '0'] = Math.abs(pct).toFixed(1).split('.')
  return `${sign}${formatNumber(Number(whole))},${fraction} %`
}

/**
 * A status report's deviation from the approved baseline in words (positive is bad news: over
 * budget, later, fewer benefits): ["Økonomi +6,0 % (600.000 kr.)", "Tidsplan 60 dage senere",
 * "Økonomiske gevinster ikke beregnet"].
 * @param {{ costDkk: number, costPct: number | null, scheduleDays: number, financialBenefitsPct: number | null }} deviation
 * @returns {string[]}
 */
export function deviationText (deviation) {
  const amount = formatDkk(deviation.costDkk)
  const cost = deviation.costPct === null ? `Økonomi ${amount}` : `Økonomi ${formatPct(deviation.costPct)} (${amount})`
  const days = Math.abs(deviation.scheduleDays)
  const schedule = deviation.scheduleDays === 0
    ? 'Tidsplan som planlagt'
    : `Tidsplan ${days} ${days === 1 ? 'dag' : 'dage'} ${deviation.scheduleDays > 0 ? 'senere' : 'tidligere'}`
  const pct = deviation.financialBenefitsPct
  const benefits = pct === null
    ? 'Økonomiske gevinster ikke beregnet'
    : pct === 0
      ? 'Økonomiske gevinster som forventet'
      : `Økonomiske gevinster ${formatPct(Math.abs(pct)).replace(/^[+−]/, '')} ${pct > 0 ? 'lavere' : 'højere'}`
  return [cost, schedule, benefits]
}
