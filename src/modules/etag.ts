import { AppError } from '../errors.ts'
import type { Message } from '../messages.ts'

/**
 * Entity tags for versioned resources (DESIGN.md guarantee 5): the ETag is the version, quoted,
 * and If-Match is compared strongly (RFC 9110 §8.8.3.2), so a weak tag never matches.
 */

export function etagOf (version: number): string {
  return `"${version}"`
}

/** What an If-Match header asks for: any current version (`*`), or one of the listed versions. */
export type IfMatch = { any: true } | { any: false, versions: readonly number[] }

const TAG = /(W\/)?"([^"]*)"/g

/**
 * Parses an If-Match value the schema has already checked for syntax. Weak tags and tags that are
 * not a version of ours are dropped: they can never match, so the request ends in 412.
 */
export function parseIfMatch (header: string): IfMatch {
  if (header.trim() === '*') return { any: true }
  const versions: number[] = []
  for (const [, weak, opaque] of header.matchAll(TAG)) {
    if (weak === undefined && opaque !== undefined && /^[1-9]\d{0,9}$/.test(opaque)) versions.push(Number(opaque))
  }
  return { any: false, versions }
}

/**
 * A required If-Match, parsed: 428 without one, and for `*`, which does not protect against lost
 * updates; each with the caller's hint of where the ETag comes from.
 */
export function requireIfMatch (header: string | undefined, hints: { missing: Message, any: Message }): IfMatch {
  if (header === undefined) throw new AppError('PRECONDITION_REQUIRED', hints.missing)
  const ifMatch = parseIfMatch(header)
  if (ifMatch.any) throw new AppError('PRECONDITION_REQUIRED', hints.any)
  return ifMatch
}

export function ifMatchAccepts (ifMatch: IfMatch, version: number): boolean {
  return ifMatch.any || ifMatch.versions.includes(version)
}

/**
 * Whether an If-None-Match value (already checked for syntax) names `etag`: `*` or one of its
 * tags, compared weakly as RFC 9110 §13.1.2 asks (W/"x" matches "x").
 */
export function ifNoneMatchHits (header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  for (const [, , opaque] of header.matchAll(TAG)) if (`"${opaque}"` === etag) return true
  return false
}
