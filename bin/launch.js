// Chooses what the `sizing` executable runs. In a checkout: the TypeScript sources, so it is never
// older than the code, through the TypeScript loader the runtime already has (node --import tsx, a
// test runner's) or else tsx, registered here. An installed package or the container image (no
// src/, or no tsx): the compiled dist/. Neither: say how to build, exit code 2.
import { existsSync } from 'node:fs'

export async function registerTsx (api = 'tsx/esm/api') {
  const { register } = await import(api)
  register()
}

/** False when tsx is not installed (a package installed without dev dependencies); other errors are real. */
async function tsxRegistered (tsx) {
  try {
    await tsx()
    return true
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND') return false
    throw error
  }
}

/**
 * Whether loading the sources failed for want of a TypeScript loader: Node 20 refuses `.ts`
 * (ERR_UNKNOWN_FILE_EXTENSION); Node 22.18+ and 24 strip types themselves but do not map the sources'
 * `./x.js` specifiers to `./x.ts` (ERR_MODULE_NOT_FOUND for a .js beside the sources).
 */
export function needsTypeScriptLoader (error, source) {
  if (error?.code === 'ERR_UNKNOWN_FILE_EXTENSION') return true
  const missing = String(error?.url ?? '')
  return error?.code === 'ERR_MODULE_NOT_FOUND' && missing.endsWith('.js') && missing.startsWith(new URL('..', source).href)
}

/** The sources, or false when nothing here can load TypeScript. */
async function loadSources (source, tsx, load) {
  try {
    return { module: await load(source) }
  } catch (error) {
    if (!needsTypeScriptLoader(error, source)) throw error
  }
  if (!(await tsxRegistered(tsx))) return false
  // the failed import above is cached under its URL: a query makes it a new module for tsx
  return { module: await load(new URL('?tsx', source)) }
}

/** `binUrl` is bin/sizing.js's own URL; the rest is replaceable for tests. */
export async function launch (binUrl, {
  exists = existsSync,
  tsx = registerTsx,
  load = (url) => import(url.href),
  stderr = (text) => process.stderr.write(text),
  setExitCode = (code) => { process.exitCode = code }
} = {}) {
  const source = new URL('../src/cli/main.ts', binUrl)
  const compiled = new URL('../dist/cli/main.js', binUrl)
  if (exists(source)) {
    const sources = await loadSources(source, tsx, load)
    if (sources !== false) return sources.module
  }
  if (exists(compiled)) return await load(compiled)
  stderr('sizing: dist/ is missing: run "npm run build" first (or install the dev dependencies)\n')
  setExitCode(2)
}
