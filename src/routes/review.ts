import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'

const reviewRoutes: FastifyPluginAsyncZod = async () => {}

export default reviewRoutes
