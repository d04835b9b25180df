import Negotiator from 'negotiator'
import { AppError } from '../errors.ts'
import { msg } from '../messages.ts'

/**
 * Proactive content negotiation on `Accept` (RFC 9110 §12.5.1, by `negotiator`) for the routes that
 * answer in more than one media type (the letter as JSON or PDF, the annual report as JSON, CSV or
 * PDF). `offered` is in the service's order of preference, its first the default: no `Accept`, the
 * any-type range and equal weights choose it. An `Accept` that allows none of them is 406
 * `NOT_ACCEPTABLE`, naming what is offered.
 */
export function negotiateMediaType<const T extends string> (accept: string | undefined, offered: readonly [T, ...T[]]): T {
  const chosen = new Negotiator({ headers: { accept } }).mediaType([...offered])
  if (chosen === undefined) throw new AppError('NOT_ACCEPTABLE', msg('notAcceptable', { offered }))
  return chosen as T
}
