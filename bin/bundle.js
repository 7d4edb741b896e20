// The CLI as one file: src/cli/main.ts and every module it loads, bundled by esbuild. Node spends
// most of a CLI call finding, reading and compiling modules one at a time (TypeBox alone is 370
// files); one file is read and compiled at once. The bundle's first line lists its inputs with
// their file stamps, so the launcher can tell, without reading them, whether any changed since.
//
//   node bin/bundle.js [outfile]   the bundle a package or image runs (default dist/cli/sizing.mjs)
import { closeSync, openSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { dirname, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const STAMP_PREFIX = '// sizing-cli-bundle '
/** A file changed this close to the build's start may have changed unseen on a file system with coarse times: not trusted. */
export const UNSETTLED_MS = 2000
const UNSETTLED = 'changed while bundling'

/**
 * What identifies a file's content without reading it: a write, a replacement, `touch` or a copy
 * over it changes its change time (which no tool sets back), and its size, mtime or inode besides.
 */
const stampOf = ({ size, mtimeMs, ctimeMs, ino }) => `${size}:${mtimeMs}:${ctimeMs}:${ino}`

/** The stamp of the file at `path`, or undefined when there is none. */
export function fileStamp (path, stat = statSync) {
  const stats = stat(path, { throwIfNoEntry: false })
  return stats === undefined ? undefined : stampOf(stats)
}

/** The first line of a file, read alone (the bundle's code after it is megabytes). */
function firstLine (path) {
  const descriptor = openSync(path, 'r')
  try {
    const chunks = []
    const chunk = Buffer.alloc(1 << 16)
    for (let length = readSync(descriptor, chunk); length > 0; length = readSync(descriptor, chunk)) {
      const newline = chunk.subarray(0, length).indexOf(10)
      chunks.push(Buffer.from(chunk.subarray(0, newline === -1 ? length : newline)))
      if (newline !== -1) break
    }
    return Buffer.concat(chunks).toString('utf8')
  } finally {
    closeSync(descriptor)
  }
}

/**
 * Whether the bundle `bundle` (a file: URL) was built from the files under `root` (a file: URL) as
 * they are now: false when it is missing, not a bundle, or any input has changed or is gone. Costs a
 * stat per input (800 of them, a few milliseconds), no read.
 */
export function bundleIsCurrent (bundle, root, stat = statSync) {
  let stamp
  try {
    const line = firstLine(bundle)
    if (!line.startsWith(STAMP_PREFIX)) return false
    stamp = JSON.parse(line.slice(STAMP_PREFIX.length))
  } catch {
    return false
  }
  const rootDir = fileURLToPath(root)
  return Object.entries(stamp.inputs).every(([input, recorded]) => fileStamp(`${rootDir}${input}`, stat) === recorded)
}

/** Each source's `import.meta.url` as seen from the bundle, so the files it reads (data/, generated/, package.json) are found where they are. */
function sourceUrls (srcDir, outDir) {
  const filter = new RegExp(`^${srcDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\.ts$`)
  return {
    name: 'source-urls',
    setup (build) {
      build.onLoad({ filter }, async ({ path }) => {
        const url = `new URL(${JSON.stringify(relative(outDir, path))}, import.meta.url).href`
        return { contents: (await readFile(path, 'utf8')).replaceAll('import.meta.url', url), loader: 'ts' }
      })
    }
  }
}

/**
 * What src/app.ts imports on demand for the service alone (documentation, probes, metrics, worker
 * pool): a one-shot app never loads it, so the bundle has a stand-in that would say so.
 */
function serviceOnly (appSource) {
  return {
    name: 'service-only',
    setup (build) {
      build.onResolve({ filter: /.*/ }, ({ path, importer, kind }) => importer === appSource && kind === 'dynamic-import' ? { path, namespace: 'service-only' } : undefined)
      build.onLoad({ filter: /.*/, namespace: 'service-only' }, ({ path }) => ({
        contents: `throw new Error(${JSON.stringify(`${path} is the service's: the CLI's bundle builds a one-shot app (BuildOptions.oneShot)`)})`,
        loader: 'js'
      }))
    }
  }
}

/**
 * Packages that do work as they load which a CLI call does not need (env-schema compiles a validator:
 * a fifth of a call, and the CLI never reads the environment's configuration): loaded on the first
 * call of one of their functions instead. `packages`: name -> the functions imported from it.
 */
function onFirstCall (packages) {
  return {
    name: 'on-first-call',
    setup (build) {
      const names = Object.keys(packages)
      build.onResolve({ filter: /.*/ }, ({ path, namespace }) => names.includes(path) && namespace !== 'on-first-call' ? { path, namespace: 'on-first-call' } : undefined)
      build.onLoad({ filter: /.*/, namespace: 'on-first-call' }, ({ path }) => ({
        contents: packages[path].map((name) => `export function ${name} (...args) { return require(${JSON.stringify(path)}).${name}(...args) }`).join('\n'),
        resolveDir: build.initialOptions.absWorkingDir,
        loader: 'js'
      }))
    }
  }
}

/**
 * Bundles the CLI of the checkout at `root` (a file: URL) into `outfile` (a file: URL) atomically: a
 * reader finds the old bundle or the new one, never part of one. `esbuild` is the esbuild module.
 */
export async function bundleCli (root, outfile, esbuild, { stat = statSync, now = Date.now } = {}) {
  const startedAt = now()
  const outDir = dirname(fileURLToPath(outfile))
  const result = await esbuild.build({
    absWorkingDir: fileURLToPath(root),
    entryPoints: ['src/cli/main.ts'],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: fileURLToPath(outfile),
    // the CommonJS packages inside require Node's own modules
    banner: { js: "import { createRequire as sizingCreateRequire } from 'node:module'\nconst require = sizingCreateRequire(import.meta.url)" },
    plugins: [
      sourceUrls(fileURLToPath(new URL('src/', root)), outDir),
      serviceOnly(fileURLToPath(new URL('src/app.ts', root))),
      onFirstCall({ 'env-schema': ['envSchema'] })
    ]
  })
  // the files read: each input but the stand-ins above (namespace:path), the compiler settings, this recipe
  const inputs = [...Object.keys(result.metafile.inputs).filter((input) => !/^[a-z-]+:/.test(input)), 'tsconfig.json', relative(fileURLToPath(root), fileURLToPath(import.meta.url))]
  const rootDir = fileURLToPath(root)
  const stamps = Object.fromEntries(inputs.map((input) => {
    const stats = stat(`${rootDir}${input}`, { throwIfNoEntry: false })
    return [input, stats !== undefined && stats.ctimeMs < startedAt - UNSETTLED_MS ? stampOf(stats) : UNSETTLED]
  }))
  await mkdir(outDir, { recursive: true })
  const partial = new URL(`${outfile.href}.${process.pid}.partial`)
  // the stamp comes first: the entry's #! line, which only a first line may be, goes
  const code = result.outputFiles[0].text.replace(/^#!.*\n/, '')
  writeFileSync(partial, `${STAMP_PREFIX}${JSON.stringify({ inputs: stamps })}\n${code}`)
  renameSync(partial, outfile)
}

/** `node bin/bundle.js [outfile]`: the bundle of this checkout, for a package or an image. */
export async function main (args, root = new URL('..', import.meta.url), esbuild = async () => await import('esbuild')) {
  const builder = await esbuild()
  try {
    await bundleCli(root, args[0] === undefined ? new URL('dist/cli/sizing.mjs', root) : pathToFileURL(args[0]), builder)
  } finally {
    await builder.stop()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2))
