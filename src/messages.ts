import { z } from 'zod'
import type { ProjectAction, ProjectStatus } from './domain/lifecycle.ts'
import type { ErrorCode } from './errors.ts'
import { STATUS_DA } from './modules/projects/gating.ts'

/**
 * The message catalogue: every problem title, every problem detail and every field message the
 * API answers with, in English and in Danish (API.md, "Danish errors"). Call sites name a key and
 * its typed parameters, `msg('alreadyAssessed', { reference })`; the error handler renders the
 * message in the language the request asked for (`negotiateLanguage`).
 */

export const LANGUAGES = ['en', 'da'] as const
export type Language = typeof LANGUAGES[number]

/** The `title` of each kind of problem. */
export const TITLES = {
  VALIDATION_FAILED: { en: 'Request does not match the schema', da: 'Anmodningen overholder ikke skemaet' },
  MALFORMED_JSON: { en: 'Malformed JSON body', da: 'Indholdet er ikke gyldig JSON' },
  BAD_REQUEST: { en: 'Bad request', da: 'Ugyldig anmodning' },
  POSITION_BEYOND_HEAD: { en: 'Position is beyond the newest sealed event', da: 'Positionen ligger efter den nyeste forseglede hændelse' },
  UNAUTHENTICATED: { en: 'Missing or invalid bearer token', da: 'Adgangstoken mangler eller er ugyldigt' },
  FORBIDDEN: { en: 'Your role may not perform this operation', da: 'Din rolle giver ikke adgang til denne handling' },
  UNKNOWN_ORGANISATION: { en: 'Your organisation may not submit projects', da: 'Din organisation kan ikke indsende projekter' },
  NOT_FOUND: { en: 'Not found', da: 'Findes ikke' },
  ROUTE_NOT_FOUND: { en: 'No such route', da: 'Adressen findes ikke' },
  METHOD_NOT_ALLOWED: { en: 'Method not allowed', da: 'Metoden er ikke tilladt' },
  NOT_ACCEPTABLE: { en: 'None of the acceptable media types can be answered', da: 'Ingen af de ønskede medietyper kan leveres' },
  STATE_CONFLICT: { en: 'The current state does not allow this', da: 'Den nuværende tilstand tillader ikke handlingen' },
  DUPLICATE: { en: 'Already exists', da: 'Findes allerede' },
  CONFLICT_OF_INTEREST: { en: 'Conflict of interest', da: 'Inhabilitet' },
  IDEMPOTENCY_IN_PROGRESS: { en: 'A request with this Idempotency-Key is still being processed', da: 'En anmodning med denne Idempotency-Key er stadig under behandling' },
  PRECONDITION_FAILED: { en: 'If-Match does not match the current ETag', da: 'If-Match svarer ikke til den aktuelle ETag' },
  PAYLOAD_TOO_LARGE: { en: 'Request body is larger than 1 MiB', da: 'Anmodningens indhold er større end 1 MiB' },
  UNSUPPORTED_MEDIA_TYPE: { en: 'Request body must be application/json', da: 'Anmodningens indhold skal være application/json' },
  IDEMPOTENCY_KEY_REUSED: { en: 'Idempotency-Key reused with a different body', da: 'Idempotency-Key er genbrugt med et andet indhold' },
  RULE_VIOLATION: { en: 'The request breaks a rule of the council', da: 'Anmodningen bryder en af rådets regler' },
  PRECONDITION_REQUIRED: { en: 'If-Match is required', da: 'If-Match er påkrævet' },
  RATE_LIMITED: { en: 'Too many requests', da: 'For mange anmodninger' },
  INTERNAL: { en: 'Internal error', da: 'Intern fejl' },
  UNAVAILABLE: { en: 'Service unavailable', da: 'Tjenesten er ikke tilgængelig' }
} as const satisfies Record<ErrorCode, Record<Language, string>>

/**
 * The rules of the request schemas (src/schemas) that zod's own messages do not cover. A schema
 * names the rule by its key (`rule('oneLine')`, the English text as zod's message); the error
 * handler finds the rule again by that text and answers in the request's language.
 */
export const RULES = {
  wellFormedUnicode: { en: 'must be well-formed Unicode', da: 'skal være gyldig Unicode' },
  oneLine: { en: 'must be one line without control characters', da: 'skal være én linje uden kontroltegn' },
  noInvisibleControls: {
    en: 'must not contain bidirectional controls, line separators or C1 controls',
    da: 'må ikke indeholde tegn for tekstretning, linjeseparatorer eller C1-kontroltegn'
  },
  visibleCharacter: { en: 'must contain a visible character', da: 'skal indeholde mindst ét synligt tegn' },
  noControlCharacters: { en: 'must not contain control characters', da: 'må ikke indeholde kontroltegn' },
  noSurroundingSpace: { en: 'must not begin or end with white space', da: 'må ikke begynde eller slutte med mellemrum' },
  projectIdOrReference: {
    en: 'must be a project id (UUID) or a reference such as ITR-2026-0001',
    da: 'skal være et projekt-id (UUID) eller et referencenummer som ITR-2026-0001'
  },
  plannedDateYears: { en: 'must be a date in the years 2000 to 2100', da: 'skal være en dato i årene 2000 til 2100' },
  regionCodesDistinct: { en: 'region codes must be distinct', da: 'regionskoderne skal være forskellige' },
  plannedEndBeforeStart: { en: 'plannedEnd must be on or after plannedStart', da: 'plannedEnd skal være samme dag som eller senere end plannedStart' },
  atLeastOneField: { en: 'at least one field must be given', da: 'mindst ét felt skal udfyldes' },
  printableAscii: { en: 'must be printable ASCII', da: 'må kun bestå af synlige ASCII-tegn og mellemrum' },
  entityTags: { en: 'must be one or more entity tags, e.g. "3"', da: 'skal være en eller flere ETag-værdier, f.eks. "3"' },
  sequenceNumber: { en: 'must be a sequence number (decimal digits)', da: 'skal være et sekvensnummer (decimale cifre)' },
  eventTypesDistinct: { en: 'event types must be distinct', da: 'hændelsestyperne skal være forskellige' },
  starOnlyEntry: { en: '"*" must be the only entry', da: '"*" skal være det eneste element' },
  organisationCode: { en: 'must be an organisation code such as 1084', da: 'skal være en organisationskode som 1084' },
  yellowNotAboveRed: { en: 'yellow must not be above red', da: 'gul må ikke ligge over rød' },
  policyId: { en: 'must be lower-case letters, digits and hyphens, e.g. state-2027', da: 'skal bestå af små bogstaver, cifre og bindestreger, f.eks. state-2027' }
} as const satisfies Record<string, Record<Language, string>>

export type RuleKey = keyof typeof RULES

/** A rule's text for a zod schema (English, as zod reports it; the error handler translates it). */
export const rule = (key: RuleKey): string => RULES[key].en

const RULE_BY_TEXT = new Map(Object.entries(RULES).map(([key, texts]) => [texts.en as string, key as RuleKey]))

// ---------------------------------------------------------------------------------------------
// Vocabulary the messages share

/** Things that may be "not found". */
export type Thing = 'project' | 'response' | 'webhook' | 'delivery' | 'resource' | 'council' | 'organisation' | 'member' | 'conflict' | 'status report' | 'document'
const THING_DA: Record<Thing, string> = {
  project: 'projektet',
  response: 'svaret',
  webhook: 'webhooken',
  delivery: 'leverancen',
  resource: 'ressourcen',
  council: 'rådet',
  organisation: 'organisationen',
  member: 'rådsmedlemmet',
  'status report': 'statusrapporten',
  conflict: 'erklæringen om inhabilitet',
  document: 'dokumentet'
}

/** The part of a request that failed validation (fastify's `validationContext`). */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers'
const PART_DA: Record<RequestPart, { name: string, invalid: string }> = {
  body: { name: 'indholdet', invalid: 'indholdet er ugyldigt' },
  querystring: { name: 'forespørgslen', invalid: 'forespørgslen er ugyldig' },
  params: { name: 'stien', invalid: 'stien er ugyldig' },
  headers: { name: 'headerne', invalid: 'headerne er ugyldige' }
}

// Completes 'a project in state "…" cannot …' for each action (src/domain/lifecycle.ts).
const CANNOT: Record<ProjectAction, Record<Language, string>> = {
  revise: { en: 'be revised', da: 'ændres' },
  withdraw: { en: 'be withdrawn', da: 'trækkes tilbage' },
  assign: { en: 'have a council member assigned', da: 'få tilknyttet et rådsmedlem' },
  declare_conflict: { en: 'take a declaration of conflict of interest', da: 'modtage en erklæring om inhabilitet' },
  decide_conflict: { en: 'decide a declaration of conflict of interest', da: 'træffe afgørelse om en erklæring om inhabilitet' },
  assess: { en: 'be assessed', da: 'vurderes' },
  issue_letter: { en: 'have a recommendation letter issued', da: 'få udsendt et anbefalingsbrev' },
  respond: { en: 'receive a response to its letter', da: 'modtage et svar på sit anbefalingsbrev' },
  report_status: { en: 'receive a status report', da: 'modtage en statusrapport' },
  judge_report: { en: 'have a status report judged', da: 'få vurderet en statusrapport' },
  approve_baseline: { en: 'have a baseline approved', da: 'få godkendt en baseline' },
  decide_follow_up: { en: 'have a follow-up decision recorded', da: 'få registreret en opfølgningsbeslutning' },
  close: { en: 'be closed', da: 'afsluttes' },
  report_benefits: { en: 'receive a benefit report', da: 'modtage en gevinstopgørelse' },
  add_document: { en: 'receive documents', da: 'modtage dokumenter' }
}

// jose's JWTClaimValidationFailed `reason`.
const JOSE_REASON_DA: Record<string, string> = { check_failed: 'kontrollen mislykkedes', invalid: 'ugyldig værdi', missing: 'mangler' }

type Primitive = string | number | bigint | boolean | symbol | null | undefined
const list = (values: readonly Primitive[]) => values.map(String).join(', ')
const plural = (n: number, one: string, many: string) => n === 1 ? one : many
/** '2026-H2' as Danish reads it: '2. halvår 2026'. */
const halfYearDa = (period: string) => `${period.slice(6)}. halvår ${period.slice(0, 4)}`

const TYPE_NAMES = {
  string: { en: 'a string', da: 'en tekst' },
  number: { en: 'a number', da: 'et tal' },
  int: { en: 'an integer', da: 'et heltal' },
  boolean: { en: 'true or false', da: 'true eller false' },
  array: { en: 'an array', da: 'en liste' },
  object: { en: 'an object', da: 'et objekt' }
} as const satisfies Record<string, Record<Language, string>>
type TypeName = keyof typeof TYPE_NAMES

// zod's own words, for the issues the catalogue has none of its own for: its English message as
// reported, and its Danish locale.
const zodDanish = z.locales.da().localeError

function zodMessage (issue: z.core.$ZodIssue, language: Language): string {
  if (language === 'en') return issue.message
  const danish = zodDanish(issue as unknown as z.core.$ZodRawIssue)
  return (typeof danish === 'string' ? danish : danish?.message) ?? issue.message
}

// ---------------------------------------------------------------------------------------------
// The catalogue

interface Texts<P> { en: (params: P) => string, da: (params: P) => string }

/** A message among another's parameters (the catalogue cannot name its own type while it is being defined). */
interface Nested { readonly key: string, readonly params: unknown }
function nested (message: Nested, language: Language): string {
  return text(message as never, language)
}

/** One entry: the same message in both languages, from the same typed parameters. */
const entry = <P>(en: (params: P) => string, da: (params: P) => string): Texts<P> => ({ en, da })
/** An entry without parameters. */
const fixed = (en: string, da: string): Texts<void> => ({ en: () => en, da: () => da })

export const MESSAGES = {
  // Request and framework
  notFound: entry((p: { what: Thing }) => `${p.what} not found`, (p) => `${THING_DA[p.what]} findes ikke`),
  noRoute: entry((p: { method: string, path: string }) => `no route ${p.method} ${p.path}`, (p) => `der er ingen rute til ${p.method} ${p.path}`),
  methodNotAllowed: entry((p: { method: string, path: string, allowed: readonly string[] }) => `${p.path} does not take ${p.method}; it takes ${p.allowed.join(', ')}`,
    (p) => `${p.path} tager ikke imod ${p.method}; den tager imod ${p.allowed.join(', ')}`),
  noProblemType: entry((p: { type: string }) => `no problem type ${p.type}`, (p) => `problemtypen ${p.type} findes ikke`),
  malformedJson: fixed('request body is not valid JSON', 'anmodningens indhold er ikke gyldig JSON'),
  bodyNotUtf8: fixed('request body is not valid UTF-8', 'anmodningens indhold er ikke gyldig UTF-8'),
  contentTypeUnparsable: fixed('the Content-Type header does not parse', 'Content-Type-headeren kan ikke fortolkes'),
  charsetUnsupported: entry((p: { charset: string }) => `charset ${p.charset} is not supported: JSON is sent in UTF-8`,
    (p) => `tegnsættet ${p.charset} understøttes ikke: JSON sendes i UTF-8`),
  notAcceptable: entry((p: { offered: readonly string[] }) => `the Accept header allows none of: ${p.offered.join(', ')}`,
    (p) => `Accept-headeren tillader ingen af: ${p.offered.join(', ')}`),
  requestRefused: entry((p: { message: string }) => p.message, () => 'anmodningen kan ikke behandles'),
  rateLimited: entry((p: { max: number, retryInSeconds: number }) => `rate limit of ${p.max} requests per minute exceeded; retry in ${p.retryInSeconds} s`,
    (p) => `grænsen på ${p.max} anmodninger i minuttet er overskredet; prøv igen om ${p.retryInSeconds} s`),
  databaseUnreachable: fixed('the database is unreachable', 'databasen kan ikke nås'),
  databaseUnreachableRetry: fixed('the database is unreachable; try again shortly', 'databasen kan ikke nås; prøv igen om lidt'),
  shuttingDown: fixed('the service is shutting down', 'tjenesten er ved at lukke ned'),
  internal: fixed('an internal error occurred; it has been logged', 'der opstod en intern fejl; den er skrevet i loggen'),

  // Validation: the detail names the first field error; `errors[]` carries each
  validation: entry((p: { where: RequestPart, path: string, message: Nested }) => `${p.where} ${p.path}: ${nested(p.message, 'en')}`,
    (p) => `${PART_DA[p.where].name} ${p.path}: ${nested(p.message, 'da')}`),
  validationInvalid: entry((p: { where: RequestPart }) => `${p.where} is invalid`, (p) => PART_DA[p.where].invalid),
  required: fixed('is required', 'er påkrævet'),
  wrongType: entry((p: { expected: TypeName }) => `must be ${TYPE_NAMES[p.expected].en}`, (p) => `skal være ${TYPE_NAMES[p.expected].da}`),
  oneOf: entry((p: { values: readonly Primitive[] }) => p.values.length === 1 ? `must be ${list(p.values)}` : `must be one of: ${list(p.values)}`,
    (p) => p.values.length === 1 ? `skal være ${list(p.values)}` : `skal være en af: ${list(p.values)}`),
  atMost: entry((p: { limit: number | bigint }) => `must be at most ${p.limit}`, (p) => `må højst være ${p.limit}`),
  lessThan: entry((p: { limit: number | bigint }) => `must be less than ${p.limit}`, (p) => `skal være mindre end ${p.limit}`),
  atLeast: entry((p: { limit: number | bigint }) => `must be at least ${p.limit}`, (p) => `skal mindst være ${p.limit}`),
  greaterThan: entry((p: { limit: number | bigint }) => `must be greater than ${p.limit}`, (p) => `skal være større end ${p.limit}`),
  textAtMost: entry((p: { limit: number }) => `must be at most ${p.limit} ${plural(p.limit, 'character', 'characters')} long`,
    (p) => `må højst være på ${p.limit} tegn`),
  textAtLeast: entry((p: { limit: number }) => p.limit === 1 ? 'must not be empty' : `must be at least ${p.limit} characters long`,
    (p) => p.limit === 1 ? 'må ikke være tom' : `skal være på mindst ${p.limit} tegn`),
  itemsAtMost: entry((p: { limit: number }) => `must have at most ${p.limit} ${plural(p.limit, 'item', 'items')}`,
    (p) => `må højst have ${p.limit} ${plural(p.limit, 'element', 'elementer')}`),
  itemsAtLeast: entry((p: { limit: number }) => `must have at least ${p.limit} ${plural(p.limit, 'item', 'items')}`,
    (p) => `skal have mindst ${p.limit} ${plural(p.limit, 'element', 'elementer')}`),
  unknownKeys: entry((p: { keys: readonly string[] }) => `unknown ${plural(p.keys.length, 'property', 'properties')}: ${p.keys.join(', ')}`,
    (p) => `${plural(p.keys.length, 'ukendt felt', 'ukendte felter')}: ${p.keys.join(', ')}`),
  rule: entry((p: { rule: RuleKey }) => RULES[p.rule].en, (p) => RULES[p.rule].da),
  zodIssue: entry((p: { issue: z.core.$ZodIssue }) => zodMessage(p.issue, 'en'), (p) => zodMessage(p.issue, 'da')),
  notACursor: fixed('not a cursor of this list', 'ikke en cursor fra denne liste'),
  notACursorHint: fixed('not a cursor of this list; pass nextCursor from the previous page unchanged',
    'ikke en cursor fra denne liste; send nextCursor fra den forrige side uændret'),
  plannedEndBeforeStartOf: entry((p: { plannedStart: string }) => `${RULES.plannedEndBeforeStart.en} (${p.plannedStart})`,
    (p) => `${RULES.plannedEndBeforeStart.da} (${p.plannedStart})`),

  // Authentication and roles
  bearerRequired: fixed('an Authorization: Bearer token is required', 'der kræves et adgangstoken i headeren Authorization: Bearer'),
  bearerMalformed: fixed('the Authorization header must be "Bearer <JWT>"', 'headeren Authorization skal have formen "Bearer <JWT>"'),
  ticketInvalid: fixed('the stream ticket is unknown, used or expired; get a new one with POST /v1/events/stream-tickets',
    'billetten til strømmen er ukendt, brugt eller udløbet; hent en ny med POST /v1/events/stream-tickets'),
  ticketOrBearer: fixed('send either a stream ticket (?ticket=) or an Authorization header, not both',
    'send enten en billet til strømmen (?ticket=) eller headeren Authorization, ikke begge'),
  tokenExpired: fixed('token has expired', 'tokenet er udløbet'),
  tokenClaimInvalid: entry((p: { claim: string, reason: Nested }) => `token claim "${p.claim}" is invalid (${nested(p.reason, 'en')})`,
    (p) => `tokenets claim "${p.claim}" er ugyldigt (${nested(p.reason, 'da')})`),
  joseReason: entry((p: { reason: string }) => p.reason, (p) => JOSE_REASON_DA[p.reason] ?? 'kontrollen mislykkedes'),
  tokenIssuedInFuture: fixed('it is in the future', 'det ligger i fremtiden'),
  tokenLifetimeExceeds: entry((p: { maxSeconds: number }) => `the token's lifetime exceeds ${p.maxSeconds} s, AUTH_MAX_TOKEN_LIFETIME_S`,
    (p) => `tokenets levetid overstiger ${p.maxSeconds} s, AUTH_MAX_TOKEN_LIFETIME_S`),
  tokenTypeInvalid: fixed('token type (typ) must be JWT or at+jwt', 'tokentypen (typ) skal være JWT eller at+jwt'),
  tokenAlgorithmNotAllowed: fixed('token algorithm is not allowed', 'tokenets algoritme er ikke tilladt'),
  tokenUnknownKey: fixed('token is signed with an unknown key', 'tokenet er underskrevet med en ukendt nøgle'),
  tokenSignatureInvalid: fixed('token signature is invalid', 'tokenets signatur er ugyldig'),
  tokenKeysTimeout: fixed('token keys could not be fetched in time', 'nøglerne til at kontrollere tokenet kunne ikke hentes i tide'),
  tokenMalformed: fixed('token is malformed or cannot be verified', 'tokenet er fejlformet eller kan ikke kontrolleres'),
  rolesRequired: entry((p: { roles: readonly string[] }) => `this operation needs one of the roles: ${p.roles.join(', ')}`,
    (p) => `handlingen kræver en af rollerne: ${p.roles.join(', ')}`),

  // Projects
  actionNotAllowed: entry((p: { status: ProjectStatus, action: ProjectAction }) => `a project in state "${p.status}" cannot ${CANNOT[p.action].en}`,
    (p) => `et projekt med status "${STATUS_DA[p.status]}" kan ikke ${CANNOT[p.action].da}`),
  ownerOnlyChange: fixed('only the organisation that owns the project may change it', 'kun den organisation, der ejer projektet, må ændre det'),
  staleEtag: entry((p: { version: number, etag: string }) => `the project is at version ${p.version} (ETag ${p.etag}); GET it again and retry`,
    (p) => `projektet er i version ${p.version} (ETag ${p.etag}); hent det igen med GET, og prøv igen`),
  staleVersion: entry((p: { version: number, etag: string }) => `the resource is at version ${p.version} (ETag ${p.etag}); GET it again and retry`,
    (p) => `ressourcen er i version ${p.version} (ETag ${p.etag}); hent den igen med GET, og prøv igen`),
  ifMatchRequiredHere: fixed('send If-Match with the ETag from the last GET, e.g. If-Match: "1"', 'send If-Match med ETag fra den seneste GET, f.eks. If-Match: "1"'),
  ifMatchRequired: fixed('send If-Match with the ETag from GET /v1/projects/{id}, e.g. If-Match: "1"',
    'send If-Match med ETag fra GET /v1/projects/{id}, f.eks. If-Match: "1"'),
  ifMatchAny: fixed('If-Match: * does not protect against lost updates; send the ETag from GET /v1/projects/{id}',
    'If-Match: * beskytter ikke mod tabte opdateringer; send ETag fra GET /v1/projects/{id}'),
  idempotencyKeyReused: fixed('this Idempotency-Key was used in the last 24 hours with a different request body',
    'denne Idempotency-Key er brugt inden for de seneste 24 timer med et andet indhold'),
  idempotencyInProgress: fixed('a request with this Idempotency-Key has not finished; retry shortly',
    'en anmodning med denne Idempotency-Key er ikke færdigbehandlet; prøv igen om lidt'),

  // Councils, policies and organisations
  unknownOrganisation: entry((p: { org: string }) =>
    `organisation ${p.org} is not a known, active region or state authority; an administrator registers state authorities (POST /v1/organisations)`,
  (p) => `organisationen ${p.org} er ikke en kendt, aktiv region eller statslig myndighed; en administrator kan registrere statslige myndigheder`),
  notASecretariat: entry((p: { org: string }) => `organisation ${p.org} is the secretariat of no council (ITR or SIR)`,
    (p) => `organisationen ${p.org} er ikke sekretariat for noget råd (ITR eller SIR)`),
  ownerMustParticipate: entry((p: { org: string, name: string }) => `a regional project's owner must be among participatingRegions (${p.org} is not)`,
    (p) => `et regionalt projekts ejer skal være blandt de deltagende regioner (${p.name} er ikke)`),
  regionalProjectNeedsRegions: fixed('a regional project names 1 to 5 participating regions', 'et regionalt projekt skal have 1 til 5 deltagende regioner'),
  noPolicyInForce: entry((p: { council: string, date: string }) => `the council ${p.council} has no policy in force on ${p.date}`,
    (p) => `rådet ${p.council} har ikke et regelsæt, der gælder den ${p.date}`),
  policyNotInFuture: entry((p: { today: string }) => `effectiveFrom must be after today (${p.today}): a policy is never retroactive`,
    (p) => `regelsættet skal gælde fra en dato efter i dag (${p.today}): et regelsæt gælder aldrig med tilbagevirkende kraft`),
  policyExists: entry((p: { id: string }) => `a policy version ${p.id} already exists`, (p) => `der findes allerede et regelsæt med id ${p.id}`),
  policyDateTaken: entry((p: { date: string }) => `the council already has a policy version effective from ${p.date}`,
    (p) => `rådet har allerede et regelsæt, der gælder fra ${p.date}`),
  organisationExists: entry((p: { code: string }) => `organisation ${p.code} already exists`, (p) => `organisationen ${p.code} findes allerede`),
  cvrRequired: fixed('a state authority\'s code is its CVR number: 8 digits', 'en statslig myndigheds kode er dens CVR-nummer på 8 cifre'),
  organisationCouncil: entry((p: { kind: string, council: string }) => `an organisation of kind ${p.kind} belongs to the council ${p.council}`,
    (p) => `en organisation af typen ${p.kind} hører til rådet ${p.council}`),
  organisationKindFixed: fixed('regions and secretariats are seeded; an administrator adds state authorities and others',
    'regioner og sekretariater er oprettet på forhånd; en administrator tilføjer statslige myndigheder og andre'),

  // The member directory
  memberExists: entry((p: { sub: string }) => `a council member ${p.sub} is already in the directory`,
    (p) => `rådsmedlemmet ${p.sub} findes allerede i medlemsoversigten`),
  memberOrgUnknown: entry((p: { org: string }) => `organisation ${p.org} is not known`, (p) => `organisationen ${p.org} er ikke kendt`),
  otherCouncilsMembers: fixed('a secretariat registers and changes its own council\'s members only',
    'et sekretariat kan kun registrere og ændre sit eget råds medlemmer'),
  memberNotInDirectory: entry((p: { sub: string }) => `council member ${p.sub} is not in the directory (GET /v1/members)`,
    (p) => `rådsmedlemmet ${p.sub} findes ikke i medlemsoversigten`),
  memberInactive: entry((p: { name: string }) => `council member ${p.name} is inactive`, (p) => `rådsmedlemmet ${p.name} er ikke aktivt`),
  memberOfOtherCouncil: entry((p: { name: string, council: string }) => `council member ${p.name} belongs to ${p.council}, not to the project's council`,
    (p) => `rådsmedlemmet ${p.name} hører til ${p.council}, ikke til projektets råd`),
  memberOrgDiffers: entry((p: { name: string, org: string }) => `memberOrg differs from the directory's: ${p.name} belongs to ${p.org}`,
    (p) => `organisationen passer ikke med medlemsoversigten: ${p.name} hører til ${p.org}`),

  // Review
  memberFromOwner: entry((p: { member: string, org: string, reference: string }) => `council member ${p.member} belongs to ${p.org}, the organisation that owns ${p.reference}`,
    (p) => `rådsmedlem ${p.member} hører til ${p.org}, den organisation, der ejer ${p.reference}`),
  memberDisqualified: entry((p: { member: string, reference: string }) => `council member ${p.member} is disqualified on ${p.reference} and cannot be assigned`,
    (p) => `rådsmedlem ${p.member} er erklæret inhabil i ${p.reference} og kan ikke tilknyttes`),
  memberDeclarationPending: entry((p: { member: string, reference: string }) =>
    `council member ${p.member} has declared disqualification on ${p.reference}; the secretariat decides the declaration before the member can be assigned`,
  (p) => `rådsmedlem ${p.member} har erklæret sig inhabil i ${p.reference}; sekretariatet skal træffe afgørelse om erklæringen, før medlemmet kan tilknyttes`),
  memberAlreadyAssigned: entry((p: { member: string, reference: string }) => `council member ${p.member} is already assigned to ${p.reference}`,
    (p) => `rådsmedlem ${p.member} er allerede tilknyttet ${p.reference}`),
  memberAlreadyAssignedHere: entry((p: { member: string }) => `council member ${p.member} is already assigned to this project`,
    (p) => `rådsmedlem ${p.member} er allerede tilknyttet dette projekt`),
  membersComplete: entry((p: { reference: string, count: number, active: readonly string[] }) =>
    `${p.reference} already has ${p.count} active council members (${p.active.join(', ')}); a member must be disqualified before another can be assigned`,
  (p) => `${p.reference} har allerede ${p.count} aktive rådsmedlemmer (${p.active.join(', ')}); et medlem skal erklæres inhabilt, før et andet kan tilknyttes`),
  alreadyDeclared: entry((p: { reference: string }) => `you have already declared disqualification on ${p.reference}`,
    (p) => `du har allerede erklæret dig inhabil i ${p.reference}`),
  alreadyDeclaredHere: fixed('you have already declared disqualification on this project', 'du har allerede erklæret dig inhabil i dette projekt'),
  disqualifiedCannotAssess: entry((p: { reference: string }) => `the secretariat has decided that you are disqualified on ${p.reference}; you can no longer assess it`,
    (p) => `sekretariatet har afgjort, at du er inhabil i ${p.reference}; du kan ikke længere vurdere det`),
  declarationPendingCannotAssess: entry((p: { reference: string }) =>
    `you have declared disqualification on ${p.reference}; you can assess it only if the secretariat decides that you are not disqualified`,
  (p) => `du har erklæret dig inhabil i ${p.reference}; du kan kun vurdere det, hvis sekretariatet afgør, at du ikke er inhabil`),
  conflictAlreadyDecided: fixed('the declaration has already been decided; a decision is made once',
    'der er allerede truffet afgørelse om erklæringen; en afgørelse træffes kun én gang'),
  conflictsRestricted: fixed('only the secretariat and the declaring council member may read declarations of disqualification',
    'kun sekretariatet og det rådsmedlem, der har afgivet erklæringen, må læse erklæringer om inhabilitet'),
  letterAwaitsConflictDecision: entry((p: { reference: string }) =>
    `a declaration of disqualification on ${p.reference} awaits the secretariat's decision; decide it before the letter is issued`,
  (p) => `en erklæring om inhabilitet i ${p.reference} afventer sekretariatets afgørelse; træf afgørelsen, før brevet udsendes`),
  notAssignedMember: entry((p: { reference: string }) => `you are not an assigned council member of ${p.reference}; the secretariat assigns the members who assess it`,
    (p) => `du er ikke tilknyttet ${p.reference} som rådsmedlem; sekretariatet tilknytter de medlemmer, der vurderer det`),
  assessorFromOwner: entry((p: { org: string, reference: string }) => `you belong to ${p.org}, the organisation that owns ${p.reference}, and cannot assess it`,
    (p) => `du hører til ${p.org}, den organisation, der ejer ${p.reference}, og kan derfor ikke vurdere det`),
  assignedFromOtherOrg: entry((p: { reference: string, memberOrg: string, org: string }) =>
    `you were assigned to ${p.reference} as a member from ${p.memberOrg}, but your token is for ${p.org}; the secretariat must correct the assignment before you can assess`,
  (p) => `du blev tilknyttet ${p.reference} som medlem fra ${p.memberOrg}, men dit token er udstedt til ${p.org}; sekretariatet skal rette tilknytningen, før du kan vurdere`),
  alreadyAssessed: entry((p: { reference: string }) => `you have already assessed ${p.reference}`, (p) => `du har allerede vurderet ${p.reference}`),
  alreadyAssessedHere: fixed('you have already assessed this project', 'du har allerede vurderet dette projekt'),
  assessmentsOwnerOnly: fixed('only the organisation that owns the project may read its risk assessments',
    'kun den organisation, der ejer projektet, må læse dets risikovurderinger'),
  caseFileRestricted: fixed('only the secretariat and the organisation that owns the project may read its case file',
    'kun sekretariatet og den organisation, der ejer projektet, må læse dets sagsmappe'),
  letterExists: entry((p: { version: number, reference: string }) => `a letter has already been issued for version ${p.version} of ${p.reference}`,
    (p) => `der er allerede udsendt et anbefalingsbrev for version ${p.version} af ${p.reference}`),
  letterExistsHere: fixed('a letter has already been issued for this version of the project', 'der er allerede udsendt et anbefalingsbrev for denne version af projektet'),
  letterNeedsAssessments: entry((p: { needed: number, assessed: number, active: number }) =>
    `the letter needs a risk assessment from each of the ${p.needed} assigned council members: ` +
    `${p.assessed} of the ${p.needed} have assessed (${p.active} active ${plural(p.active, 'member', 'members')} assigned)`,
  (p) => `brevet kræver en risikovurdering fra hvert af de ${p.needed} tilknyttede rådsmedlemmer: ` +
    `${p.assessed} af de ${p.needed} har vurderet (${p.active} ${plural(p.active, 'aktivt medlem', 'aktive medlemmer')} tilknyttet)`),
  baselineNotCurrent: entry((p: { version: number, current: number }) => `only the project's current version (${p.current}) can be approved, not version ${p.version}`,
    (p) => `kun projektets aktuelle version (${p.current}) kan godkendes, ikke version ${p.version}`),
  baselineAlreadyApproved: entry((p: { version: number }) => `version ${p.version} is already the approved baseline`,
    (p) => `version ${p.version} er allerede den godkendte baseline`),
  periodInFuture: entry((p: { period: string, current: string }) => `${p.period} has not begun: reports cover the current half-year (${p.current}) at the latest`,
    (p) => `${halfYearDa(p.period)} er ikke begyndt: der rapporteres højst for indeværende halvår (${halfYearDa(p.current)})`),
  periodBeforeLetter: entry((p: { period: string, first: string }) => `${p.period} is before the letter: reports begin with the letter's half-year (${p.first})`,
    (p) => `${halfYearDa(p.period)} ligger før anbefalingsbrevet: rapporterne begynder med brevets halvår (${halfYearDa(p.first)})`),
  forecastEndBeforeStart: entry((p: { forecastEndDate: string, plannedStart: string }) => `forecastEndDate ${p.forecastEndDate} is before the project's planned start (${p.plannedStart})`,
    (p) => `den forventede slutdato ${p.forecastEndDate} ligger før projektets planlagte start (${p.plannedStart})`),
  statusReportJudged: entry((p: { period: string }) => `the council has judged the status report for ${p.period}; it can no longer be corrected`,
    (p) => `rådet har vurderet statusrapporten for ${halfYearDa(p.period)}; den kan ikke længere rettes`),
  statusReportAlreadyJudged: entry((p: { period: string }) => `the council has already judged the status report for ${p.period}`,
    (p) => `rådet har allerede vurderet statusrapporten for ${halfYearDa(p.period)}`),
  noRedJudgement: fixed('a follow-up decision answers a red judgement: the council\'s latest judgement of a status report is not red',
    'en opfølgningsbeslutning følger en rød vurdering: rådets seneste vurdering af en statusrapport er ikke rød'),
  followUpDecided: entry((p: { period: string }) => `the council has already decided on the red judgement of ${p.period}`,
    (p) => `rådet har allerede truffet beslutning om den røde vurdering af ${halfYearDa(p.period)}`),
  followUpDecidedHere: fixed('the council has already decided on this red judgement', 'rådet har allerede truffet beslutning om denne røde vurdering'),
  dateInFuture: entry((p: { field: string, date: string }) => `${p.field} ${p.date} is in the future`,
    (p) => `datoen ${p.date} ligger i fremtiden`),
  benefitReportsComplete: fixed('a closed project reports its benefits at most twice', 'et afsluttet projekt opgør sine gevinster højst to gange'),
  benefitReportOutsideWindow: entry((p: { reportedOn: string, completedOn: string, until: string }) =>
    `benefit reports fall within 12 months of completion (${p.completedOn} to ${p.until}), not on ${p.reportedOn}`,
  (p) => `gevinstopgørelser ligger inden for 12 måneder efter afslutningen (${p.completedOn} til ${p.until}), ikke ${p.reportedOn}`),
  followUpRestricted: fixed('the follow-up of a project is read by its organisations, the council\'s secretariat and the members assigned to its review',
    'opfølgningen af et projekt læses af dets organisationer, rådets sekretariat og de rådsmedlemmer, der er tilknyttet vurderingen'),
  portfolioOtherCouncil: fixed('a secretariat reads its own council\'s portfolio and annual report only', 'et sekretariat kan kun se sit eget råds portefølje og årsrapport'),
  annualReportFutureYear: entry((p: { year: number, current: number }) => `the annual report covers a year from 2019 to ${p.current}, not ${p.year}`,
    (p) => `årsrapporten dækker et år fra 2019 til ${p.current}, ikke ${p.year}`),
  portfolioCouncilRequired: fixed('name the council: council=regions or council=state', 'angiv rådet: council=regions eller council=state'),
  noLetter: fixed('no recommendation letter has been issued for this project', 'der er ikke udsendt et anbefalingsbrev for dette projekt'),
  alreadyAnswered: entry((p: { reference: string }) => `${p.reference} has already answered its letter`,
    (p) => `${p.reference} har allerede besvaret sit anbefalingsbrev`),
  alreadyAnsweredHere: fixed('the project has already answered its letter', 'projektet har allerede besvaret sit anbefalingsbrev'),
  statusReportExists: entry((p: { reference: string, period: string }) => `${p.reference} already has a status report for ${p.period}`,
    (p) => `${p.reference} har allerede en statusrapport for ${p.period}`),
  statusReportExistsHere: entry((p: { period: string }) => `a status report for ${p.period} already exists`,
    (p) => `der findes allerede en statusrapport for ${p.period}`),

  // Documents
  documentUploadRestricted: fixed('only the organisation that owns the project and the council\'s secretariat may upload its documents',
    'kun den organisation, der ejer projektet, og rådets sekretariat må lægge dokumenter på det'),
  documentsRestricted: fixed('a project\'s documents are read by the organisation that owns it, the council\'s secretariat and the members assigned to its review',
    'et projekts dokumenter læses af den organisation, der ejer det, rådets sekretariat og de rådsmedlemmer, der er tilknyttet vurderingen'),
  notMultipart: fixed('send the document as multipart/form-data with the fields kind and file',
    'send dokumentet som multipart/form-data med felterne kind og file'),
  formMalformed: entry((p: { reason: string }) => `the multipart form does not parse: ${p.reason}`,
    () => 'formularen (multipart/form-data) kan ikke fortolkes'),
  documentFileMissing: fixed('the form has no file part: send the document in the field file',
    'formularen indeholder ingen fil: send dokumentet i feltet file'),
  documentFilesMany: fixed('send exactly one file part, named file', 'send præcis én fil i feltet file'),
  documentFileField: entry((p: { field: string }) => `the file part must be named file, not ${p.field}`,
    (p) => `filen skal sendes i feltet file, ikke ${p.field}`),
  documentFieldAfterFile: entry((p: { field: string }) => `the field ${p.field} comes after the file: send kind and supersedes before the file part`,
    (p) => `feltet ${p.field} kommer efter filen: send kind og supersedes før filen`),
  documentTooLarge: entry((p: { limitMiB: number }) => `the document is larger than ${p.limitMiB} MiB`,
    (p) => `dokumentet er større end ${p.limitMiB} MiB`),
  documentEmpty: fixed('the file is empty', 'filen er tom'),
  documentTypeRefused: entry((p: { detected: string }) => `the file's bytes are ${p.detected}: only PDF, DOCX, XLSX, ODT and ODS documents are accepted`,
    (p) => `filens indhold er ${p.detected === 'unknown' ? 'af ukendt type' : p.detected}: kun PDF-, DOCX-, XLSX-, ODT- og ODS-dokumenter modtages`),
  documentTypeMismatch: entry((p: { detected: string, claimed: string }) => `the file's bytes are ${p.detected}, but it says it is ${p.claimed}`,
    (p) => `filens indhold er ${p.detected}, men den angiver at være ${p.claimed}`),
  documentSupersedesUnknown: entry((p: { kind: string }) => `supersedes must name an earlier document of this project of kind ${p.kind}`,
    (p) => `supersedes skal pege på et tidligere dokument af typen ${p.kind} i dette projekt`),
  documentAlreadySuperseded: entry((p: { filename: string }) => `that document is already superseded by ${p.filename}: supersede the newest version`,
    (p) => `dokumentet er allerede erstattet af ${p.filename}: erstat den nyeste udgave`),
  documentAlreadySupersededHere: fixed('that document is already superseded: supersede the newest version',
    'dokumentet er allerede erstattet: erstat den nyeste udgave'),

  // Events, audit and webhooks
  positionBeyondHead: entry((p: { position: string, head: string }) =>
    `position ${p.position} is beyond the newest sealed sequence (${p.head}); resume with the sequence of the last event you received`,
  (p) => `position ${p.position} ligger efter det nyeste forseglede sekvensnummer (${p.head}); fortsæt fra sekvensnummeret på den sidste hændelse, du har modtaget`),
  afterOrCursor: fixed('give either after or cursor, not two different positions', 'angiv enten after eller cursor, ikke to forskellige positioner'),
  nothingSealed: fixed('no event has been sealed yet', 'ingen hændelse er forseglet endnu'),
  chainBehindCheckpoint: entry((p: { head: string, latest: string }) =>
    `the chain head (${p.head}) does not extend the latest checkpoint (${p.latest}); run GET /v1/audit/verify`,
  (p) => `kædens seneste hændelse (${p.head}) bygger ikke videre på det seneste checkpoint (${p.latest}); kør GET /v1/audit/verify`),
  deliverySucceeded: fixed('the delivery already succeeded', 'leverancen er allerede gennemført'),
  webhookDisabled: entry((p: { reason: string | null }) => `the webhook is disabled (${p.reason ?? 'inactive'})`,
    (p) => `webhooken er deaktiveret (${p.reason ?? 'inaktiv'})`),
  urlNotAbsolute: fixed('must be an absolute URL', 'skal være en absolut URL'),
  urlNotHttp: fixed('must be an http or https URL', 'skal være en http- eller https-URL'),
  urlNotHttps: fixed('must be an https URL (plain http is allowed only when the service runs with WEBHOOK_ALLOW_PRIVATE=true, for development)',
    'skal være en https-URL (almindelig http tillades kun, når tjenesten kører med WEBHOOK_ALLOW_PRIVATE=true, til udvikling)'),
  urlCredentials: fixed('must not contain credentials', 'må ikke indeholde brugernavn eller adgangskode'),
  urlFragment: fixed('must not contain a fragment', 'må ikke indeholde et fragment (#…)'),
  urlNonPublic: entry((p: { range: string }) => `must not target a non-public address (${p.range}) unless the service runs with WEBHOOK_ALLOW_PRIVATE=true, for development`,
    (p) => `må ikke pege på en ikke-offentlig adresse (${p.range}), medmindre tjenesten kører med WEBHOOK_ALLOW_PRIVATE=true, til udvikling`),
  urlLocalhost: fixed('must not target localhost unless the service runs with WEBHOOK_ALLOW_PRIVATE=true, for development',
    'må ikke pege på localhost, medmindre tjenesten kører med WEBHOOK_ALLOW_PRIVATE=true, til udvikling')
}

export type MessageKey = keyof typeof MESSAGES
type ParamsOf<K extends MessageKey> = Parameters<(typeof MESSAGES)[K]['en']>[0]
/** What `msg(key, …)` takes after the key: the key's parameters, or nothing. */
export type MessageArgs<K extends MessageKey> = [ParamsOf<K>] extends [void] ? [] : [params: ParamsOf<K>]

/** A message not yet in a language: a catalogue key and its parameters. */
export type Message = { [K in MessageKey]: { readonly key: K, readonly params: ParamsOf<K> } }[MessageKey]

/** `msg('alreadyAssessed', { reference })`: the parameters are the key's own, checked by the compiler. */
export function msg<K extends MessageKey> (key: K, ...args: MessageArgs<K>): Message {
  return { key, params: args[0] } as Message
}

/** A message in one language. */
export function text (message: Message, language: Language): string {
  return (MESSAGES[message.key][language] as (params: unknown) => string)(message.params)
}

// ---------------------------------------------------------------------------------------------
// Field messages from zod issues

const NUMERIC = new Set(['number', 'int', 'bigint'])

/**
 * The message for one zod issue (parsed with `reportInput: true`, so that a missing field can be
 * told from a wrong one): the catalogue's words for a missing field, a wrong type, a value outside
 * its choices or limits, unknown properties and the schemas' own rules; zod's for the rest.
 */
export function issueMessage (issue: z.core.$ZodIssue): Message {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return msg('required')
      if (issue.expected in TYPE_NAMES) return msg('wrongType', { expected: issue.expected as TypeName })
      break
    case 'invalid_value':
      return msg('oneOf', { values: issue.values })
    case 'invalid_union': {
      const choices = unionChoices(issue.errors)
      if (choices !== undefined) return msg('oneOf', { values: choices })
      break
    }
    case 'unrecognized_keys':
      return msg('unknownKeys', { keys: issue.keys })
    case 'too_big':
      if (issue.exact) break
      if (NUMERIC.has(issue.origin)) return msg(issue.inclusive === false ? 'lessThan' : 'atMost', { limit: issue.maximum })
      if (issue.origin === 'string') return msg('textAtMost', { limit: Number(issue.maximum) })
      if (issue.origin === 'array') return msg('itemsAtMost', { limit: Number(issue.maximum) })
      break
    case 'too_small':
      if (issue.exact) break
      if (NUMERIC.has(issue.origin)) return msg(issue.inclusive === false ? 'greaterThan' : 'atLeast', { limit: issue.minimum })
      if (issue.origin === 'string') return msg('textAtLeast', { limit: Number(issue.minimum) })
      if (issue.origin === 'array') return msg('itemsAtLeast', { limit: Number(issue.minimum) })
      break
  }
  const ruleKey = RULE_BY_TEXT.get(issue.message)
  if (ruleKey !== undefined) return msg('rule', { rule: ruleKey })
  return msg('zodIssue', { issue })
}

/** A union of plain choices (`z.union([z.enum(…), z.literal('*')])`) fails as one list of allowed values. */
function unionChoices (branches: readonly (readonly z.core.$ZodIssue[])[]): Primitive[] | undefined {
  const values: Primitive[] = []
  for (const branch of branches) {
    const [only] = branch
    if (branch.length !== 1 || only?.code !== 'invalid_value' || only.path.length > 0) return undefined
    values.push(...only.values)
  }
  return values.length > 0 ? values : undefined
}

// ---------------------------------------------------------------------------------------------
// Language negotiation

/**
 * The language of an answer from `Accept-Language` (RFC 9110 §12.5.4): the highest-weighted
 * range that names Danish or English (`da`, `da-DK`, `en-GB`…; `*` is English), ties to the first
 * given; English without the header or without a match.
 */
export function negotiateLanguage (header: string | undefined): Language {
  if (header === undefined) return 'en'
  let best: Language = 'en'
  let bestWeight = 0
  for (const part of header.split(',')) {
    const [range = '', ...parameters] = part.split(';').map((s) => s.trim())
    const primary = range.toLowerCase().split('-')[0]
    const language: Language | undefined = primary === 'da' ? 'da' : primary === 'en' || primary === '*' ? 'en' : undefined
    if (language === undefined) continue
    const q = parameters.find((p) => /^q\s*=/i.test(p))
    const weight = q === undefined ? 1 : Number(q.slice(q.indexOf('=') + 1).trim())
    if (!(weight >= 0 && weight <= 1)) continue
    if (weight > bestWeight) {
      best = language
      bestWeight = weight
    }
  }
  return best
}
