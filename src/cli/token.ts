// Mints a bearer token for dev mode: `npm run token -- --role submitter --org 1084 [--sub …] [--name …] [--ttl 28800]`.
import { parseArgs } from 'node:util'
import { ROLES, ORG_PATTERN, type Role } from '../auth/caller.ts'
import { mintDevToken } from '../auth/dev-key.ts'
import { ConfigError, loadConfig } from '../config.ts'

const USAGE = `usage: npm run token -- --role <role> [--role <role> …] --org <code> [--sub <id>] [--name <name>] [--ttl <seconds, default 28800>]
roles: ${ROLES.join(', ')}; prints a bearer token signed by the dev key (dev mode only)`

function fail (message: string): never {
  process.stderr.write(`token: ${message}\n${USAGE}\n`)
  process.exit(2)
}

let values
try {
  ({ values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      org: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string', default: '28800' },
      help: { type: 'boolean', short: 'h' }
    }
  }))
} catch (error) {
  // parseArgs refuses unknown options and missing values with a TypeError naming the option.
  fail(error instanceof Error ? error.message : String(error))
}
if (values.help) {
  process.stdout.write(USAGE + '\n')
  process.exit(0)
}

const roles = values.role ?? []
if (roles.length === 0) fail(`--role is required (one or more of: ${ROLES.join(', ')})`)
for (const role of roles) if (!(ROLES as readonly string[]).includes(role)) fail(`unknown role "${role}" (use: ${ROLES.join(', ')})`)
if (values.org === undefined || !ORG_PATTERN.test(values.org)) fail('--org is required: an organisation code such as 1084')
const ttl = Number(values.ttl)
if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl must be a positive number of seconds')

let config
try {
  config = loadConfig()
} catch (error) {
  if (error instanceof ConfigError) fail(error.message)
  throw error
}
if (config.auth.mode !== 'dev') fail('tokens can only be minted in dev mode (AUTH_JWKS and AUTH_JWKS_URL unset)')
// The service refuses a token that claims to live longer (src/auth/verifier.ts).
if (ttl > config.auth.maxTokenLifetimeS) fail(`--ttl must be at most AUTH_MAX_TOKEN_LIFETIME_S (${config.auth.maxTokenLifetimeS} s)`)

const { token } = await mintDevToken(config.auth, { roles: roles as Role[], org: values.org, sub: values.sub, name: values.name, ttlSeconds: ttl })
process.stdout.write(token + '\n')
