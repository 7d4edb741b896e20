// Chooses what the `sizing` executable runs, never code older than the sources beside it.
//
// In a checkout (src/ is here):
//   1. the sources, through the TypeScript loader the runtime already has (node --import tsx, a test
//      runner's), when it has one;
//   2. else the CLI bundled into one file (bin/bundle.js), kept in node_modules/.cache/sizing-cli/
//      and rebuilt by esbuild (a dev dependency) as soon as any of its inputs has changed: the fast
//      path, most of a call being otherwise spent loading modules one by one;
//   3. else (no esbuild, or the cache cannot be written) the sources through tsx, registered here;
//   4. else (no dev dependencies) the compiled dist/, when it is not older than the sources.
// In an installed package or the container image (no src/): the bundle dist/cli/sizing.mjs when the
// build made one, else the compiled dist/cli/main.js. Nothing to run: say why, exit code 2.
import { existsSync, readdirSync, statSync } from 'node:fs'
import nodeModule from 'node:module'

/**
 * Node 22.1 and later keep the code they compile for the modules a call loads (the bundle,
 * generated/) in a cache directory (NODE_COMPILE_CACHE, or node-compile-cache in the temporary
 * directory), so later calls compile next to nothing. Not while V8 collects coverage
 * (NODE_V8_COVERAGE, the tests): code from the cache makes that coverage less precise.
 */
export function enableCompileCache (env = process.env, module = nodeModule) {
  if (env.NODE_V8_COVERAGE !== undefined || typeof module.enableCompileCache !== 'function') return false
  module.enableCompileCache()
  return true
}

export async function registerTsx (api = 'tsx/esm/api') {
  const { register } = await import(api)
  register()
}

/** Whether an import failed because the package is not installed (no dev dependencies); other errors are real. */
const notInstalled = (error) => error?.code === 'ERR_MODULE_NOT_FOUND'

/** False when tsx is not installed (a package installed without dev dependencies); other errors are real. */
async function tsxRegistered (tsx) {
  try {
    await tsx()
    return true
  } catch (error) {
    if (notInstalled(error)) return false
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

/** The sources through the loader the runtime has, or false when it has none. */
async function loadDirectly (source, load) {
  try {
    return { module: await load(source) }
  } catch (error) {
    if (!needsTypeScriptLoader(error, source)) throw error
    return false
  }
}

/** Errors that mean the cache cannot be written here (a read-only checkout): not worth failing for. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS'])

/**
 * The URL of the checkout's bundle, current with its inputs (rebuilt now when it is not), or
 * undefined when esbuild is not installed or the cache cannot be written.
 */
export async function checkoutBundle (root, {
  bundler = async () => await import('./bundle.js'),
  esbuild = async () => await import('esbuild')
} = {}) {
  const bundle = new URL('node_modules/.cache/sizing-cli/main.mjs', root)
  const { bundleCli, bundleIsCurrent } = await bundler()
  if (bundleIsCurrent(bundle, root)) return bundle
  let builder
  try {
    builder = await esbuild()
  } catch (error) {
    if (notInstalled(error)) return undefined
    throw error
  }
  let built
  try {
    await bundleCli(root, bundle, builder)
    built = bundle
  } catch (error) {
    if (!UNWRITABLE.has(error.code)) throw error
  } finally {
    await builder.stop()
  }
  return built
}

/** The first source file newer than its compiled counterpart in dist/ (or without one), or undefined. */
export function staleSource (root, { readdir = readdirSync, stat = statSync } = {}) {
  const visit = (directory) => {
    for (const entry of readdir(new URL(directory, root), { withFileTypes: true })) {
      const path = `${directory}${entry.name}`
      if (entry.isDirectory()) {
        const found = visit(`${path}/`)
        if (found !== undefined) return found
      } else if (path.endsWith('.ts')) {
        const compiled = new URL(`dist/${path.slice('src/'.length, -'.ts'.length)}.js`, root)
        let compiledAt
        try {
          compiledAt = stat(compiled).mtimeMs
        } catch {
          return path
        }
        if (stat(new URL(path, root)).mtimeMs > compiledAt) return path
      }
    }
    return undefined
  }
  return visit('src/')
}

/** `binUrl` is bin/sizing.js's own URL; the rest is replaceable for tests. */
export async function launch (binUrl, {
  exists = existsSync,
  tsx = registerTsx,
  load = (url) => import(url.href),
  bundle = checkoutBundle,
  stale = staleSource,
  stderr = (text) => process.stderr.write(text),
  setExitCode = (code) => { process.exitCode = code }
} = {}) {
  const root = new URL('..', binUrl)
  const source = new URL('../src/cli/main.ts', binUrl)
  const compiled = new URL('../dist/cli/main.js', binUrl)
  const packaged = new URL('../dist/cli/sizing.mjs', binUrl)
  const fail = (reason = 'dist/ is missing: run "npm run build" first (or install the dev dependencies)') => {
    stderr(`sizing: ${reason}\n`)
    setExitCode(2)
  }
  if (exists(source)) {
    const direct = await loadDirectly(source, load)
    if (direct !== false) return direct.module
    const bundled = await bundle(root)
    if (bundled !== undefined) return await load(bundled)
    // the failed import above is cached under its URL: a query makes it a new module for tsx
    if (await tsxRegistered(tsx)) return await load(new URL('?tsx', source))
    if (!exists(compiled)) return fail()
    const older = stale(root)
    if (older !== undefined) return fail(`dist/ is older than ${older}: run "npm run build" (or install the dev dependencies)`)
    return await load(compiled)
  }
  if (exists(packaged)) return await load(packaged)
  if (exists(compiled)) return await load(compiled)
  fail()
}
