#!/usr/bin/env node
// The `sizing` executable. In a checkout with the dev dependencies it runs the TypeScript sources
// through tsx, so it is never older than the code; an installed package or the container image
// runs the compiled dist/.
import { existsSync } from 'node:fs'

const source = new URL('../src/cli/main.ts', import.meta.url)
const compiled = new URL('../dist/cli/main.js', import.meta.url)

async function tsxRegistered () {
  try {
    const { register } = await import('tsx/esm/api')
    register()
    return true
  } catch {
    return false
  }
}

if (existsSync(source) && await tsxRegistered()) {
  await import(source.href)
} else if (existsSync(compiled)) {
  await import(compiled.href)
} else {
  process.stderr.write('sizing: dist/ is missing: run "npm run build" first (or install the dev dependencies)\n')
  process.exitCode = 2
}
