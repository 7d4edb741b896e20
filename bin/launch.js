// Chooses what the `sizing` executable runs. In a checkout with the dev dependencies: the
// TypeScript sources through tsx, so it is never older than the code. An installed package or the
// container image (no src/, no tsx): the compiled dist/. Neither: say how to build, exit code 2.
import { existsSync } from 'node:fs'

async function registerTsx () {
  const { register } = await import('tsx/esm/api')
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
  if (exists(source) && await tsxRegistered(tsx)) return await load(source)
  if (exists(compiled)) return await load(compiled)
  stderr('sizing: dist/ is missing: run "npm run build" first (or install the dev dependencies)\n')
  setExitCode(2)
}
