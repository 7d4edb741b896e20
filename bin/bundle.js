// The CLI and the service as single files: each entry and every module it loads, bundled by
// esbuild. Node spends most of a CLI call, and most of a cold start, finding, reading and compiling
// modules one at a time (TypeBox alone is 370 files); one file is read and compiled at once. The CLI
// bundle's first line lists its inputs with their file stamps, so the launcher can tell, without
// reading them, whether any changed since.
//
//   node bin/bundle.js             what npm run build makes: dist/cli/sizing.mjs, the service's
//                                  dist/service/server.js with its worker dist/service/request-worker.js,
//                                  and the capacity-review page in dist/web/ (bundleWeb)
//   node bin/bundle.js <outfile>   the CLI alone, into outfile
import { closeSync, openSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { copyFile, mkdir, readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
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

/**
 * Each source's `import.meta.url` as seen from the bundle, so the files it reads (data/, generated/,
 * package.json) are found where they are; but the worker pool's (src/workers/pool.ts) stays the
 * bundle's own, so that it starts the worker bundle beside it (request-worker.js), not the sources.
 */
function sourceUrls (srcDir, outDir) {
  const filter = new RegExp(`^${srcDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\.ts$`)
  const ownUrl = join(srcDir, 'workers', 'pool.ts')
  return {
    name: 'source-urls',
    setup (build) {
      build.onLoad({ filter }, async ({ path }) => {
        const source = await readFile(path, 'utf8')
        if (path === ownUrl) return { contents: source, loader: 'ts' }
        const url = `new URL(${JSON.stringify(relative(outDir, path))}, import.meta.url).href`
        return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' }
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
 * A CommonJS package that finds files of its own beside its code (`__dirname`, `__filename`: Piscina
 * its worker, Swagger UI its static assets) finds them where they are in node_modules: each such
 * module gets its own directory and file name, relative to the bundle's (sizingBundleDirectory).
 */
function packageFileNames (outDir) {
  return {
    name: 'package-file-names',
    setup (build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8')
        if (!/\b__(dirname|filename)\b/.test(source)) return undefined
        const at = (file) => `require('node:path').join(sizingBundleDirectory, ${JSON.stringify(relative(outDir, file))})`
        return { contents: `var __dirname = ${at(dirname(path))}; var __filename = ${at(path)};\n${source}`, loader: 'js' }
      })
    }
  }
}

/** What every bundle shares: ESM for Node, a `require` for the CommonJS packages inside, sources' and packages' file names mapped. */
function commonOptions (root, outDir) {
  return {
    absWorkingDir: fileURLToPath(root),
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    // less to read and compile at every start (a tenth of a CLI call); names are kept for stack traces
    minifyWhitespace: true,
    minifySyntax: true,
    // the CommonJS packages inside require Node's own modules
    banner: {
      js: [
        "import { createRequire as sizingCreateRequire } from 'node:module'",
        'const require = sizingCreateRequire(import.meta.url)',
        "const sizingBundleDirectory = require('node:path').dirname(require('node:url').fileURLToPath(import.meta.url))"
      ].join('\n')
    },
    plugins: [sourceUrls(fileURLToPath(new URL('src/', root)), outDir), packageFileNames(outDir)]
  }
}

/**
 * Bundles the service of the checkout at `root` (a file: URL) into `outDir` (a file: URL):
 * server.js, the entry (`node dist/service/server.js`), and request-worker.js, the worker the pool
 * starts beside it. Every module is in them; a runtime still needs data/, generated/ and the
 * production dependencies' own files (Piscina's worker, Swagger UI's assets: node_modules) as the
 * compiled dist/ does. Returns esbuild's result (its metafile lists what each bundle imports).
 */
export async function bundleService (root, outDir, esbuild) {
  const options = commonOptions(root, fileURLToPath(outDir))
  return await esbuild.build({
    ...options,
    metafile: true,
    entryPoints: { server: 'src/server.ts', 'request-worker': 'src/workers/request-worker.ts' },
    outdir: fileURLToPath(outDir),
    // stack traces name the sources
    sourcemap: 'linked'
  })
}

/**
 * Bundles the capacity-review page of the checkout at `root` (a file: URL) into `outDir` (a file:
 * URL), as the service serves it (src/plugins/page.ts): app.js (web/app.ts and the modules it
 * imports, an ES module for browsers), app.css, and index.html as written. No framework, no
 * dependency: the bundle is the page's own code. Returns esbuild's result.
 */
export async function bundleWeb (root, outDir, esbuild) {
  const outdir = fileURLToPath(outDir)
  const result = await esbuild.build({
    absWorkingDir: fileURLToPath(root),
    entryPoints: ['web/app.ts', 'web/app.css'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // the browsers of the last two years; the page uses nothing newer
    target: ['chrome111', 'firefox115', 'safari16.4'],
    outdir,
    logLevel: 'silent',
    metafile: true
  })
  await mkdir(outdir, { recursive: true })
  await copyFile(new URL('web/index.html', root), join(outdir, 'index.html'))
  return result
}

/**
 * Bundles the CLI of the checkout at `root` (a file: URL) into `outfile` (a file: URL) atomically: a
 * reader finds the old bundle or the new one, never part of one. `esbuild` is the esbuild module.
 */
export async function bundleCli (root, outfile, esbuild, { stat = statSync, now = Date.now } = {}) {
  const startedAt = now()
  const outDir = dirname(fileURLToPath(outfile))
  const options = commonOptions(root, outDir)
  const result = await esbuild.build({
    ...options,
    entryPoints: ['src/cli/main.ts'],
    write: false,
    metafile: true,
    outfile: fileURLToPath(outfile),
    plugins: [
      ...options.plugins,
      serviceOnly(fileURLToPath(new URL('src/app.ts', root)))
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

/** `node bin/bundle.js [outfile]`: the bundles of this checkout and its page, for a package or an image; with an outfile, the CLI's alone. */
export async function main (args, root = new URL('..', import.meta.url), esbuild = async () => await import('esbuild')) {
  const builder = await esbuild()
  try {
    if (args[0] !== undefined) return await bundleCli(root, pathToFileURL(args[0]), builder)
    await Promise.all([
      bundleCli(root, new URL('dist/cli/sizing.mjs', root), builder),
      bundleService(root, new URL('dist/service/', root), builder),
      bundleWeb(root, new URL('dist/web/', root), builder)
    ])
  } finally {
    await builder.stop()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2))
