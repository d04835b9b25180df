import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Database, Db } from '../db/client.ts'
import { UnitOfWork } from '../db/unit-of-work.ts'

declare module 'fastify' {
  interface FastifyInstance {
    database: Database
    db: Db
    uow: UnitOfWork
  }
}

/** Exposes the (already migrated) database and the unit of work; closes the database with the app. */
async function databasePlugin (fastify: FastifyInstance, opts: { database: Database, closeWithApp: boolean }) {
  fastify.decorate('database', opts.database)
  fastify.decorate('db', opts.database.db)
  fastify.decorate('uow', new UnitOfWork(opts.database))
  if (opts.closeWithApp) {
    // Runs after every other onClose hook (workers, streams) has let go of its connections.
    fastify.addHook('onClose', async () => { await opts.database.close() })
  }
}

export default fp(databasePlugin, { name: 'database', fastify: '5.x' })
