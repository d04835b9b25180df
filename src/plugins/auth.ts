import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Caller, Role } from '../auth/caller.ts'
import { createTokenVerifier } from '../auth/verifier.ts'
import type { AuthConfig } from '../config.ts'
import { AppError } from '../errors.ts'

/**
 * Every route declares who may call it, in `config.access`: `'public'`, or the roles allowed.
 * A route without a declaration refuses to register, so a forgotten guard fails loudly at start.
 */
export type Access = 'public' | { roles: readonly Role[] }

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyRequest {
    /** Set for every non-public route before validation runs. */
    caller: Caller
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/

async function authPlugin (fastify: FastifyInstance, opts: { auth: AuthConfig }) {
  const verifyToken = await createTokenVerifier(opts.auth)

  fastify.decorateRequest('caller', null as unknown as Caller)

  fastify.addHook('onRoute', (route) => {
    const config = (route.config ??= {}) as { access?: Access }
    if (config.access !== undefined) return
    // The API reference's own routes (@fastify/swagger-ui) and the web pages' static files
    // (@fastify/static, plugins/web.ts) cannot carry our config; they are public. The pages hold
    // no data: they call the API with the user's bearer token.
    if (route.url.startsWith('/docs') || route.url === '/app' || route.url.startsWith('/app/')) {
      config.access = 'public'
      return
    }
    throw new Error(`route ${route.method.toString()} ${route.url} declares no config.access`)
  })

  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    const access = request.routeOptions.config.access
    if (access === undefined || access === 'public') return
    const header = request.headers.authorization
    if (header === undefined) throw new AppError('UNAUTHENTICATED', 'an Authorization: Bearer token is required')
    const match = BEARER.exec(header)
    if (!match) throw new AppError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <JWT>"', { headers: { 'www-authenticate': 'Bearer error="invalid_request"' } })
    request.caller = await verifyToken(match[1]!)
    if (!request.caller.roles.some((r) => access.roles.includes(r))) {
      throw new AppError('FORBIDDEN', `this operation needs one of the roles: ${access.roles.join(', ')}`)
    }
  })
}

export default fp(authPlugin, { name: 'auth', fastify: '5.x' })
