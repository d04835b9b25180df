import { configure } from 'safe-stable-stringify'

/**
 * RFC 8785 (JCS) canonical JSON: no whitespace, every object's keys in UTF-16 code-unit order,
 * numbers and strings as ECMAScript's JSON.stringify writes them. The audit events are stored and
 * hashed as these bytes (DESIGN.md guarantee 2), and an Idempotency-Key's request is compared by
 * them.
 *
 * safe-stable-stringify (pino's own) writes exactly that in deterministic mode.
 * Strict mode throws where JCS has no answer: NaN, ±Infinity, BigInt, functions, cycles. One
 * difference: a lone UTF-16 surrogate is written escaped (`"\ud800"`, as JSON.stringify does)
 * where JCS refuses it; the service refuses lone surrogates in every string it is sent (request
 * bodies and token claims), so none reaches an event.
 */
const stringify = configure({ deterministic: true, strict: true, circularValue: Error, bigint: false })

export function canonicalJson (value: unknown): string {
  const json = stringify(value)
  if (json === undefined) throw new TypeError('canonical JSON: the value has no JSON representation')
  return json
}
