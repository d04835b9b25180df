import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /** True once `beginDrain()` was called: the service is shutting down and no longer ready. */
    readonly draining: boolean
    /**
     * Starts the drain that precedes `close()` (src/server.ts calls it on SIGTERM/SIGINT; calling
     * it again does nothing): `GET /health/ready` answers 503 from now on, so that load balancers
     * stop sending, while every request, also on new connections, is still served as usual.
     */
    beginDrain: () => void
  }
}

/**
 * A graceful shutdown. Draining changes two things only: readiness fails, and answers carry
 * `connection: close`, so that clients and proxies holding kept-alive connections open new ones
 * (which the load balancer sends elsewhere) instead of reusing ours: when the server then stops
 * listening, few idle connections are left for a request to race their closing. Once the app
 * closes, answers keep closing their connections: server.close() closes the connections that are
 * idle when it starts, once, so a request still in flight must not leave a keep-alive socket
 * behind that holds close() (and the process) open until the shutdown timeout.
 */
async function shutdownPlugin (fastify: FastifyInstance) {
  let draining = false
  let closing = false
  fastify.decorate('draining', { getter: () => draining })
  fastify.decorate('beginDrain', () => { draining = true })
  fastify.addHook('preClose', async () => { closing = true })
  fastify.addHook('onSend', async (_request, reply) => {
    if (draining || closing) reply.header('connection', 'close')
  })
}

export default fp(shutdownPlugin, { name: 'shutdown', fastify: '5.x' })
