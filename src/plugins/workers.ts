import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** Background workers (sealer, webhook dispatcher, checkpoints): started with the app, stopped on close. */
async function workersPlugin (_fastify: FastifyInstance) {}

export default fp(workersPlugin, { name: 'workers', fastify: '5.x', dependencies: ['database'] })
