// Applies pending migrations to DATABASE_URL (the service also does this at start).
import { ConfigError, loadConfig } from '../config.ts'
import { openDatabase } from '../db/client.ts'

try {
  const config = loadConfig()
  const database = await openDatabase(config.database)
  await database.migrate()
  await database.close()
  process.stdout.write(`migrations applied (${config.database.kind})\n`)
} catch (error) {
  process.stderr.write(`db:migrate: ${error instanceof ConfigError ? error.message : String(error)}\n`)
  process.exit(1)
}
