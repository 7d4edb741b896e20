// Writes openapi/openapi.json and openapi/openapi.yaml from the route schemas (npm run openapi).
// test/openapi.test.ts fails when the committed files differ from what this produces.
import { writeFileSync } from 'node:fs'
import { stringify } from 'yaml'
import { buildApp } from '../src/app.js'

export async function renderOpenApi (): Promise<{ json: string, yaml: string }> {
  const app = await buildApp()
  await app.ready()
  const document = app.swagger()
  await app.close()
  return { json: `${JSON.stringify(document, null, 2)}\n`, yaml: stringify(document) }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const { json, yaml } = await renderOpenApi()
  writeFileSync(new URL('../openapi/openapi.json', import.meta.url), json)
  writeFileSync(new URL('../openapi/openapi.yaml', import.meta.url), yaml)
  process.stdout.write('wrote openapi/openapi.json and openapi/openapi.yaml\n')
}
