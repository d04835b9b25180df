import { eq } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import type { Db } from '../../db/client.ts'
import { projects } from '../../db/schema/index.ts'
import { notFound } from '../../errors.ts'
import { PROJECT_REFERENCE } from '../../schemas/common.ts'

/**
 * A preHandler for the routes under /v1/projects/{id}: a reference in the path (`ITR-2026-0001`,
 * any case) becomes the project's id, so that the use cases see only ids. Visibility is theirs to
 * check: an unknown reference is 404 here, one the caller may not see is 404 there.
 */
export function resolveProjectReference (db: Db) {
  return async (request: FastifyRequest): Promise<void> => {
    const params = request.params as { id?: string }
    if (params.id === undefined || !PROJECT_REFERENCE.test(params.id)) return
    const [row] = await db.select({ id: projects.id }).from(projects).where(eq(projects.reference, params.id.toUpperCase())).limit(1)
    if (!row) throw notFound('project')
    params.id = row.id
  }
}
