import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { ProblemSchema } from '../schemas/common.ts'

const READY_TIMEOUT_MS = 1_000

const healthRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const Status = z.object({ status: z.literal('ok') })

  fastify.get('/health/live', {
    config: { access: 'public' },
    schema: { tags: ['operations'], summary: 'The process is running', security: [], response: { 200: Status } }
  }, async () => ({ status: 'ok' as const }))

  fastify.get('/health/ready', {
    config: { access: 'public' },
    schema: {
      tags: ['operations'],
      summary: 'The service can reach its database',
      security: [],
      response: { 200: Status, 503: ProblemSchema.describe('The database is unreachable') }
    }
  }, async () => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS)
    })
    try {
      await Promise.race([fastify.database.ping(), timeout])
    } catch {
      throw new AppError('UNAVAILABLE', 'the database is unreachable', { headers: { 'retry-after': '2' } })
    } finally {
      clearTimeout(timer)
    }
    return { status: 'ok' as const }
  })

  fastify.get('/metrics', {
    config: { access: 'public' },
    schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)', security: [], produces: ['text/plain'] }
  }, async (_request, reply) => {
    reply.type(fastify.metrics.contentType)
    return fastify.metrics.metrics()
  })
}

export default healthRoutes
