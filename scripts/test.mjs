#!/usr/bin/env node
// `npm test`: the whole test, quiet. Provides the programs the tests run (scripts/test-tools.mjs),
// runs tap three files at a time with its TAP report in .tap/report.tap (each file's own TAP in
// .tap/test-results/), printing a line per file as it ends, then one
// summary: files, tests, every skipped test with its reason, coverage, the slowest files, and each
// failure in full. Arguments pass through to tap (`npm test -- test/docs.test.ts`).
//
// Coverage: 100% over src/ when every test ran. When a test skipped because a program is missing
// and this machine cannot provide it (not root, no apt-get, another OS), coverage is judged on what
// ran (reported, not enforced) and the summary says so; on a machine that could provide it and did
// not (apt-get failed), the run fails instead: a green run here means every test ran.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { canInstallPackages, provideTestTools } from './test-tools.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const RESULTS = join(ROOT, '.tap', 'test-results')
const SUMMARY_FILE = join(ROOT, '.tap', 'summary.txt')
/** The runner's own TAP: one point per test file, its verdict (a file that crashed has no results of its own). */
const REPORT_FILE = join(ROOT, '.tap', 'report.tap')

function resultFiles (dir = RESULTS) {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? resultFiles(path) : entry.name.endsWith('.tap') ? [path] : []
  })
}

/**
 * tap with its TAP reporter written to REPORT_FILE (nothing on the terminal); one line per test file
 * as its results appear (a file's results are written when it ends), so a long run shows it is moving.
 */
async function runTap (extraArgs) {
  const child = spawn('npx', ['tap', '--reporter=tap', `--reporter-file=${REPORT_FILE}`, '--coverage-report=text-summary', ...extraArgs], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => { stdout += chunk })
  child.stderr.on('data', (chunk) => { stderr += chunk })
  const seen = new Set()
  const report = () => {
    for (const path of resultFiles()) {
      if (seen.has(path)) continue
      const text = readFileSync(path, 'utf8')
      if (!/^# time=/m.test(text)) continue
      seen.add(path)
      const file = readResults(text)
      process.stdout.write(`${file.failed > 0 ? 'FAIL' : 'ok  '} ${relative(RESULTS, path).replace(/\.tap$/, '')} (${file.passed} passed${file.failed > 0 ? `, ${file.failed} failed` : ''}${file.skipped.length > 0 ? `, ${file.skipped.length} skipped` : ''}, ${(file.timeMs / 1000).toFixed(1)} s)\n`)
    }
  }
  const timer = setInterval(report, 1000)
  const [status, signal] = await new Promise((resolve) => child.on('close', (code, sig) => resolve([code, sig])))
  clearInterval(timer)
  report()
  return { status, signal, stdout, stderr }
}

/**
 * One file's TAP: top-level points (passed, failed), skipped points at any depth with their names
 * and reasons, the failing points' whole blocks (their subtests and YAML diagnostics), the time.
 */
function readResults (text) {
  const lines = text.split('\n')
  const file = { passed: 0, failed: 0, skipped: [], failures: [], timeMs: 0 }
  const failedAt = []
  lines.forEach((line, index) => {
    const top = /^(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO)\b ?(.*))?$/.exec(line)
    const anyDepth = /^\s*(?:not ok|ok) \d+ - (.*?) # SKIP\b ?(.*)$/.exec(line)
    if (anyDepth !== null) file.skipped.push({ name: anyDepth[1], reason: anyDepth[2] || '(no reason given)' })
    if (top !== null) {
      if (top[1] === 'ok') file.passed += 1
      else { file.failed += 1; failedAt.push(index) }
    }
    const time = /^# time=([\d.]+)ms/.exec(line)
    if (time !== null) file.timeMs = Number(time[1])
  })
  // a failing top-level point's block: from the preceding "# Subtest" line to the point's own YAML
  for (const index of failedAt) {
    let start = index
    while (start > 0 && !/^# Subtest: /.test(lines[start]) && !/^(ok|not ok) /.test(lines[start - 1])) start -= 1
    let end = index + 1
    if (/^ {2}---/.test(lines[end] ?? '')) while (end < lines.length && !/^ {2}\.\.\./.test(lines[end])) end += 1
    file.failures.push(lines.slice(start, end + 1).join('\n'))
  }
  return file
}

async function main () {
  const args = process.argv.slice(2)
  const missing = provideTestTools()
  const missingNames = Object.keys(missing)
  const provisioningFailed = missingNames.length > 0 && canInstallPackages() && process.env.SIZING_TEST_INSTALL !== '0'
  // coverage is judged on what ran when a program is missing; a run of chosen files (arguments) is
  // not the whole suite: no threshold either (tap's own rule would fail any single file)
  const partial = missingNames.length > 0 || args.some((arg) => !arg.startsWith('-'))
  rmSync(RESULTS, { recursive: true, force: true })
  rmSync(REPORT_FILE, { force: true })
  // a fresh clone has no .tap/ yet: tap's --reporter-file does not create the folder
  mkdirSync(join(ROOT, '.tap'), { recursive: true })
  const startedAt = Date.now()
  const tap = await runTap([...(partial ? ['--allow-incomplete-coverage'] : []), ...args])
  const seconds = Math.round((Date.now() - startedAt) / 1000)

  const files = resultFiles().map((path) => ({ path: relative(RESULTS, path).replace(/\.tap$/, ''), ...readResults(readFileSync(path, 'utf8')) }))
  // the runner's verdict per file: a file that crashed before or outside its tests (an import that
  // throws, a timeout, an exit code) fails there even when its own results show no failing test
  const report = existsSync(REPORT_FILE) ? readFileSync(REPORT_FILE, 'utf8') : ''
  for (const match of report.matchAll(/^not ok \d+ - (\S+)(.*)$/gm)) {
    const file = files.find((f) => f.path === match[1]) ?? (files[files.push({ path: match[1], ...readResults('') }) - 1])
    if (file.failed === 0) {
      file.failed = 1
      file.failures.push(`the file failed as a whole${match[2]}: its output (tap's stderr) is under "tap said" below`)
    }
  }
  const passed = files.reduce((sum, f) => sum + f.passed, 0)
  const failed = files.reduce((sum, f) => sum + f.failed, 0)
  const skipped = files.flatMap((f) => f.skipped.map((s) => ({ file: f.path, ...s })))
  const failedFiles = files.filter((f) => f.failed > 0)

  const out = []
  out.push('', '== summary ==')
  out.push(`files: ${files.length} (${files.length - failedFiles.length} passed, ${failedFiles.length} failed), ${seconds} s`)
  out.push(`tests: ${passed} passed, ${failed} failed, ${skipped.length} skipped`)
  if (missingNames.length > 0) {
    out.push(`missing programs: ${missingNames.map((name) => `${name}: ${missing[name]}`).join('; ')}`)
  }
  if (skipped.length > 0) {
    out.push('skipped:')
    for (const s of skipped) out.push(`  ${s.file}: ${s.name}: ${s.reason}`)
  }
  const coverage = (tap.stdout + tap.stderr).split('\n').filter((line) => /^(Statements|Branches|Functions|Lines)\s*:/.test(line.trim()))
  out.push(`coverage${partial ? ' (judged on what ran, not enforced: ' + (missingNames.length > 0 ? 'programs missing' : 'chosen files') + ')' : ' (100% required)'}:`)
  for (const line of coverage) out.push(`  ${line.trim()}`)
  out.push('slowest files: ' + [...files].sort((a, b) => b.timeMs - a.timeMs).slice(0, 5).map((f) => `${f.path} ${(f.timeMs / 1000).toFixed(1)} s`).join(', '))
  if (failedFiles.length > 0) {
    out.push('', '== failures ==')
    for (const f of failedFiles) for (const block of f.failures) out.push(`-- ${f.path}`, block)
  }
  // whatever tap said beyond its coverage lines (a crash, a file that printed to stderr, the
  // coverage threshold's message): shown in full when the run failed
  if (tap.status !== 0) {
    const other = (tap.stdout + tap.stderr).split('\n').filter((line) => line.trim() !== '' && !coverage.includes(line))
    if (other.length > 0) out.push('', '== tap said ==', ...other.slice(-200))
  }
  if (provisioningFailed) out.push('', `failed: this machine could have installed ${missingNames.join(', ')} (root, apt-get) and did not: see above`)
  const status = tap.status === 0 && failed === 0 && files.length > 0 && !provisioningFailed ? 0 : 1
  if (status !== 0 && failed === 0) out.push('', 'failed: tap exited ' + (tap.status ?? tap.signal) + ' with no failing test (coverage below the threshold, or a crash: see "tap said")')
  out.push(`test: ${passed} passed, ${failed + (status !== 0 && failed === 0 ? 1 : 0)} failed, ${skipped.length} skipped`)
  const text = out.join('\n') + '\n'
  process.stdout.write(text)
  writeFileSync(SUMMARY_FILE, text)
  process.exitCode = status
}

await main()
