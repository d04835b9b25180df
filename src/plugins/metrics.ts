import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { AuditRepository } from '../repositories/audit.ts'
import { safe } from '../workers/loop.ts'
import { DELIVERY_OUTCOMES } from '../workers/webhook-dispatcher.ts'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry
    /**
     * Serves the metrics without a token on a port of their own (METRICS_PORT): GET /metrics, 404
     * otherwise. Closes with the app. Resolves to the address it listens on.
     */
    serveMetrics (opts: { port: number, host: string }): Promise<AddressInfo>
  }
}

/**
 * Prometheus metrics: request durations by route template and status, idempotent replays, pool
 * figures, webhook deliveries, the sealing backlog, SSE clients, process defaults
 * (examples/grafana/council-gate.json shows them). Operational figures are not for everyone: on
 * the service's port `GET /metrics` needs an admin token (routes/health.ts); METRICS_PORT serves
 * them without one on a port that is kept inside the network. A figure read from the database
 * that cannot be read is logged and keeps its last value: the scrape itself never fails for it.
 */
async function metricsPlugin (fastify: FastifyInstance) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry]
  })

  const pool = fastify.database
  const poolGauge = new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [],
    collect () {
      const stats = pool.poolStats()
      this.set({ state: 'total' }, stats.total)
      this.set({ state: 'idle' }, stats.idle)
      this.set({ state: 'waiting' }, stats.waiting)
    }
  })

  registry.registerMetric(poolGauge)

  const replays = new Counter({
    name: 'http_idempotent_replays_total',
    help: 'Requests answered from the idempotency store (the stored answer replayed with idempotent-replayed: true), by method and route template',
    labelNames: ['method', 'route'] as const,
    registers: [registry]
  })

  const attempts = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts made by this process, by outcome: succeeded (2xx), gone (410: endpoint disabled), ' +
      'http_error (any other status), timeout, connection_error, refused (not sent: invalid, non-https or private address), ' +
      'aborted (the service shut down)',
    labelNames: ['outcome'] as const,
    registers: [registry]
  })
  for (const outcome of DELIVERY_OUTCOMES) attempts.inc({ outcome }, 0)
  const deadLetters = new Counter({
    name: 'webhook_dead_letters_total',
    help: 'Webhook deliveries this process made dead letters: retry window exhausted, or 410 Gone (with what the endpoint had queued). ' +
      'A counter rather than a gauge of current dead letters, which would scan the whole outbox at every scrape (no index on dead deliveries). ' +
      'Deliveries dropped by deactivating (PATCH active: false) or deleting their endpoint are a person\'s choice, no failure, and not counted',
    registers: [registry]
  })
  fastify.webhookDispatcher.onAttempt(({ outcome, deadLetters: count }) => {
    attempts.inc({ outcome })
    if (count > 0) deadLetters.inc(count)
  })

  // Both sealing gauges come from one query; the collects of one scrape share it.
  const audit = new AuditRepository(fastify.db)
  let reading: Promise<{ events: number, oldestAgeSeconds: number } | undefined> | undefined
  const sealingBacklog = () => {
    reading ??= audit.sealingBacklog()
      .catch((error: unknown) => {
        fastify.log.error({ err: safe(error) }, 'metrics: reading the sealing backlog failed; the gauges keep their last values')
        return undefined
      })
      .finally(() => { reading = undefined })
    return reading
  }
  const unsealedGauge = new Gauge({
    name: 'audit_unsealed_events',
    help: 'Committed audit events not yet sealed into the chain (the sealer\'s queue), read at scrape time; the last value read while the database cannot be read',
    registers: [],
    async collect () {
      const backlog = await sealingBacklog()
      if (backlog !== undefined) this.set(backlog.events)
    }
  })
  const lagGauge = new Gauge({
    name: 'audit_sealing_lag_seconds',
    help: 'Age of the oldest committed audit event not yet sealed, 0 when none, read at scrape time; the last value read while the database cannot be read',
    registers: [],
    async collect () {
      const backlog = await sealingBacklog()
      if (backlog !== undefined) this.set(backlog.oldestAgeSeconds)
    }
  })
  registry.registerMetric(unsealedGauge)
  registry.registerMetric(lagGauge)

  const eventStream = fastify.eventStream
  const streamGauge = new Gauge({
    name: 'event_stream_clients',
    help: 'Clients of GET /v1/events/stream (Server-Sent Events) connected to this process now',
    registers: [],
    collect () {
      this.set(eventStream.clientCount)
    }
  })
  registry.registerMetric(streamGauge)

  fastify.decorate('metrics', registry)
  let server: Server | undefined
  fastify.addHook('onClose', async () => {
    if (server === undefined) return
    server.closeAllConnections()
    await new Promise((resolve) => server!.close(resolve))
  })
  fastify.decorate('serveMetrics', async ({ port, host }: { port: number, host: string }) => {
    if (server !== undefined) throw new Error('the metrics are served already')
    server = createServer((request, response) => {
      const path = request.url?.split('?')[0]
      if (request.method !== 'GET' || path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: only GET /metrics is served here\n')
        return
      }
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => {
          fastify.log.error({ err: error }, 'metrics failed')
          response.writeHead(500).end()
        })
    })
    const listening = server
    await new Promise<void>((resolve, reject) => listening.once('error', reject).listen(port, host, resolve))
    return listening.address() as AddressInfo
  })
  fastify.addHook('onResponse', async (request, reply) => {
    // The route template, not the URL: ids in paths would explode the label set.
    const route = request.routeOptions.url ?? 'unmatched'
    duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000)
    if (reply.getHeader('idempotent-replayed') === 'true') replays.inc({ method: request.method, route })
  })
}

export default fp(metricsPlugin, { name: 'metrics', fastify: '5.x', dependencies: ['database', 'workers'] })
