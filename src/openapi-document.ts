import { exportJWK, generateKeyPair } from 'jose'
import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'
import { openPglite } from './db/client.ts'

/** The OpenAPI document exactly as the service serves it, serialised the way openapi/openapi.json is stored. */
export async function renderOpenApiDocument (): Promise<string> {
  // The document does not depend on configuration; throwaway keys and an empty database suffice.
  const { publicKey } = await generateKeyPair('ES256')
  const config = loadConfig({
    DATABASE_URL: 'pglite://memory',
    AUTH_JWKS: JSON.stringify({ keys: [await exportJWK(publicKey)] }),
    AUTH_ISSUER: 'openapi',
    AUTH_AUDIENCE: 'openapi',
    LOG_LEVEL: 'silent',
    // No background work against the unmigrated database.
    WORKERS: 'off'
  })
  const database = await openPglite(null)
  const app = await buildApp({ config, database, closeDatabase: true, logger: false })
  try {
    await app.ready()
    return JSON.stringify(app.swagger(), null, 2) + '\n'
  } finally {
    await app.close()
  }
}
