import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import fc from 'fast-check'
import type { Test } from 'tap'
import { BUDGET_CATEGORIES } from '../../src/domain/gate.ts'
import { REGION_CODES } from '../../src/domain/regions.ts'
import { PHASES } from '../../src/schemas/project.ts'

// ---------------------------------------------------------------------------------------------
// The contract, read from the OpenAPI document the service itself serves.

type Operations = Record<string, Record<string, { responses?: Record<string, unknown> }>>

/** The statuses the OpenAPI document lists for an operation, e.g. ('post', '/v1/projects/{id}/letter'). */
export function documentedStatuses (app: FastifyInstance, method: string, path: string): Set<number> {
  const paths = (app.swagger() as { paths?: Operations }).paths ?? {}
  const responses = paths[path]?.[method.toLowerCase()]?.responses
  if (responses === undefined) throw new Error(`the OpenAPI document has no ${method} ${path}`)
  return new Set(Object.keys(responses).map(Number))
}

/**
 * What every answer to a hostile body must satisfy: a documented status, never 5xx, and every
 * 4xx an RFC 9457 problem. Returns a description of the violation, or null.
 */
export function contractViolation (res: LightMyRequestResponse, documented: Set<number>): string | null {
  const where = `${res.statusCode} ${res.body.slice(0, 300)}`
  if (res.statusCode >= 500) return `server error: ${where}`
  if (!documented.has(res.statusCode)) return `undocumented status: ${where}`
  if (res.statusCode >= 400) {
    if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) return `4xx without problem+json: ${where}`
    const body = res.json() as { status?: unknown, type?: unknown, title?: unknown }
    if (body.status !== res.statusCode || typeof body.type !== 'string' || typeof body.title !== 'string') return `malformed problem: ${where}`
  }
  return null
}

/** Runs a fast-check property and reports it as one tap assertion (with fast-check's counterexample and seed on failure). */
export async function holds<T> (t: Test, name: string, property: fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  const details = await fc.check(property, { numRuns })
  t.notOk(details.failed, details.failed ? `${name}\n${fc.defaultReportMessage(details)}` : `${name} (${details.numRuns} runs)`)
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const LONG = 'x'.repeat(100_000)

/** Values chosen to break parsers, validators, the database and the log. */
export const HOSTILE_CONSTANTS: unknown[] = [
  null, true, false, 0, -1, 1.5, -0.000001, 2 ** 31, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e13, 1e13 + 1,
  1e300, -1e300, '', ' ', '   \t ', '\u0000', 'a\u0000b', '\ud800', 'a\udc00b', '\udbff\udfff\ud800', '\u0007\u001b[31m',
  '\u2028\u2029', '\ufeff', '\u202e', '0', '1e3', 'null', 'true', '10000000', "'; drop table projects; --", '{"$ne":null}',
  '../../../etc/passwd', '<script>alert(1)</script>', '%00', '\\u0000', LONG, '𝕏'.repeat(30_000), [], {}, [null], [LONG],
  { $gt: '' }, Array.from({ length: 600 }, () => ({ category: 'supplier', year: 2027, amountDkk: 1 }))
]

/** A lone surrogate, NUL or control character somewhere inside otherwise ordinary text. */
const taintedString = fc.tuple(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('\u0000', '\ud800', '\udfff', '\u0001', '\u001f', '\u007f', '\u0085', '\r\n', '\t'),
  fc.string({ maxLength: 20 })
).map(([a, b, c]) => `${a}${b}${c}`)

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_CONSTANTS) },
  { weight: 2, arbitrary: taintedString },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }
)

/** Property names an attacker tries: fields the client may not set, prototype keys, and noise. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('id', 'reference', 'ownerOrg', 'status', 'version', 'createdAt', 'updatedAt', 'eligibleCostDkk', 'gating',
    'reviewRequired', 'letter', 'secret', 'admin', 'roles', '__proto__', 'constructor', 'prototype', ''),
  fc.string({ maxLength: 12 })
)

// ---------------------------------------------------------------------------------------------
// Mutations of a valid body

export type Mutation =
  | { kind: 'drop', at: number }
  | { kind: 'replace', at: number, value: unknown }
  | { kind: 'add', at: number, key: string, value: unknown }
  | { kind: 'taint', at: number, offset: number, insert: string }

/** What `taint` slips into a string that is otherwise valid: the characters most likely to reach the database. */
export const TAINTS = ['\u0000', '\ud800', '\udfff', '\udbff', '\u0001', '\u001b', '\u007f', '\u0085', '\u2028', '\ufffe', '\uffff', '\r\n', '\t', '\\', '"', "'"]

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: hostileKey, value: hostileValue }),
  fc.record({ kind: fc.constant('taint' as const), at: fc.nat(), offset: fc.nat(), insert: fc.constantFrom(...TAINTS) })
)

type Path = Array<string | number>

function paths (value: unknown, at: Path = []): Path[] {
  const found: Path[] = [at]
  if (Array.isArray(value)) value.forEach((v, i) => found.push(...paths(v, [...at, i])))
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) found.push(...paths(v, [...at, k]))
  return found
}

function get (value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value)
}

/** Sets an own, enumerable property, even `__proto__` (plain assignment would change the prototype). */
function defineKey (target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Applies mutations to a deep copy of `body`; the position `at` picks among the body's nodes. */
export function mutate (body: unknown, mutations: Mutation[]): unknown {
  let copy: unknown = structuredClone(body)
  for (const m of mutations) {
    const all = paths(copy)
    if (m.kind === 'taint') {
      const strings = all.filter((p) => p.length > 0 && typeof get(copy, p) === 'string')
      if (strings.length === 0) continue
      const path = strings[m.at % strings.length]!
      const value = get(copy, path) as string
      const offset = m.offset % (value.length + 1)
      const parent = get(copy, path.slice(0, -1)) as Record<string | number, unknown>
      parent[path.at(-1)!] = value.slice(0, offset) + m.insert + value.slice(offset)
      continue
    }
    if (m.kind === 'add') {
      const containers = all.filter((p) => { const v = get(copy, p); return v !== null && typeof v === 'object' && !Array.isArray(v) })
      if (containers.length === 0) continue
      defineKey(get(copy, containers[m.at % containers.length]!) as Record<string, unknown>, m.key, structuredClone(m.value))
      continue
    }
    const inner = all.filter((p) => p.length > 0)
    // Values are copied in: the hostile constants are shared by every run and must never change.
    const value = m.kind === 'replace' ? structuredClone(m.value) : undefined
    if (inner.length === 0) {
      if (m.kind === 'replace') copy = value
      continue
    }
    const path = inner[m.at % inner.length]!
    const parent = get(copy, path.slice(0, -1)) as Record<string | number, unknown> | unknown[]
    const key = path.at(-1)!
    if (m.kind === 'drop') {
      if (Array.isArray(parent)) parent.splice(key as number, 1)
      else delete (parent as Record<string, unknown>)[key as string]
    } else if (Array.isArray(parent)) {
      parent[key as number] = value
    } else {
      defineKey(parent as Record<string, unknown>, key as string, value)
    }
  }
  return copy
}

/** Every single-taint variant of `valid`: each string in it with each taint inserted in its middle. */
export function everyTaint (valid: unknown): Array<{ path: string, insert: string, body: unknown }> {
  const variants: Array<{ path: string, insert: string, body: unknown }> = []
  const strings = paths(valid).filter((p) => p.length > 0 && typeof get(valid, p) === 'string')
  strings.forEach((path, at) => {
    for (const insert of TAINTS) {
      const offset = Math.floor((get(valid, path) as string).length / 2)
      variants.push({ path: '/' + path.join('/'), insert, body: mutate(valid, [{ kind: 'taint', at, offset, insert }]) })
    }
  })
  return variants
}

/** Arbitrary JSON bodies: any JSON value, objects with arbitrary keys, and mutated valid bodies. */
export function hostileBody (valid: unknown): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(hostileKey, hostileValue, { maxKeys: 6 }) },
    { weight: 5, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => mutate(valid, ms)) }
  )
}

/** Raw payloads that are not JSON at all, or JSON with what a parser must refuse. */
export const rawPayload: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('', '{', '{"a":1', '[1,2', 'nul', '{"a":1}{"b":2}', '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"admin":true}}}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '\ufeff{}', '{"a":1e999999}',
    '['.repeat(5_000) + ']'.repeat(5_000))
)

// ---------------------------------------------------------------------------------------------
// Valid bodies and the independent reference of the gate

const EXCLUDED = new Set(['operations', 'interest'])
const ALL_REGIONS = ['1081', '1082', '1083', '1084', '1085']

/**
 * The gate of API.md, written again here without the service's code: review iff the cost other
 * than operations and interest is at least 10,000,000 DKK and all five regions participate, or
 * the submitter asked for review.
 */
export function referenceGate (body: { budgetLines: Array<{ category: string, amountDkk: number }>, participatingRegions: string[], reviewRequested?: boolean }) {
  let eligible = 0
  let total = 0
  for (const line of body.budgetLines) {
    total += line.amountDkk
    if (!EXCLUDED.has(line.category)) eligible += line.amountDkk
  }
  const allFive = ALL_REGIONS.every((r) => body.participatingRegions.includes(r))
  return { eligible, total, reviewRequired: (eligible >= 10_000_000 && allFive) || body.reviewRequested === true }
}

const WORDS = ['Fælles', 'regional', 'booking', 'platform', 'sundhed', 'data', 'øko', 'Ålborg', 'API', '2027', 'v2', '—', '🏥', '&', '"citat"']
/** Trimmed, non-empty text of up to `max` characters, without control characters or lone surrogates. */
export const validText = (max: number) => fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 })
  .map((words) => words.join(' ').slice(0, max).trim())
  .filter((s) => s.length > 0 && !/[\ud800-\udfff]$/.test(s))

/** Amounts that cross the 10 million line often, plus the extremes. */
const amount = fc.oneof(
  fc.integer({ min: 0, max: 12_000_000 }),
  fc.constantFrom(0, 1, 9_999_999, 10_000_000, 10_000_001, 5_000_000, 1e13),
  fc.integer({ min: 0, max: 1e13 })
)

export const budgetLines = fc.array(
  fc.record({ category: fc.constantFrom(...BUDGET_CATEGORIES), year: fc.integer({ min: 2000, max: 2100 }), amountDkk: amount }),
  { minLength: 1, maxLength: 12 }
)

/** The regions of a project owned by 1084 (Region Hovedstaden), which takes part in its own project (API.md v1.1). */
export const participatingRegions = fc.oneof(
  fc.constant([...REGION_CODES] as string[]),
  fc.tuple(fc.shuffledSubarray(REGION_CODES.filter((code) => code !== '1084')), fc.nat(4)).map(([others, at]) => {
    const regions: string[] = [...others]
    regions.splice(Math.min(at, regions.length), 0, '1084')
    return regions
  })
)

const isoDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

export const plannedPeriod = fc.tuple(isoDate, isoDate).map(([a, b]) => a <= b ? [a, b] : [b, a])

export const contact = fc.record({
  name: validText(200),
  email: fc.tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.constantFrom('regionh.dk', 'rm.dk', 'rn.dk', 'example.com'))
    .map(([local, domain]) => `${local}@${domain}`)
})

export const validSubmission = fc.record({
  title: validText(200),
  description: validText(10_000),
  participatingRegions,
  phase: fc.constantFrom(...PHASES),
  budgetLines,
  period: plannedPeriod,
  contact,
  reviewRequested: fc.boolean()
}).map(({ period, ...rest }) => ({ ...rest, plannedStart: period[0]!, plannedEnd: period[1]! }))
