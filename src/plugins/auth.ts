import type { FastifyInstance, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import type { Caller, Role } from '../auth/caller.ts'
import { createTokenVerifier, type VerifyToken } from '../auth/verifier.ts'
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

  // Each guarded route gets its own onRequest hook, made here with the roles it allows: nothing
  // looks the route's config up per request (fastify builds request.routeOptions anew on every read).
  fastify.addHook('onRoute', (route) => {
    const config = (route.config ??= {}) as { access?: Access }
    // The API reference's own routes (@fastify/swagger-ui) and the web pages' static files
    // (@fastify/static, plugins/web.ts) cannot carry our config; they are public. The pages hold
    // no data: they call the API with the user's bearer token.
    if (config.access === undefined && (route.url.startsWith('/docs') || route.url === '/app' || route.url.startsWith('/app/'))) {
      config.access = 'public'
    }
    const access = config.access
    if (access === undefined) throw new Error(`route ${route.method.toString()} ${route.url} declares no config.access`)
    if (access === 'public') return
    const guard = authenticate(verifyToken, access.roles)
    route.onRequest = route.onRequest === undefined ? [guard] : [guard, ...[route.onRequest].flat()]
  })
}

const INVALID_REQUEST = { headers: { 'www-authenticate': 'Bearer error="invalid_request"' } }

/** The caller from the bearer token, who must hold one of `roles`. A callback hook: a known token answers without a promise. */
function authenticate (verifyToken: VerifyToken, roles: readonly Role[]): onRequestHookHandler {
  const forbidden = `this operation needs one of the roles: ${roles.join(', ')}`
  const admit = (request: FastifyRequest, caller: Caller, done: HookHandlerDoneFunction) => {
    request.caller = caller
    done(caller.roles.some((r) => roles.includes(r)) ? undefined : new AppError('FORBIDDEN', forbidden))
  }
  return (request, _reply, done) => {
    const header = request.headers.authorization
    if (header === undefined) return done(new AppError('UNAUTHENTICATED', 'an Authorization: Bearer token is required'))
    const match = BEARER.exec(header)
    if (!match) return done(new AppError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <JWT>"', INVALID_REQUEST))
    const caller = verifyToken(match[1]!)
    if (caller instanceof Promise) caller.then((known) => admit(request, known, done), done)
    else admit(request, caller, done)
  }
}

export default fp(authPlugin, { name: 'auth', fastify: '5.x' })
