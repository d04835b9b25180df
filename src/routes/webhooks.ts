import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'

const webhooksRoutes: FastifyPluginAsyncZod = async () => {}

export default webhooksRoutes
