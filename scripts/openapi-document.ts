// Renders the OpenAPI document from the route schemas, as JSON and YAML text.
import { stringify } from 'yaml'
import { buildApp } from '../src/app.js'

export async function renderOpenApi (): Promise<{ json: string, yaml: string }> {
  const app = await buildApp()
  await app.ready()
  const document = app.swagger()
  await app.close()
  return { json: `${JSON.stringify(document, null, 2)}\n`, yaml: stringify(document) }
}
