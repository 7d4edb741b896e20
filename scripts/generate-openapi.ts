// Writes openapi/openapi.json and openapi/openapi.yaml from the route schemas (npm run openapi).
// test/openapi.test.ts fails when the committed files differ from what this produces.
import { writeFileSync } from 'node:fs'
import { renderOpenApi } from './openapi-document.js'

const { json, yaml } = await renderOpenApi()
writeFileSync(new URL('../openapi/openapi.json', import.meta.url), json)
writeFileSync(new URL('../openapi/openapi.yaml', import.meta.url), yaml)
process.stdout.write('wrote openapi/openapi.json and openapi/openapi.yaml\n')
