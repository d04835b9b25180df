import { setTimeout as sleep } from 'node:timers/promises'
import closeWithGrace from 'close-with-grace'
import pino from 'pino'
import { buildApp, LOG_REDACT } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { openDatabase } from './db/client.ts'

// The only file that knows about the process: configuration, listening and shutdown.
let config
try {
  config = loadConfig()
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`council-gate: ${error.message}\n`)
    process.exit(1)
  }
  throw error
}

// Asynchronous, buffered writes: lines go out in writes of 4 KB or more (about 15 request lines),
// and at least once a second, instead of a write handed to libuv's thread pool per line. pino
// flushes what is left when the process exits; a process killed outright (SIGKILL, out of memory)
// loses at most that second.
const logger = pino({ level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' } },
  pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 1000 }))

const database = await openDatabase(config.database)
await database.migrate()

const app = await buildApp({ config, database, closeDatabase: true, logger })

if (config.auth.mode === 'dev') {
  logger.warn({ keyFile: config.auth.keyFile }, 'DEV MODE AUTH: tokens are signed by a local key; mint one with `npm run token -- --role submitter --org 1084`. Set AUTH_JWKS or AUTH_JWKS_URL in production.')
}
if (config.database.kind === 'pglite') {
  logger.info({ dataDir: config.database.dataDir ?? 'memory' }, 'using the embedded PGlite database')
}

// Shutdown drains, it does not drop: on a signal /health/ready answers 503 at once, so that the
// load balancer stops sending, while requests, also on new connections, are still served for
// SHUTDOWN_GRACE_MS. Only then does close() stop listening: connections not yet read or still in
// the listen backlog would be reset by it. close() then finishes the requests in flight (a request
// that arrives on a kept-alive connection after it started answers 503). SHUTDOWN_TIMEOUT_MS counts
// from the signal, the grace period included (config.ts checks it is longer): then the process
// exits anyway. After an uncaught error there is no grace period: the app closes at once.
// A second signal exits at once (close-with-grace). Two log lines, 'shutting down' with `phase`:
// `draining` (readiness fails, everything is still served) and `closing` (close() has begun).
closeWithGrace({ delay: config.shutdownTimeoutMs, logger }, async ({ signal, err }) => {
  if (err) {
    logger.error({ err }, 'shutting down after an error')
  } else if (signal) {
    app.beginDrain()
    logger.info({ phase: 'draining', graceMs: config.shutdownGraceMs, signal }, 'shutting down')
    await sleep(config.shutdownGraceMs, undefined, { ref: false })
  }
  logger.info({ phase: 'closing', signal }, 'shutting down')
  await app.close()
})

const address = await app.listen({ port: config.port, host: config.host })
logger.info({ pages: `${address}/app/`, docs: `${address}/docs` }, `pages at ${address}/app/, API documentation at ${address}/docs`)
if (config.metricsPort !== undefined) {
  const metrics = await app.serveMetrics({ port: config.metricsPort, host: config.host })
  logger.info({ port: metrics.port }, 'metrics without a token on their own port (METRICS_PORT)')
}
