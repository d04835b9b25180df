import { configure } from 'safe-stable-stringify'

/**
 * RFC 8785 (JCS) canonical JSON: no whitespace, every object's keys in UTF-16 code-unit order,
 * numbers and strings as ECMAScript's JSON.stringify writes them. The audit events are stored and
 * hashed as these bytes (DESIGN.md guarantee 2), and an Idempotency-Key's request is compared by
 * them.
 *
 * safe-stable-stringify (pino's own) writes exactly that in deterministic mode, in about two thirds
 * of the time of the `canonicalize` package, which it replaced (bench/README.md, session 8).
 * Strict mode throws where JCS has no answer: NaN, ±Infinity, BigInt, functions, cycles. One
 * difference: a lone UTF-16 surrogate is written escaped (`"\ud800"`, as JSON.stringify does)
 * where JCS refuses it; the service refuses lone surrogates in every string it is sent (request
 * bodies and token claims), so none reaches an event.
 */
const stringify = configure({ deterministic: true, strict: true, circularValue: Error, bigint: false })

export function canonicalJson (value: unknown): string {
  // JSON.stringify keeps each object's own key order: for a value whose objects already list their
  // keys in canonical order (the service writes its events' envelopes and data that way), that is
  // the canonical form, in about two thirds of the time (bench/README.md, session 10).
  if (inCanonicalOrder(value, 0)) return JSON.stringify(value)
  const json = stringify(value)
  if (json === undefined) throw new TypeError('canonical JSON: the value has no JSON representation')
  return json
}

// Deeper than any event or request the service writes; a cycle ends here too (and then throws above).
const MAX_DEPTH = 32

/**
 * Whether JSON.stringify writes `value` canonically: plain objects and arrays, each object's keys
 * in ascending code-unit order, and only strings, finite numbers, booleans and null below them.
 * Anything else (undefined, toJSON, a Date, a Map, a BigInt, NaN…) goes the general way.
 */
function inCanonicalOrder (value: unknown, depth: number): boolean {
  if (value === null) return true
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value)
    case 'object':
      break
    default:
      return false
  }
  if (depth === MAX_DEPTH) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!inCanonicalOrder(value[i], depth + 1)) return false
    return true
  }
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return false
  const object = value as Record<string, unknown>
  const keys = Object.keys(object)
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1]! < keys[i]!)) return false
    if (!inCanonicalOrder(object[keys[i]!], depth + 1)) return false
  }
  return true
}
