import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Config } from './config.ts'
import type { Database } from './db/client.ts'
import { serializerCompiler } from './serializer.ts'
import { validatorCompiler } from './validator.ts'
import accessLogPlugin from './plugins/access-log.ts'
import authPlugin from './plugins/auth.ts'
import bodyDeadlinePlugin from './plugins/body-deadline.ts'
import databasePlugin from './plugins/database.ts'
import errorsPlugin from './plugins/errors.ts'
import metricsPlugin from './plugins/metrics.ts'
import openapiPlugin from './plugins/openapi.ts'
import rateLimitPlugin from './plugins/rate-limit.ts'
import requestBodyPlugin from './plugins/request-body.ts'
import requestIdPlugin from './plugins/request-id.ts'
import shutdownPlugin from './plugins/shutdown.ts'
import workersPlugin from './plugins/workers.ts'
import webPlugin from './plugins/web.ts'
import { CouncilRepository } from './repositories/councils.ts'
import auditRoutes from './routes/audit.ts'
import councilRoutes from './routes/councils.ts'
import documentRoutes from './routes/documents.ts'
import memberRoutes from './routes/members.ts'
import eventRoutes from './routes/events.ts'
import healthRoutes from './routes/health.ts'
import problemRoutes from './routes/problems.ts'
import projectRoutes from './routes/projects.ts'
import regionRoutes from './routes/regions.ts'
import portfolioRoutes from './routes/portfolio.ts'
import annualReportRoutes from './routes/annual-report.ts'
import reportRoutes from './routes/reports.ts'
import reviewRoutes from './routes/review.ts'
import webhookRoutes from './routes/webhooks.ts'

export interface AppOptions {
  config: Config
  database: Database
  /** Close the database when the app closes (the server does; tests that share one do not). */
  closeDatabase?: boolean
  /** pino options or a logger instance; `false` for none. */
  logger?: FastifyServerOptions['logger'] | FastifyServerOptions['loggerInstance']
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

export const REQUEST_TIMEOUT_MS = 30_000

export const LOG_REDACT = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  '*.secret',
  'secret',
  '*.token',
  'token'
]

/** Builds the whole service without listening: the server and the tests use this same function. */
export async function buildApp (opts: AppOptions): Promise<FastifyInstance> {
  const { config } = opts
  const logger = opts.logger === undefined
    ? { level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' } }
    : opts.logger
  const fastify = Fastify({
    ...(logger !== null && typeof logger === 'object' && 'child' in logger ? { loggerInstance: logger } : { logger: logger as FastifyServerOptions['logger'] }),
    bodyLimit: 1024 * 1024,
    // A slow client (slowloris) may not hold a socket: headers and body must arrive within 30 s
    // (408), checked every 5 s rather than Node's 30 s. Responses (SSE streams) are not limited.
    requestTimeout: REQUEST_TIMEOUT_MS,
    http: { connectionsCheckingInterval: 5_000 },
    logController: new LogController({ disableRequestLogging: true }),
    // genReqId reads x-request-id itself, so a hostile value never reaches the logs.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    trustProxy: false,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true }
  }).withTypeProvider<ZodTypeProvider>()

  fastify.setValidatorCompiler(validatorCompiler)
  fastify.setSerializerCompiler(serializerCompiler)
  // JSON only: text/plain bodies answer 415 like any other media type.
  fastify.removeContentTypeParser('text/plain')

  // 1. the request's own: its body (deadline, JSON in UTF-8, the 413 read to its end), the access
  //    log, its id on the answer; draining
  await fastify.register(bodyDeadlinePlugin)
  await fastify.register(requestBodyPlugin)
  await fastify.register(accessLogPlugin)
  await fastify.register(requestIdPlugin)
  await fastify.register(shutdownPlugin)

  // 2. external: database, errors, auth, rate limit, docs. Auth and the rate limit hook
  //    every route registered after them (onRoute): the docs' routes too, so they come later.
  await fastify.register(databasePlugin, { database: opts.database, closeWithApp: opts.closeDatabase ?? false })
  await fastify.register(errorsPlugin)
  await fastify.register(authPlugin, { auth: config.auth })
  await fastify.register(rateLimitPlugin, { perMinute: config.rateLimitPerMinute })
  await fastify.register(openapiPlugin)

  // 3. application services, and the metrics, which read the workers' figures
  await fastify.register(workersPlugin, { config })
  await fastify.register(metricsPlugin)
  // Dev mode acts for the state council at once (`npm run token -- --role submitter --org 10000000`),
  // and as a council member of either council (`--role council_member --org 1081`, `--org SIR`).
  if (config.auth.mode === 'dev') await new CouncilRepository(fastify.db).seedDemo()

  // 4. routes
  await fastify.register(healthRoutes)
  await fastify.register(problemRoutes)
  await fastify.register(regionRoutes)
  await fastify.register(councilRoutes)
  await fastify.register(memberRoutes)
  await fastify.register(projectRoutes)
  await fastify.register(reviewRoutes)
  await fastify.register(reportRoutes)
  await fastify.register(documentRoutes)
  await fastify.register(portfolioRoutes)
  await fastify.register(annualReportRoutes)
  await fastify.register(eventRoutes)
  await fastify.register(webhookRoutes)
  await fastify.register(auditRoutes)
  await fastify.register(webPlugin, { auth: config.auth })

  return fastify
}
