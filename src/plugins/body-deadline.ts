import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Node's requestTimeout cuts off slow headers only: once they are in, a body trickling in
 * (slowloris) holds its connection for ever, also after an early answer (401, 415) while Node
 * discards the rest. The body gets the same deadline, or the connection is dropped.
 */
async function bodyDeadlinePlugin (fastify: FastifyInstance) {
  fastify.addHook('onRequest', async (request) => {
    const deadline = fastify.server.requestTimeout
    const { 'content-length': length, 'transfer-encoding': chunked } = request.headers
    if (deadline > 0 && ((length !== undefined && length !== '0') || chunked !== undefined)) {
      const raw = request.raw
      const timer = setTimeout(() => raw.destroy(), deadline).unref()
      // A request emits 'close' once: right after its body has been read, or when it is aborted.
      raw.on('close', () => clearTimeout(timer))
    }
  })
}

export default fp(bodyDeadlinePlugin, { name: 'body-deadline', fastify: '5.x' })
