import t from 'tap'
import { z } from 'zod'
import { PROJECT_ACTIONS, PROJECT_STATUSES } from '../src/domain/lifecycle.ts'
import { ERRORS, type ErrorCode } from '../src/errors.ts'
import {
  issueMessage,
  MESSAGES,
  msg,
  negotiateLanguage,
  RULES,
  text,
  TITLES,
  type Message,
  type MessageArgs,
  type MessageKey,
  type RuleKey
} from '../src/messages.ts'
import { fieldErrors } from '../src/plugins/errors.ts'
import { BudgetLineSchema, ProjectSubmissionSchema } from '../src/schemas/project.ts'
import { gatedProject } from './helpers/fixtures.ts'
import { ENGLISH_WORDS } from './helpers/language.ts'

// One example of every key's parameters; the compiler asks for a new key's.
const SAMPLES: { [K in MessageKey]: MessageArgs<K> } = {
  notFound: [{ what: 'project' }],
  noRoute: [{ method: 'GET', path: '/v1/nothing' }],
  methodNotAllowed: [{ method: 'DELETE', path: '/v1/projects', allowed: ['GET', 'HEAD', 'POST'] }],
  noProblemType: [{ type: 'ukendt-type' }],
  malformedJson: [],
  bodyNotUtf8: [],
  contentTypeUnparsable: [],
  charsetUnsupported: [{ charset: 'ISO-8859-1' }],
  requestRefused: [{ message: 'Bad request from the framework' }],
  notAcceptable: [{ offered: ['application/json', 'application/pdf'] }],
  rateLimited: [{ max: 100, retryInSeconds: 42 }],
  databaseUnreachable: [],
  databaseUnreachableRetry: [],
  shuttingDown: [],
  internal: [],
  validation: [{ where: 'body', path: '/title', message: msg('required') }],
  validationInvalid: [{ where: 'querystring' }],
  required: [],
  wrongType: [{ expected: 'int' }],
  oneOf: [{ values: ['idea', 'analysis'] }],
  atMost: [{ limit: 10_000_000_000_000 }],
  lessThan: [{ limit: 5 }],
  atLeast: [{ limit: 0 }],
  greaterThan: [{ limit: 0 }],
  textAtMost: [{ limit: 200 }],
  textAtLeast: [{ limit: 3 }],
  itemsAtMost: [{ limit: 5 }],
  itemsAtLeast: [{ limit: 1 }],
  unknownKeys: [{ keys: ['colour'] }],
  rule: [{ rule: 'oneLine' }],
  zodIssue: [{ issue: { code: 'invalid_format', format: 'email', origin: 'string', path: ['email'], message: 'Invalid email address' } as z.core.$ZodIssue }],
  notACursor: [],
  notACursorHint: [],
  plannedEndBeforeStartOf: [{ plannedStart: '2027-01-01' }],
  bearerRequired: [],
  bearerMalformed: [],
  ticketInvalid: [],
  ticketOrBearer: [],
  tokenExpired: [],
  tokenClaimInvalid: [{ claim: 'sub', reason: msg('rule', { rule: 'visibleCharacter' }) }],
  joseReason: [{ reason: 'check_failed' }],
  tokenIssuedInFuture: [],
  tokenLifetimeExceeds: [{ maxSeconds: 43_200 }],
  tokenTypeInvalid: [],
  tokenAlgorithmNotAllowed: [],
  tokenUnknownKey: [],
  tokenSignatureInvalid: [],
  tokenKeysTimeout: [],
  tokenMalformed: [],
  rolesRequired: [{ roles: ['submitter', 'admin'] }],
  actionNotAllowed: [{ status: 'withdrawn', action: 'revise' }],
  ownerOnlyChange: [],
  staleVersion: [{ version: 2, etag: '"2"' }],
  ifMatchRequiredHere: [],
  unknownOrganisation: [{ org: '9999' }],
  notASecretariat: [{ org: '1084' }],
  ownerMustParticipate: [{ org: '1084', name: 'Region Hovedstaden' }],
  regionalProjectNeedsRegions: [],
  noPolicyInForce: [{ council: 'state', date: '2010-01-01' }],
  policyNotInFuture: [{ today: '2026-12-03' }],
  policyExists: [{ id: 'state-2021' }],
  policyDateTaken: [{ date: '2027-01-01' }],
  organisationExists: [{ code: '1084' }],
  cvrRequired: [],
  organisationCouncil: [{ kind: 'state_authority', council: 'state' }],
  organisationKindFixed: [],
  memberExists: [{ sub: 'anne' }],
  memberOrgUnknown: [{ org: '9999' }],
  otherCouncilsMembers: [],
  memberNotInDirectory: [{ sub: 'anne' }],
  memberInactive: [{ name: 'Anne Andersen' }],
  memberOfOtherCouncil: [{ name: 'Anne Andersen', council: 'statens råd' }],
  memberOrgDiffers: [{ name: 'Anne Andersen', org: 'Region Nordjylland' }],
  staleEtag: [{ version: 2, etag: '"2"' }],
  ifMatchRequired: [],
  ifMatchAny: [],
  idempotencyKeyReused: [],
  idempotencyInProgress: [],
  memberFromOwner: [{ member: 'anne', org: '1084', reference: 'ITR-2026-0001' }],
  memberDisqualified: [{ member: 'anne', reference: 'ITR-2026-0001' }],
  memberDeclarationPending: [{ member: 'Anne Holm', reference: 'ITR-2026-0001' }],
  memberAlreadyAssigned: [{ member: 'anne', reference: 'ITR-2026-0001' }],
  memberAlreadyAssignedHere: [{ member: 'anne' }],
  membersComplete: [{ reference: 'ITR-2026-0001', count: 2, active: ['anne', 'bent'] }],
  alreadyDeclared: [{ reference: 'ITR-2026-0001' }],
  alreadyDeclaredHere: [],
  disqualifiedCannotAssess: [{ reference: 'ITR-2026-0001' }],
  declarationPendingCannotAssess: [{ reference: 'ITR-2026-0001' }],
  conflictAlreadyDecided: [],
  conflictsRestricted: [],
  letterAwaitsConflictDecision: [{ reference: 'ITR-2026-0001' }],
  notAssignedMember: [{ reference: 'ITR-2026-0001' }],
  assessorFromOwner: [{ org: '1084', reference: 'ITR-2026-0001' }],
  assignedFromOtherOrg: [{ reference: 'ITR-2026-0001', memberOrg: '1082', org: '1083' }],
  alreadyAssessed: [{ reference: 'ITR-2026-0001' }],
  alreadyAssessedHere: [],
  assessmentsOwnerOnly: [],
  caseFileRestricted: [],
  letterExists: [{ version: 1, reference: 'ITR-2026-0001' }],
  letterExistsHere: [],
  letterNeedsAssessments: [{ needed: 2, assessed: 1, active: 1 }],
  baselineNotCurrent: [{ version: 1, current: 2 }],
  periodInFuture: [{ period: '2027-H1', current: '2026-H2' }],
  periodBeforeLetter: [{ period: '2026-H1', first: '2026-H2' }],
  forecastEndBeforeStart: [{ forecastEndDate: '2026-01-01', plannedStart: '2027-01-01' }],
  statusReportJudged: [{ period: '2026-H2' }],
  noRedJudgement: [],
  portfolioOtherCouncil: [],
  annualReportFutureYear: [{ year: 2031, current: 2026 }],
  followUpRestricted: [],
  portfolioCouncilRequired: [],
  followUpDecided: [{ period: '2026-H2' }],
  followUpDecidedHere: [],
  dateInFuture: [{ field: 'completedOn', date: '2027-01-01' }],
  benefitReportsComplete: [],
  benefitReportOutsideWindow: [{ reportedOn: '2028-03-01', completedOn: '2027-01-15', until: '2028-01-15' }],
  statusReportAlreadyJudged: [{ period: '2026-H2' }],
  baselineAlreadyApproved: [{ version: 2 }],
  noLetter: [],
  alreadyAnswered: [{ reference: 'ITR-2026-0001' }],
  alreadyAnsweredHere: [],
  statusReportExists: [{ reference: 'ITR-2026-0001', period: '2027-H1' }],
  statusReportExistsHere: [{ period: '2027-H1' }],
  documentUploadRestricted: [],
  documentsRestricted: [],
  notMultipart: [],
  formMalformed: [{ reason: 'Unexpected end of form' }],
  documentFileMissing: [],
  documentFilesMany: [],
  documentFileField: [{ field: 'dokument' }],
  documentFieldAfterFile: [{ field: 'kind' }],
  documentTooLarge: [{ limitMiB: 25 }],
  documentEmpty: [],
  documentTypeRefused: [{ detected: 'image/png' }],
  documentTypeMismatch: [{ detected: 'application/pdf', claimed: '.docx' }],
  documentSupersedesUnknown: [{ kind: 'pid' }],
  documentAlreadySuperseded: [{ filename: 'Projektgrundlag v2.pdf' }],
  documentAlreadySupersededHere: [],
  positionBeyondHead: [{ position: '9', head: '3' }],
  afterOrCursor: [],
  nothingSealed: [],
  chainBehindCheckpoint: [{ head: '5', latest: '6' }],
  deliverySucceeded: [],
  webhookDisabled: [{ reason: null }],
  urlNotAbsolute: [],
  urlNotHttp: [],
  urlNotHttps: [],
  urlCredentials: [],
  urlFragment: [],
  urlNonPublic: [{ range: 'loopback' }],
  urlLocalhost: []
}

const sample = <K extends MessageKey>(key: K): Message => msg(key, ...SAMPLES[key])

// Every variant a parameter can choose: each rule, each thing, each state and action, each request part.
function everyVariant (): Array<[string, Message]> {
  const variants: Array<[string, Message]> = (Object.keys(MESSAGES) as MessageKey[]).map((key) => [key, sample(key)])
  for (const rule of Object.keys(RULES) as RuleKey[]) variants.push([`rule ${rule}`, msg('rule', { rule })])
  for (const what of ['project', 'response', 'webhook', 'delivery', 'resource'] as const) variants.push([`notFound ${what}`, msg('notFound', { what })])
  for (const where of ['body', 'querystring', 'params', 'headers'] as const) variants.push([`validationInvalid ${where}`, msg('validationInvalid', { where })])
  for (const expected of ['string', 'number', 'int', 'boolean', 'array', 'object'] as const) variants.push([`wrongType ${expected}`, msg('wrongType', { expected })])
  for (const reason of ['check_failed', 'invalid', 'missing', 'something new']) variants.push([`joseReason ${reason}`, msg('joseReason', { reason })])
  for (const limit of [1, 2]) {
    for (const key of ['textAtMost', 'textAtLeast', 'itemsAtMost', 'itemsAtLeast'] as const) variants.push([`${key} ${limit}`, msg(key, { limit })])
  }
  for (const status of PROJECT_STATUSES) {
    for (const action of PROJECT_ACTIONS) variants.push([`actionNotAllowed ${status} ${action}`, msg('actionNotAllowed', { status, action })])
  }
  return variants
}

t.test('every message has an English and a Danish text, and they differ', async (t) => {
  for (const [name, message] of everyVariant()) {
    const en = text(message, 'en')
    const da = text(message, 'da')
    t.ok(en.trim().length > 0 && da.trim().length > 0, `${name}: both non-empty`)
    t.not(da, en, `${name}: Danish is not the English text`)
    t.notMatch(da, ENGLISH_WORDS, `${name}: no English words in "${da}"`)
  }
})

t.test('every error code has a title in both languages', async (t) => {
  for (const code of Object.keys(ERRORS) as ErrorCode[]) {
    t.ok(TITLES[code].en.length > 0 && TITLES[code].da.length > 0, code)
    t.not(TITLES[code].da, TITLES[code].en, `${code}: Danish title`)
    t.notMatch(TITLES[code].da, ENGLISH_WORDS, `${code}: "${TITLES[code].da}"`)
  }
  t.same(Object.keys(TITLES).sort(), Object.keys(ERRORS).sort(), 'no title without a code')
})

t.test('rules are told apart by their English text', async (t) => {
  const texts = Object.values(RULES).map((r) => r.en)
  t.equal(new Set(texts).size, texts.length)
})

t.test('the present English wording is kept', async (t) => {
  t.equal(text(msg('notFound', { what: 'project' }), 'en'), 'project not found')
  t.equal(text(msg('notFound', { what: 'project' }), 'da'), 'projektet findes ikke')
  t.equal(text(msg('actionNotAllowed', { status: 'withdrawn', action: 'revise' }), 'en'), 'a project in state "withdrawn" cannot be revised')
  t.equal(text(msg('letterNeedsAssessments', { needed: 2, assessed: 1, active: 1 }), 'en'),
    'the letter needs a risk assessment from each of the 2 assigned council members: 1 of the 2 have assessed (1 active member assigned)')
  t.equal(text(msg('tokenClaimInvalid', { claim: 'exp', reason: msg('tokenLifetimeExceeds', { maxSeconds: 3600 }) }), 'en'),
    'token claim "exp" is invalid (the token\'s lifetime exceeds 3600 s, AUTH_MAX_TOKEN_LIFETIME_S)')
})

t.test('a key takes exactly its own parameters', async (t) => {
  // @ts-expect-error alreadyAssessed names the project's reference
  msg('alreadyAssessed', { version: 1 })
  // @ts-expect-error required takes no parameters
  msg('required', { field: 'title' })
  // @ts-expect-error notFound names one of the things that can be missing
  msg('notFound', { what: 'elephant' })
  t.pass('checked by the compiler (npm run typecheck)')
})

t.test('Accept-Language: the highest-weighted Danish or English range; English otherwise', async (t) => {
  const cases: Array<[string | undefined, 'da' | 'en']> = [
    [undefined, 'en'],
    ['', 'en'],
    ['da', 'da'],
    ['DA-dk', 'da'],
    ['da-DK,da;q=0.9,en;q=0.8', 'da'],
    ['en-GB,en;q=0.9,da;q=0.8', 'en'],
    ['en;q=0.5, da;q=0.6', 'da'],
    ['fr-FR, fr;q=0.9, da;q=0.5', 'da'],
    ['fr', 'en'],
    ['da;q=0', 'en'],
    ['da;q=abc', 'en'],
    ['*', 'en'],
    ['da;q=0.5, *', 'en'],
    ['da, en', 'da'],
    ['en, da', 'en']
  ]
  for (const [header, language] of cases) t.equal(negotiateLanguage(header), language, String(header))
})

t.test('field messages: required, choices, the documented limit, unknown properties', async (t) => {
  const failed = ProjectSubmissionSchema.safeParse(gatedProject({
    title: undefined,
    phase: 'done',
    budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 1e20 }],
    colour: 'red'
  }), { reportInput: true })
  t.notOk(failed.success)
  const errors = fieldErrors(failed.error!.issues)
  const words = (language: 'en' | 'da') => errors.map((e) => [e.path, text(e.message, language)])
  t.same(words('en'), [
    ['/title', 'is required'],
    ['/phase', 'must be one of: idea, analysis, purchasing, delivery, realisation'],
    ['/budgetLines/0/amountDkk', 'must be at most 10000000000000'],
    ['/', 'unknown property: colour']
  ])
  t.same(words('da'), [
    ['/title', 'er påkrævet'],
    ['/phase', 'skal være en af: idea, analysis, purchasing, delivery, realisation'],
    ['/budgetLines/0/amountDkk', 'må højst være 10000000000000'],
    ['/', 'ukendt felt: colour']
  ])

  const below = BudgetLineSchema.safeParse({ category: 'supplier', year: 2027, amountDkk: -1e20 }, { reportInput: true })
  t.same(fieldErrors(below.error!.issues).map((e) => text(e.message, 'en')), ['must be at least 0'], 'the lower limit too')
  const integer = BudgetLineSchema.safeParse({ category: 'supplier', year: 2027.5, amountDkk: 1 }, { reportInput: true })
  t.same(fieldErrors(integer.error!.issues).map((e) => [text(e.message, 'en'), text(e.message, 'da')]), [['must be an integer', 'skal være et heltal']])

  // A union of plain choices lists them all; a rule of a schema is a catalogue rule.
  const union = z.union([z.enum(['a', 'b']), z.literal('*')]).safeParse('c', { reportInput: true })
  t.equal(text(issueMessage(union.error!.issues[0]!), 'da'), 'skal være en af: a, b, *')
  const ruled = ProjectSubmissionSchema.safeParse(gatedProject({ plannedEnd: '2026-01-01' }), { reportInput: true })
  t.same(ruled.error!.issues.map((issue) => issueMessage(issue)), [msg('rule', { rule: 'plannedEndBeforeStart' })])
})
