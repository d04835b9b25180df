import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { msg } from '../messages.ts'
import { sendProblem } from '../plugins/errors.ts'
import { ProblemSchema, problemResponses } from '../schemas/common.ts'

const READY_TIMEOUT_MS = 1_000

const healthRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const Status = z.object({ status: z.literal('ok') })

  fastify.get('/health/live', {
    config: { access: 'public' },
    schema: { tags: ['operations'], summary: 'The process is running', response: { 200: Status } }
  }, async () => ({ status: 'ok' as const }))

  fastify.get('/health/ready', {
    config: { access: 'public' },
    schema: {
      tags: ['operations'],
      summary: 'The service takes requests: it can reach its database and is not shutting down',
      response: { 200: Status, 503: ProblemSchema.describe('The database is unreachable, or the service is shutting down') }
    }
  }, async (request, reply) => {
    // Draining (src/plugins/shutdown.ts): load balancers must stop sending before the server stops
    // listening. Expected, so sent as it is rather than thrown: the error handler logs every 5xx.
    if (fastify.draining) return sendProblem(request, reply, new AppError('UNAVAILABLE', msg('shuttingDown')))
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS)
    })
    try {
      await Promise.race([fastify.database.ping(), timeout])
    } catch {
      throw new AppError('UNAVAILABLE', msg('databaseUnreachable'), { headers: { 'retry-after': '2' } })
    } finally {
      clearTimeout(timer)
    }
    return { status: 'ok' as const }
  })

  fastify.get('/metrics', {
    config: { access: { roles: ['admin'] } },
    schema: {
      tags: ['operations'],
      summary: 'Prometheus metrics (text exposition format)',
      description: 'Needs an admin token. For Prometheus, set `METRICS_PORT`: the same text is then also served without a token on that port (`GET /metrics` on the service\'s `HOST`), which is to be reachable only inside the network.',
      produces: ['text/plain'],
      response: { 200: z.string().describe('Prometheus text exposition format'), ...problemResponses() }
    }
  }, async (_request, reply) => {
    reply.type(fastify.metrics.contentType)
    return fastify.metrics.metrics()
  })
}

export default healthRoutes
