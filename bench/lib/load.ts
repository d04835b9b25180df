import autocannon from 'autocannon'
import { percentile } from './common.ts'

/** One measured run: throughput and latency (ms) of the successful answers, and what went wrong. */
export interface Measurement {
  rps: number
  p50: number
  p99: number
  requests: number
  /** Answers that were not 2xx, and transport errors / timeouts. */
  failures: number
  statusCodes: Record<string, number>
}

export interface HttpLoad {
  url: string
  method: 'GET' | 'POST'
  /** A fixed path, or one chosen per request. */
  path: string | (() => string)
  headers: Record<string, string>
  body?: string
  connections: number
  seconds: number
}

/**
 * autocannon's programmatic API. Latencies are taken from its per-response event (fractional
 * milliseconds), not from its histogram, which rounds to whole milliseconds: reads answer in
 * well under one.
 */
export async function httpLoad (load: HttpLoad): Promise<Measurement> {
  const latencies: number[] = []
  const statusCodes: Record<string, number> = {}
  const pathFor = typeof load.path === 'function' ? load.path : undefined
  const options: autocannon.Options = {
    url: load.url,
    connections: load.connections,
    duration: load.seconds,
    timeout: 10,
    requests: [{
      method: load.method,
      path: typeof load.path === 'string' ? load.path : '/',
      headers: load.headers,
      ...(load.body !== undefined ? { body: load.body } : {}),
      ...(pathFor ? { setupRequest: (request: autocannon.Request) => ({ ...request, path: pathFor() }) } : {})
    }]
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, done: autocannon.Result) => error ? reject(error) : resolve(done))
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      const key = String(statusCode)
      statusCodes[key] = (statusCodes[key] ?? 0) + 1
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime)
    })
  })
  const sorted = Float64Array.from(latencies).sort()
  const elapsed = result.duration > 0 ? result.duration : load.seconds
  return {
    rps: latencies.length / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: latencies.length,
    failures: result.non2xx + result.errors + result.timeouts,
    statusCodes
  }
}
