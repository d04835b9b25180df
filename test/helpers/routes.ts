import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify'
import type { Access } from '../../src/plugins/auth.ts'

export interface RegisteredRoute { method: string, url: string }

/**
 * Every (method, url) the router knows, from `printRoutes` (Fastify has no route list API), each
 * confirmed with `hasRoute` so that a misread tree fails instead of silently dropping a route.
 */
export function registeredRoutes (app: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = []
  const stack: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([^)]*)\))?$/.exec(line)
    if (!match) {
      if (line.trim() !== '') throw new Error(`cannot read the route tree line ${JSON.stringify(line)}`)
      continue
    }
    stack.length = match[1]!.length / 4
    const printed = stack.join('') + match[2]!
    stack.push(match[2]!)
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) {
      // The tree compresses a wildcard's path: "/docs" → "*" is "/docs/static/*". Try the folders of
      // the routes already read under the same prefix.
      const parent = printed.replace(/\*$/, '')
      const candidates = [printed, ...routes.filter((r) => r.url.startsWith(parent)).map((r) => r.url.replace(/[^/]*$/, '*'))]
      const url = candidates.find((u) => app.hasRoute({ method: method as HTTPMethods, url: u }))
      if (url === undefined) throw new Error(`printRoutes shows ${method} ${printed}, which hasRoute does not know`)
      routes.push({ method, url })
    }
  }
  return routes
}

/**
 * Reads every route's declared `config.access` from the requests that reach it: on the response
 * (the auth hook may have refused the request before ours ran), and on the request (a static file
 * route that answers "no such file" hands over to the not-found handler).
 */
export function accessCollector (seen: Map<string, Access | undefined>) {
  return (app: FastifyInstance) => {
    const record = async (request: FastifyRequest) => {
      const { url, config } = request.routeOptions
      if (url !== undefined) seen.set(`${request.method} ${url}`, config.access)
    }
    app.addHook('onRequest', record)
    app.addHook('onResponse', record)
  }
}
