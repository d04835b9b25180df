import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.ts'
import { msg } from '../messages.ts'

/**
 * Requests per token subject per minute (client address without a token). It runs after
 * authentication, so a forged `sub` never gets a bucket of its own, and before the role check
 * (plugins/auth.ts), so that requests refused with 403 count as well.
 */
async function rateLimitPlugin (fastify: FastifyInstance, opts: { perMinute: number }) {
  if (opts.perMinute === 0) return
  await fastify.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: opts.perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => request.caller ? `sub:${request.caller.sub}` : `ip:${request.ip}`,
    allowList: (request) => request.url.startsWith('/health/'),
    errorResponseBuilder: (_request, context) => Object.assign(
      new AppError('RATE_LIMITED', msg('rateLimited', { max: context.max, retryInSeconds: Math.ceil(context.ttl / 1000) }), { headers: { 'retry-after': String(Math.ceil(context.ttl / 1000)) } }),
      { statusCode: 429 }
    )
  })
}

export default fp(rateLimitPlugin, { name: 'rate-limit', fastify: '5.x', dependencies: ['auth'] })
