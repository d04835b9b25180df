import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ROLES } from '../auth/caller.ts'
import { REGIONS } from '../domain/regions.ts'
import { problemResponses } from '../schemas/common.ts'

const Region = z.object({
  code: z.string().describe('DAGI region code'),
  name: z.string().describe('Danish name'),
  iso: z.string().describe('ISO 3166-2 code')
}).meta({ id: 'Region' })

const regionRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const body = { items: REGIONS.map((r) => ({ ...r })) }
  fastify.get('/v1/regions', {
    config: { access: { roles: ROLES } },
    schema: {
      tags: ['reference'],
      summary: 'The five Danish regions',
      response: { 200: z.object({ items: z.array(Region) }), ...problemResponses() }
    }
  }, async () => body)
}

export default regionRoutes
