// Writes openapi/openapi.json from the route schemas (`npm run openapi`); a test fails when it is stale.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderOpenApiDocument } from '../openapi-document.ts'
import { ROOT_DIR } from '../paths.ts'

const file = join(ROOT_DIR, 'openapi', 'openapi.json')
writeFileSync(file, await renderOpenApiDocument())
process.stdout.write(`wrote ${file}\n`)
