import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

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
 * Prometheus metrics: request durations by route template and status, pool figures, process
 * defaults. Operational figures are not for everyone: on the service's port `GET /metrics` needs an
 * admin token (routes/health.ts); METRICS_PORT serves them without one on a port that is kept
 * inside the network.
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
  })
}

export default fp(metricsPlugin, { name: 'metrics', fastify: '5.x', dependencies: ['database'] })
