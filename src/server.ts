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
// and at least once a second, instead of a write handed to libuv's thread pool per line (~12 µs
// of the event loop per request under load, bench/README.md). pino flushes what is left when the
// process exits; a process killed outright (SIGKILL, out of memory) loses at most that second.
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

closeWithGrace({ delay: config.shutdownTimeoutMs }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'shutting down after an error')
  else logger.info({ signal }, 'shutting down')
  await app.close()
})

await app.listen({ port: config.port, host: config.host })
