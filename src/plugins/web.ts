import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ORG_PATTERN, ROLES } from '../auth/caller.ts'
import { DEV_TOKEN_TTL_SECONDS, mintDevToken } from '../auth/dev-key.ts'
import type { AuthConfig } from '../config.ts'
import { rule } from '../messages.ts'
import { ROOT_DIR } from '../paths.ts'

/** The pages: plain HTML, CSS and browser ES modules, served as they are (no build step). */
export const WEB_ROOT = join(ROOT_DIR, 'src', 'web', 'public')

/**
 * Everything the pages load comes from this origin, and no script runs unless it is a file of
 * ours: no inline script or style, no eval, no frames, no plugins.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join('; ')

const DevTokenBody = z.strictObject({
  role: z.enum(ROLES),
  org: z.string().regex(ORG_PATTERN, rule('organisationCode')),
  sub: z.string().trim().min(1).max(255).optional(),
  name: z.string().trim().min(1).max(255).optional()
})

/**
 * The web pages for council members, the secretariat and submitters under /app (hash-routed,
 * one index.html). Not wrapped in fastify-plugin: the security headers apply to /app only.
 * Its static routes are public by the rule in plugins/auth.ts; the data comes from /v1 with the
 * user's bearer token.
 */
const webPlugin: FastifyPluginAsyncZod<{ auth: AuthConfig }> = async (fastify, opts) => {
  fastify.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY)
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'no-referrer')
  })

  // wildcard: false serves exactly the files present at start (and /app/ → index.html).
  await fastify.register(fastifyStatic, { root: WEB_ROOT, prefix: '/app/', wildcard: false, index: 'index.html' })

  const devSignIn = opts.auth.mode === 'dev'

  fastify.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/'))

  fastify.get('/app/config.json', {
    config: { access: 'public' },
    schema: { hide: true, response: { 200: z.object({ devSignIn: z.boolean() }) } }
  }, async () => ({ devSignIn }))

  // Dev mode only: anyone who can reach the service may mint any role, exactly as with
  // `npm run token`. With AUTH_JWKS(_URL) configured the route does not exist.
  if (opts.auth.mode === 'dev') {
    const auth = opts.auth
    fastify.post('/app/dev-token', {
      config: { access: 'public' },
      schema: {
        hide: true,
        body: DevTokenBody,
        response: { 200: z.object({ token: z.string(), expiresAt: z.string() }) }
      }
    }, async (request, reply) => {
      reply.header('cache-control', 'no-store')
      const { role, org, sub, name } = request.body
      const { token, expiresAt } = await mintDevToken(auth, { roles: [role], org, sub, name, ttlSeconds: Math.min(DEV_TOKEN_TTL_SECONDS, auth.maxTokenLifetimeS) })
      return { token, expiresAt: expiresAt.toISOString() }
    })
  }
}

export default webPlugin
