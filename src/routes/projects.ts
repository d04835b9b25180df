import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'

const projectsRoutes: FastifyPluginAsyncZod = async () => {}

export default projectsRoutes
