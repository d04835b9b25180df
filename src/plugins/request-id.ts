import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** Every answer names its request (`x-request-id`), so a client can quote it and we can find its log line. */
async function requestIdPlugin (fastify: FastifyInstance) {
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
}

export default fp(requestIdPlugin, { name: 'request-id', fastify: '5.x' })
