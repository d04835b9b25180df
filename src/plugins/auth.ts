import type { FastifyInstance, onRequestAsyncHookHandler, preParsingAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { hasRole, type Caller, type Role } from '../auth/caller.ts'
import { createTokenVerifier, type VerifyToken } from '../auth/verifier.ts'
import type { AuthConfig } from '../config.ts'
import { councilOfSecretariat } from '../domain/councils.ts'
import { AppError } from '../errors.ts'
import { msg } from '../messages.ts'
import { StreamTicketRepository } from '../repositories/stream-tickets.ts'

/**
 * Every route declares who may call it, in `config.access`: `'public'`, or the roles allowed.
 * A route without a declaration refuses to register, so a forgotten guard fails loudly at start.
 * `streamTicket: true`: the route also takes a stream ticket (`?ticket=`, POST
 * /v1/events/stream-tickets) instead of the bearer token, for EventSource, which sends no headers.
 */
export type Access = 'public' | { roles: readonly Role[], streamTicket?: true }

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
    // Who asks, first of all; whether they may, once the rate limit (an onRequest hook added after
    // this one, plugins/rate-limit.ts) has counted the request, so that refused requests count too.
    const bearer = authenticate(verifyToken)
    const identify = access.streamTicket === true ? ticketOrBearer(new StreamTicketRepository(fastify.db), bearer) : bearer
    route.onRequest = [identify, ...[route.onRequest ?? []].flat()]
    route.preParsing = [authorise(access.roles), ...[route.preParsing ?? []].flat()]
  })
}

const INVALID_REQUEST = { headers: { 'www-authenticate': 'Bearer error="invalid_request"' } }

/** The caller from the bearer token (401 without a valid one). */
function authenticate (verifyToken: VerifyToken): onRequestAsyncHookHandler {
  return async (request) => {
    const header = request.headers.authorization
    if (header === undefined) throw new AppError('UNAUTHENTICATED', msg('bearerRequired'))
    const match = BEARER.exec(header)
    if (!match) throw new AppError('UNAUTHENTICATED', msg('bearerMalformed'), INVALID_REQUEST)
    // Set before the role check, so the access log line of a 403 names who asked.
    request.caller = await verifyToken(match[1]!)
  }
}

/**
 * The caller from a stream ticket when the query has one (used up here: 401 when unknown, used or
 * expired), else from the bearer token. Both at once is a 400: the caller would be ambiguous.
 */
function ticketOrBearer (tickets: StreamTicketRepository, bearer: onRequestAsyncHookHandler): onRequestAsyncHookHandler {
  return async function (request, reply) {
    const ticket = (request.query as Record<string, unknown>).ticket
    if (ticket === undefined) return bearer.call(this, request, reply)
    if (request.headers.authorization !== undefined) throw new AppError('BAD_REQUEST', msg('ticketOrBearer'))
    const caller = typeof ticket === 'string' ? await tickets.consume(ticket) : undefined
    if (caller === undefined) throw new AppError('UNAUTHENTICATED', msg('ticketInvalid'))
    request.caller = caller
  }
}

/**
 * The caller must hold one of `roles` (403), checked before the body is read. A secretariat token
 * acts for the council whose secretariat its `org` is (ITR, SIR): of any other org it is 403.
 */
function authorise (roles: readonly Role[]): preParsingAsyncHookHandler {
  const forbidden = msg('rolesRequired', { roles })
  return async (request) => {
    const caller = request.caller
    if (!caller.roles.some((r) => roles.includes(r))) throw new AppError('FORBIDDEN', forbidden)
    if (hasRole(caller, 'secretariat') && !hasRole(caller, 'admin') && councilOfSecretariat(caller.org) === undefined) {
      throw new AppError('FORBIDDEN', msg('notASecretariat', { org: caller.org }))
    }
  }
}

export default fp(authPlugin, { name: 'auth', fastify: '5.x' })
