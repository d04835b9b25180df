import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * One log line per request (the access log). The path without its query string: clients put
 * credentials there (`?access_token=`, a secret pasted into a filter) and `q` searches are
 * personal data. Its fields are these and no others, none of them a secret, so it is written
 * without the redaction pass that every other line goes through (LOG_REDACT in app.ts).
 */
async function accessLogPlugin (fastify: FastifyInstance) {
  const accessLog = fastify.log.child({}, { redact: [] })
  fastify.addHook('onResponse', async (request, reply) => {
    const url = request.url
    const query = url.indexOf('?')
    accessLog.info({
      reqId: request.id,
      method: request.method,
      route: request.routeOptions.url,
      url: query === -1 ? url : url.slice(0, query),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      sub: request.caller?.sub
    }, 'request')
  })
}

export default fp(accessLogPlugin, { name: 'access-log', fastify: '5.x' })
