// npm run compile-schemas: writes generated/ (see scripts/compile-schemas-code.ts). fast-json-stringify
// bakes the array cutoffs of the Node that runs it into its standalone code (Node 20 differs from
// 22 and 24; the output is the same, only the speed differs): older than 22, the committed files stay.
import { mkdirSync, writeFileSync } from 'node:fs'
import { GENERATED_DIRECTORY } from '../src/compiled-schemas.js'
import { renderCompiledSchemas } from './compile-schemas-code.js'

export const MIN_NODE_MAJOR = 22

if (Number.parseInt(process.versions.node, 10) < MIN_NODE_MAJOR) {
  process.stdout.write(`compile-schemas: Node ${process.versions.node} is older than ${MIN_NODE_MAJOR}: generated/ left as committed\n`)
} else {
  mkdirSync(GENERATED_DIRECTORY, { recursive: true })
  for (const [name, content] of Object.entries(await renderCompiledSchemas())) writeFileSync(new URL(name, GENERATED_DIRECTORY), content)
  process.stdout.write('wrote generated/\n')
}
