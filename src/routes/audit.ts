import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'

const auditRoutes: FastifyPluginAsyncZod = async () => {}

export default auditRoutes
