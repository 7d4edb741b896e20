// The CLI's commands, options and exit codes, run in this process with captured streams (the real
// executable is tested in executable.test.ts).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Ajv } from 'ajv'
import formats from 'ajv-formats'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { parseArgs, parseVary, UsageError } from '../../src/cli/args.js'
import { type CliIo, EXIT, runCli } from '../../src/cli/cli.js'
import { modelHelp } from '../../src/cli/help.js'
import { githubData, githubProperty } from '../../src/cli/reports.js'
import { inProcessTransport, remoteTransport, type Transport } from '../../src/cli/transport.js'

const dir = mkdtempSync(join(tmpdir(), 'sizing-cli-'))
const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

// one in-process app for the whole file: each test would otherwise build its own
const shared = inProcessTransport()
t.teardown(() => shared.close())
const sharedTransport = (): Transport => ({ send: shared.send, close: async () => {} })

async function run (words: string[], options: { stdin?: string, transport?: CliIo['transport'], env?: Record<string, string> } = {}) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(words, {
    stdout: (text) => { stdout += text },
    stderr: (text) => { stderr += text },
    readStdin: async () => options.stdin ?? '',
    env: options.env ?? {},
    transport: options.transport ?? sharedTransport
  }, '9.9.9')
  return { code, stdout, stderr }
}

const app = await buildApp()
t.teardown(() => app.close())
const direct = async (method: 'GET' | 'POST', url: string, payload?: object) => await app.inject({ method, url, ...(payload === undefined ? {} : { payload }) })

t.test('estimate: flags typed by the model schema; output is the service\'s answer', async (t) => {
  const result = await run(['estimate', 'engram', '--expected-nodes', '2e6', '--ops-per-sec=6000', '--segment-size-mib', '128'])
  t.equal(result.code, EXIT.ok)
  t.equal(result.stderr, '')
  t.same(JSON.parse(result.stdout), (await direct('POST', '/estimate/engram', { expectedNodes: 2e6, opsPerSec: 6000, segmentSizeMiB: 128 })).json())
  t.match(result.stdout, /^\{\n {2}"inputs": \{/, 'indented JSON')
  const yaml = await run(['estimate', 'engram', '--expectedNodes', '2000000', '--format', 'yaml'])
  t.equal(yaml.stdout, (await direct('POST', '/estimate/engram?format=yaml', { expectedNodes: 2e6 })).body)
  const text = await run(['estimate', 'aeterna', '--memory-count', '5000', '--multi-tenant', '--format', 'text'])
  t.match(text.stdout, 'Aeterna Tier Recommendation: large')
  const bool = await run(['estimate', 'aeterna', '--memory-count', '5000', '--require-ha', 'false'])
  t.equal(JSON.parse(bool.stdout).tier, 'medium')
})

t.test('estimate: a scenario file (JSON or YAML, or - for stdin), flags over it', async (t) => {
  const yamlFile = file('scenario.yaml', 'expectedNodes: 3000000\nopsPerSec: 7000\n')
  const fromFile = await run(['estimate', 'engram', '-f', yamlFile, '--ops-per-sec', '8000'])
  t.same(JSON.parse(fromFile.stdout).inputs, (await direct('POST', '/estimate/engram', { expectedNodes: 3e6, opsPerSec: 8000 })).json().inputs)
  const stdin = await run(['estimate', 'aurora', '--file', '-'], { stdin: '{"agents": 2000}' })
  t.same(JSON.parse(stdin.stdout), (await direct('POST', '/estimate/aurora', { agents: 2000 })).json())
  const wrapped = await run(['estimate', 'engram', '-f', file('wrapped.json', '{"model": "engram", "scenario": {"retentionDays": 7}}')])
  t.equal(JSON.parse(wrapped.stdout).inputs.retentionDays, 7)
  const empty = await run(['estimate', 'engram', '-f', '-'], { stdin: '  \n' })
  t.equal(JSON.parse(empty.stdout).inputs.expectedNodes, 1_000_000, 'an empty file is the defaults')
  const structured = await run(['estimate', 'aurora', '-f', file('aurora.yaml', 'tables:\n  - name: t\n    rowBytes: 100\n    rowsPerAgent: 1\n    period: day\n    retentionDays: 30\n')])
  t.equal(JSON.parse(structured.stdout).dataVolume.tables.length, 1)
})

t.test('estimate gates: exit 1 when one holds, with the reason on stderr', async (t) => {
  const failed = await run(['estimate', 'engram', '--expected-nodes', '5e7', '--fail-on', 'memory>32', '--fail-on', 'cores>32', '--fail-on', 'warning:NUMA_AWARE_ALLOCATION', '--fail-on', 'severity:critical'])
  t.equal(failed.code, EXIT.gateFailed)
  t.equal(failed.stderr, 'sizing: gate failed: memory>32 (recommendations.memoryGiB = 64)\nsizing: gate failed: warning:NUMA_AWARE_ALLOCATION (1 warning(s))\n')
  t.equal(JSON.parse(failed.stdout).recommendations.memoryGiB, 64, 'the estimate is still written')
  const passed = await run(['estimate', 'engram', '--fail-on', 'storage.totalGiB>1e6', '--format', 'text'])
  t.equal(passed.code, EXIT.ok)
  t.match(passed.stdout, 'Engram Capacity Planning Estimate')
  const aurora = await run(['estimate', 'aurora', '--fail-on', 'cost>1500'])
  t.equal(aurora.code, EXIT.ok, '$1,380.10 is within budget')
  const over = await run(['estimate', 'aurora', '--fail-on', 'cost>1000', '--fail-on', 'severity:info'])
  t.equal(over.code, EXIT.gateFailed)
  t.match(over.stderr, 'cost>1000 (cost.totalUsdPerMonth = 1380.1)')
  t.match(over.stderr, 'severity:info (')
  const bad = await run(['estimate', 'engram', '--fail-on', 'cost>1500'])
  t.equal(bad.code, EXIT.usage)
  t.match(bad.stderr, 'sizing: --fail-on "cost>1500": cost is not a numeric figure of model engram (aliases: cores, memory, storage')
})

t.test('tiers, validate, models', async (t) => {
  const values = await run(['tiers', 'medium', '--format', 'yaml'])
  t.equal(values.stdout, readFileSync(new URL('../../data/aeterna/values-medium.yaml', import.meta.url), 'utf8'), 'exactly the seed\'s values file')
  const list = await run(['tiers'])
  t.same(JSON.parse(list.stdout).tiers.map((tier: { name: string }) => tier.name), ['small', 'medium', 'large'])
  const unknown = await run(['tiers', 'huge'])
  t.equal(unknown.code, EXIT.usage)
  t.match(unknown.stderr, 'sizing: Tier "huge" not found: valid tiers are small, medium, large')
  const good = await run(['validate', 'aeterna', new URL('../fixtures/aeterna/values-ha-complete.yaml', import.meta.url).pathname])
  t.equal(good.code, EXIT.ok)
  t.equal(JSON.parse(good.stdout).ok, true)
  const small = await run(['validate', 'aeterna', '-', '--format', 'text'], { stdin: readFileSync(new URL('../../data/aeterna/values-small.yaml', import.meta.url), 'utf8') })
  t.equal(small.code, EXIT.gateFailed, 'the small tier is not HA')
  t.match(small.stdout, 'Aeterna HA validation: FAILED')
  t.match(small.stderr, /^sizing: validation failed: \d+ error finding\(s\)\n$/)
  const sized = await run(['validate', 'aeterna', new URL('../fixtures/aeterna/values-ha-complete.yaml', import.meta.url).pathname, '--memory-count', '5e6'])
  t.equal(JSON.parse(sized.stdout).tier, 'large')
  // the CI gate is strict by default: the seed's medium file, which lacks seed 002's HA settings, fails it;
  // lenient is opt-in, and exits 4 when only it passes
  const medium = readFileSync(new URL('../../data/aeterna/values-medium.yaml', import.meta.url), 'utf8')
  const byDefault = await run(['validate', 'aeterna', '-'], { stdin: medium })
  t.equal(byDefault.code, EXIT.gateFailed)
  t.equal(JSON.parse(byDefault.stdout).mode, 'strict')
  const strict = await run(['validate', 'aeterna', '-', '--strict'], { stdin: medium })
  t.equal(strict.code, EXIT.gateFailed, '--strict, the default, still accepted')
  const lenient = await run(['validate', 'aeterna', '-', '--lenient'], { stdin: medium })
  t.equal(lenient.code, EXIT.lenientOnly)
  t.equal(EXIT.lenientOnly, 4)
  t.match(JSON.parse(lenient.stdout), { ok: true, strictOk: false, mode: 'lenient', notice: /opt-in/ })
  t.match(lenient.stderr, 'sizing: passed in lenient mode only: the strict HA gate fails')
  const lenientGood = await run(['validate', 'aeterna', new URL('../fixtures/aeterna/values-ha-complete.yaml', import.meta.url).pathname, '--lenient'])
  t.equal(lenientGood.code, EXIT.ok, 'lenient and strict both pass')
  t.equal((await run(['validate', 'aeterna', '-', '--lenient', '--strict'], { stdin: medium })).code, EXIT.usage)
  t.equal((await run(['estimate', 'aeterna', '--lenient'])).code, EXIT.usage)
  // the scheduling checks on a cluster the caller names: the medium HA plan's 5 Aeterna pods on 3 nodes
  const small3 = await run(['validate', 'aeterna', new URL('../fixtures/aeterna/values-ha-complete.yaml', import.meta.url).pathname, '--nodes', '3', '--zones', '3'])
  t.equal(small3.code, EXIT.gateFailed)
  t.match(JSON.parse(small3.stdout).cluster, { nodes: 3, zones: 3, basis: /the request/ })
  const strictGood = await run(['validate', 'aeterna', new URL('../fixtures/aeterna/values-ha-complete.yaml', import.meta.url).pathname, '--strict', '--memory-count', '50000'])
  t.equal(strictGood.code, EXIT.ok)
  const models = await run(['models', '--format', 'text'])
  t.match(models.stdout, /^aurora\s+\/estimate\/aurora/m)
})

t.test('diff: two scenario files, gates, exit codes', async (t) => {
  const before = file('before.json', '{}')
  const after = file('after.yaml', 'expectedNodes: 50000000\n')
  const same = await run(['diff', before, file('same.json', '{}'), '--model', 'engram'])
  t.equal(same.code, EXIT.ok)
  t.same(JSON.parse(same.stdout), { model: 'engram', identical: true, changed: [], warningsAppeared: [], warningsDisappeared: [], gates: [], failed: false })
  const gated = await run(['diff', before, after, '--model', 'engram', '--fail-on', 'memory>32', '--fail-on', 'cores>32'])
  t.equal(gated.code, EXIT.gateFailed)
  t.equal(gated.stderr, 'sizing: gate failed: memory>32 (recommendations.memoryGiB = 64)\n')
  t.same(JSON.parse(gated.stdout), (await direct('POST', '/diff', { model: 'engram', before: {}, after: { expectedNodes: 5e7 }, failOn: ['memory>32', 'cores>32'] })).json())
  const text = await run(['diff', before, after, '--model', 'engram', '--format', 'text'])
  t.match(text.stdout, 'recommendations.memoryGiB')
  t.match(text.stdout, 'Verdict: ok')
  const wrapped = await run(['diff', file('w1.json', '{"model": "aurora", "scenario": {}}'), file('w2.json', '{"model": "aurora", "scenario": {"agents": 1500}}')])
  t.equal(wrapped.code, EXIT.ok)
  t.equal(JSON.parse(wrapped.stdout).model, 'aurora', 'the model from the files')
  const inferred = await run(['diff', before, after])
  t.equal(JSON.parse(inferred.stdout).model, 'engram', 'sizing diff before.json after.json: expectedNodes is an Engram field only')
  const stdin = await run(['diff', before, '-', '--model', 'engram'], { stdin: 'opsPerSec: 9000' })
  t.ok(JSON.parse(stdin.stdout).changed.length > 0)
  const mixed = await run(['diff', file('m1.json', '{"model": "aurora", "scenario": {}}'), file('m2.json', '{"model": "engram", "scenario": {}}')])
  t.equal(mixed.code, EXIT.usage)
  t.match(mixed.stderr, 'scenarios of two models (aurora, engram)')
})

// CI reports (--output) and --warn-on on the gate commands, estimate and diff
const scenario50m = new URL('../fixtures/cli/engram-50m.yaml', import.meta.url).pathname
/** The fixture as a pipeline names it, relative to the working directory: reports keep it relative. */
const relativeScenario = relative(process.cwd(), scenario50m)
const gates50m = ['--fail-on', 'memory>32', '--fail-on', 'storage>1e6', '--warn-on', 'cores>4', '--warn-on', 'warning:WAL_DOMINATES_STORAGE', '--warn-on', 'severity:critical']

const sarifValidator = (() => {
  // the OASIS schema marks as required a property it does not define (strictRequired); formats are checked
  const ajv = new Ajv({ strict: false, allErrors: true })
  formats.default(ajv)
  return ajv.compile(JSON.parse(readFileSync(new URL('../fixtures/cli/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object)
})()

interface JunitCase { name: string, classname: string, failure?: { message: string, type: string, '#text': string }, 'system-out'?: string }
interface JunitSuite { name: string, tests: string, failures: string, errors: string, skipped: string, properties: { property: Array<{ name: string, value: string }> }, testcase?: JunitCase[] }
function parseJunit (xml: string): { tests: string, failures: string, testsuite: JunitSuite[] } {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg}`)
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false, isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) })
  return (parser.parse(xml) as { testsuites: { tests: string, failures: string, testsuite: JunitSuite[] } }).testsuites
}

t.test('--warn-on: reported on stderr, the answer and the exit code as without it', async (t) => {
  const plain = await run(['estimate', 'engram', '-f', scenario50m])
  const warned = await run(['estimate', 'engram', '-f', scenario50m, '--warn-on', 'cores>4', '--warn-on', 'warning:WAL_DOMINATES_STORAGE', '--warn-on', 'memory>100'])
  t.equal(warned.code, EXIT.ok, 'a tripped warn-on gate does not fail the run')
  t.equal(warned.stdout, plain.stdout, 'the answer is unchanged')
  t.equal(warned.stderr, 'sizing: gate warning: cores>4 (recommendations.cores = 8)\nsizing: gate warning: warning:WAL_DOMINATES_STORAGE (1 warning(s))\n')
  const both = await run(['estimate', 'engram', '-f', scenario50m, '--warn-on', 'cores>4', '--fail-on', 'memory>32', '--format', 'text'])
  t.equal(both.code, EXIT.gateFailed)
  t.equal(both.stderr, 'sizing: gate failed: memory>32 (recommendations.memoryGiB = 64)\nsizing: gate warning: cores>4 (recommendations.cores = 8)\n', 'failures first, then warnings')
  t.match(both.stdout, 'Engram Capacity Planning Estimate')
  const badGate = await run(['estimate', 'engram', '--warn-on', 'cost>1'])
  t.equal(badGate.code, EXIT.usage)
  t.match(badGate.stderr, 'sizing: --warn-on "cost>1": cost is not a numeric figure of model engram')
})

t.test('--output junit: one testsuite, a testcase per gate, failures for --fail-on only', async (t) => {
  const failing = await run(['estimate', 'engram', '-f', relativeScenario, ...gates50m, '--output', 'junit'])
  t.equal(failing.code, EXIT.gateFailed)
  t.equal(failing.stderr, 'sizing: gate failed: memory>32 (recommendations.memoryGiB = 64)\nsizing: gate warning: cores>4 (recommendations.cores = 8)\nsizing: gate warning: warning:WAL_DOMINATES_STORAGE (1 warning(s))\n', 'stderr as without --output')
  const report = parseJunit(failing.stdout)
  t.same([report.tests, report.failures], ['5', '1'])
  t.equal(report.testsuite.length, 1, 'one testsuite per command run')
  const [suite] = report.testsuite
  t.same([suite.name, suite.tests, suite.failures, suite.errors, suite.skipped], ['sizing estimate engram', '5', '1', '0', '0'])
  t.same(suite.properties.property, [{ name: 'command', value: 'estimate' }, { name: 'model', value: 'engram' }, { name: 'scenario', value: relativeScenario }, { name: 'sizing', value: '9.9.9' }])
  const cases = suite.testcase as JunitCase[]
  t.same(cases.map((c) => [c.name, c.classname]), [['memory>32', 'engram'], ['storage>1e6', 'engram'], ['cores>4', 'engram'], ['warning:WAL_DOMINATES_STORAGE', 'engram'], ['severity:critical', 'engram']])
  t.same(cases.filter((c) => c.failure !== undefined).map((c) => c.name), ['memory>32'])
  t.same(cases[0].failure, { message: 'memory>32: recommendations.memoryGiB = 64', type: 'fail-on', '#text': 'failed: memory>32: recommendations.memoryGiB = 64 (--fail-on, trips when > 32)' })
  t.equal(cases[1]['system-out'], 'passed: storage>1e6: recommendations.storageGiB = 1641 (--fail-on, trips when > 1000000)')
  t.equal(cases[2]['system-out'], 'warning: cores>4: recommendations.cores = 8 (--warn-on, trips when > 4)', 'a tripped warn-on gate: a passing testcase with a warning in system-out')
  t.match(cases[3]['system-out'], /^warning: warning:WAL_DOMINATES_STORAGE: 1 warning\(s\) \(--warn-on, trips when > 0\)\nWAL_DOMINATES_STORAGE \(info\): WAL is 79\.1% of storage: /)
  t.equal(cases[4]['system-out'], 'passed: severity:critical: 0 warning(s) (--warn-on, trips when > 0)')

  const passing = await run(['estimate', 'engram', '--fail-on', 'memory>32', '--warn-on', 'cores>64', '-o', 'junit'])
  t.equal(passing.code, EXIT.ok)
  t.equal(passing.stderr, '')
  const passed = parseJunit(passing.stdout)
  t.same([passed.tests, passed.failures], ['2', '0'])
  t.same(passed.testsuite[0].properties.property.map((p) => p.name), ['command', 'model', 'sizing'], 'no scenario property without a file')
  t.notOk(passing.stdout.includes('<failure'))
  const none = parseJunit((await run(['estimate', 'engram', '--output', 'junit'])).stdout)
  t.same([none.tests, none.testsuite[0].testcase], ['0', undefined], 'no gates: an empty testsuite')
})

t.test('--output sarif: valid SARIF 2.1.0, errors for --fail-on, warnings for --warn-on', async (t) => {
  const failing = await run(['estimate', 'engram', '-f', relativeScenario, ...gates50m, '--output', 'sarif'])
  t.equal(failing.code, EXIT.gateFailed)
  const log = JSON.parse(failing.stdout)
  t.ok(sarifValidator(log), JSON.stringify(sarifValidator.errors))
  t.equal(log.version, '2.1.0')
  t.equal(log.runs.length, 1)
  const [sarifRun] = log.runs
  t.same([sarifRun.tool.driver.name, sarifRun.tool.driver.version], ['sizing', '9.9.9'])
  t.same(sarifRun.tool.driver.rules.map((rule: { id: string, defaultConfiguration: { level: string } }) => [rule.id, rule.defaultConfiguration.level]), [
    ['fail-on/memory>32', 'error'], ['fail-on/storage>1e6', 'error'], ['warn-on/cores>4', 'warning'], ['warn-on/warning:WAL_DOMINATES_STORAGE', 'warning'], ['warn-on/severity:critical', 'warning']
  ], 'a rule per gate')
  t.equal(sarifRun.tool.driver.rules[3].fullDescription.text, 'sizing reports a warning when the count of WAL_DOMINATES_STORAGE warnings is > 0.')
  t.same(sarifRun.invocations, [{ executionSuccessful: true, exitCode: 1 }])
  t.same(sarifRun.results.map((result: { ruleId: string, ruleIndex: number, level: string }) => [result.ruleId, result.ruleIndex, result.level]), [
    ['fail-on/memory>32', 0, 'error'], ['warn-on/cores>4', 2, 'warning'], ['warn-on/warning:WAL_DOMINATES_STORAGE', 3, 'warning']
  ], 'a result per tripped gate; passing gates have none')
  t.same(sarifRun.results[0], {
    ruleId: 'fail-on/memory>32',
    ruleIndex: 0,
    kind: 'fail',
    level: 'error',
    message: { text: 'memory>32: recommendations.memoryGiB = 64' },
    locations: [{ physicalLocation: { artifactLocation: { uri: relativeScenario } } }],
    properties: { model: 'engram', subject: 'recommendations.memoryGiB', value: 64, threshold: '> 32' }
  })
  t.match(sarifRun.results[2].message.text, /^warning:WAL_DOMINATES_STORAGE: 1 warning\(s\)\nWAL_DOMINATES_STORAGE \(info\): WAL is 79\.1% of storage/)

  const passing = await run(['estimate', 'engram', '--fail-on', 'memory>32', '--output', 'sarif'])
  t.equal(passing.code, EXIT.ok)
  const passed = JSON.parse(passing.stdout)
  t.ok(sarifValidator(passed), JSON.stringify(sarifValidator.errors))
  t.same(passed.runs[0].results, [])
  t.same(passed.runs[0].invocations[0].exitCode, 0)
  // from stdin or flags there is no file to point at; an absolute path is a file: URI
  const stdin = JSON.parse((await run(['estimate', 'engram', '-f', '-', '--fail-on', 'memory>1', '--output', 'sarif'], { stdin: 'opsPerSec: 6000' })).stdout)
  t.notOk('locations' in stdin.runs[0].results[0])
  const absolute = JSON.parse((await run(['estimate', 'engram', '-f', scenario50m, '--fail-on', 'memory>1', '--output', 'sarif'])).stdout)
  t.equal(absolute.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, pathToFileURL(scenario50m).href)
  t.ok(sarifValidator(absolute), JSON.stringify(sarifValidator.errors))
})

t.test('--output markdown: heading with the model and verdict, a table of the gates', async (t) => {
  const failing = await run(['estimate', 'engram', '-f', relativeScenario, ...gates50m, '--output', 'markdown'])
  t.equal(failing.code, EXIT.gateFailed)
  t.equal(failing.stdout, [
    '### sizing estimate engram: failed',
    '',
    '| gate | value | threshold | verdict |',
    '| --- | --- | --- | --- |',
    '| `memory>32` | recommendations.memoryGiB = 64 | > 32 | ❌ failed |',
    '| `storage>1e6` | recommendations.storageGiB = 1641 | > 1000000 | ✅ passed |',
    '| `cores>4` (warn-on) | recommendations.cores = 8 | > 4 | ⚠️ warning |',
    '| `warning:WAL_DOMINATES_STORAGE` (warn-on) | 1 warning(s) | > 0 | ⚠️ warning |',
    '| `severity:critical` (warn-on) | 0 warning(s) | > 0 | ✅ passed |',
    '',
    `1 failed, 2 warning(s), 2 passed. Scenario: \`${relativeScenario}\`.`,
    '',
    '- `warning:WAL_DOMINATES_STORAGE`: WAL_DOMINATES_STORAGE (info): WAL is 79.1% of storage: every write (2,000 a second) is a 256-byte WAL record kept for all 30 days. Lower retentionDays if WAL is compacted into snapshots sooner.',
    ''
  ].join('\n'))
  const warned = await run(['estimate', 'engram', '--warn-on', 'cores>1', '--output', 'markdown'])
  t.equal(warned.code, EXIT.ok)
  t.match(warned.stdout, /^### sizing estimate engram: passed with warnings\n/)
  t.match(warned.stdout, '\n0 failed, 1 warning(s), 0 passed.\n')
  const passed = await run(['estimate', 'aurora', '--fail-on', 'cost>1500', '--output', 'markdown'])
  t.equal(passed.code, EXIT.ok)
  t.match(passed.stdout, /^### sizing estimate aurora: passed\n\n\| gate \| value \| threshold \| verdict \|\n/)
  t.match(passed.stdout, '| `cost>1500` | cost.totalUsdPerMonth = 1380.1 | > 1500 | ✅ passed |')
  t.equal((await run(['estimate', 'engram', '-o', 'markdown'])).stdout, '### sizing estimate engram: passed\n\nNo gates.\n')
  t.equal((await run(['estimate', 'engram', '-f', relativeScenario, '-o', 'markdown'])).stdout, `### sizing estimate engram: passed\n\nNo gates. Scenario: \`${relativeScenario}\`.\n`)
  // a warning's message is text, not markup: what would start emphasis, code or a table cell is escaped
  const marked = await run(['estimate', 'engram', '--warn-on', 'warning:NUMA_AWARE_ALLOCATION', '--output', 'markdown'], { transport: withWarning('Memory *bold* _x_ `code` a|b [l] <i> \\ over 32 GiB') })
  t.match(marked.stdout, '- `warning:NUMA_AWARE_ALLOCATION`: NUMA_AWARE_ALLOCATION (warning): Memory \\*bold\\* \\_x\\_ \\`code\\` a\\|b \\[l\\] \\<i> \\\\ over 32 GiB\n')
})

/** The shared transport with one more warning on every Engram estimate: a message chosen by the test. */
function withWarning (message: string, code = 'NUMA_AWARE_ALLOCATION'): CliIo['transport'] {
  return () => ({
    async send (request) {
      const response = await shared.send(request)
      if (!request.path.startsWith('/estimate/engram')) return response
      const estimate = JSON.parse(response.body) as { warnings: object[] }
      estimate.warnings.push({ code, severity: 'warning', message })
      return { ...response, body: JSON.stringify(estimate) }
    },
    close: async () => {}
  })
}

t.test('--output github: workflow commands, escaped for the runner', async (t) => {
  const failing = await run(['estimate', 'engram', '-f', relativeScenario, ...gates50m, '--output', 'github'])
  t.equal(failing.code, EXIT.gateFailed)
  const fileProperty = githubProperty(relativeScenario)
  t.equal(failing.stdout, [
    `::error title=sizing gate failed%3A memory>32,file=${fileProperty}::memory>32: recommendations.memoryGiB = 64`,
    `::warning title=sizing gate warning%3A cores>4,file=${fileProperty}::cores>4: recommendations.cores = 8`,
    `::warning title=sizing gate warning%3A warning%3AWAL_DOMINATES_STORAGE,file=${fileProperty}::warning:WAL_DOMINATES_STORAGE: 1 warning(s)%0AWAL_DOMINATES_STORAGE (info): WAL is 79.1%25 of storage: every write (2,000 a second) is a 256-byte WAL record kept for all 30 days. Lower retentionDays if WAL is compacted into snapshots sooner.`,
    'sizing estimate engram: failed (1 failed, 2 warning(s), 2 passed)',
    ''
  ].join('\n'))
  const passing = await run(['estimate', 'engram', '--fail-on', 'memory>32', '--output', 'github'])
  t.equal(passing.code, EXIT.ok)
  t.equal(passing.stdout, 'sizing estimate engram: passed (0 failed, 0 warning(s), 1 passed)\n', 'a passing gate is no annotation, only the summary')
  // %, :, , and a line break, in the message (data) and in the properties (title, file)
  const odd = file('odd%name,with:colons.yaml', 'expectedNodes: 2000000\n')
  const escaped = await run(['estimate', 'engram', '-f', odd, '--fail-on', 'warning:NUMA_AWARE_ALLOCATION', '--output', 'github'], { transport: withWarning('100% used: 3,000 MiB\r\nover 32 GiB') })
  t.equal(escaped.code, EXIT.gateFailed)
  const [annotation] = escaped.stdout.split('\n')
  t.equal(annotation, `::error title=sizing gate failed%3A warning%3ANUMA_AWARE_ALLOCATION,file=${odd.replace(/%/g, '%25').replace(/,/g, '%2C').replace(/:/g, '%3A')}::warning:NUMA_AWARE_ALLOCATION: 1 warning(s)%0ANUMA_AWARE_ALLOCATION (warning): 100%25 used: 3,000 MiB%0D%0Aover 32 GiB`)
  t.match(odd, 'odd%name,with:colons.yaml')
  t.equal(githubData('a%b:c,d\r\ne'), 'a%25b:c,d%0D%0Ae', 'data: %, CR and LF only')
  t.equal(githubProperty('a%b:c,d\r\ne'), 'a%25b%3Ac%2Cd%0D%0Ae', 'properties: also : and ,')
})

t.test('diff: --warn-on and --output', async (t) => {
  const before = file('diff-before.json', '{}')
  const args = ['diff', before, relativeScenario, '--model', 'engram', '--fail-on', 'memory>32', '--fail-on', 'storage>1e6', '--warn-on', 'cores>4', '--warn-on', 'memory>100']
  const plain = await run(['diff', before, relativeScenario, '--model', 'engram', '--fail-on', 'memory>32', '--fail-on', 'storage>1e6'])
  const warned = await run(args)
  t.equal(warned.code, EXIT.gateFailed)
  t.equal(warned.stdout, plain.stdout, 'the answer is the diff of the --fail-on gates alone')
  t.equal(warned.stderr, 'sizing: gate failed: memory>32 (recommendations.memoryGiB = 64)\nsizing: gate warning: cores>4 (recommendations.cores = 8)\n')
  const onlyWarned = await run(['diff', before, relativeScenario, '--model', 'engram', '--warn-on', 'memory>32'])
  t.equal(onlyWarned.code, EXIT.ok)
  t.same(JSON.parse(onlyWarned.stdout).gates, [], 'warn-on gates stay out of the answer')
  t.equal(onlyWarned.stderr, 'sizing: gate warning: memory>32 (recommendations.memoryGiB = 64)\n')

  const junit = parseJunit((await run([...args, '--output', 'junit'])).stdout)
  t.same([junit.tests, junit.failures, junit.testsuite[0].name], ['4', '1', 'sizing diff engram'])
  t.same(junit.testsuite[0].properties.property.find((p) => p.name === 'scenario'), { name: 'scenario', value: relativeScenario }, 'the after scenario, which the gates judge')
  t.equal(junit.testsuite[0].testcase?.[0].failure?.message, 'memory>32: recommendations.memoryGiB = 64 (before: 3)')
  const sarif = await run([...args, '--output', 'sarif'])
  const log = JSON.parse(sarif.stdout)
  t.ok(sarifValidator(log), JSON.stringify(sarifValidator.errors))
  t.same(log.runs[0].results.map((result: { ruleId: string, properties: { before: number } }) => [result.ruleId, result.properties.before]), [['fail-on/memory>32', 3], ['warn-on/cores>4', 8]])
  const markdown = await run([...args, '--output', 'markdown'])
  t.match(markdown.stdout, /^### sizing diff engram: failed\n/)
  t.match(markdown.stdout, '| `memory>32` | recommendations.memoryGiB = 64 (before: 3) | > 32 | ❌ failed |')
  const github = await run(['diff', before, '-', '--model', 'engram', '--warn-on', 'memory>32', '--output', 'github'], { stdin: 'expectedNodes: 50000000' })
  t.equal(github.code, EXIT.ok)
  t.equal(github.stdout, '::warning title=sizing gate warning%3A memory>32::memory>32: recommendations.memoryGiB = 64 (before: 3)\nsizing diff engram: passed with warnings (0 failed, 1 warning(s), 0 passed)\n', 'no file from standard input')

  const badWarn = await run(['diff', before, relativeScenario, '--model', 'engram', '--warn-on', 'cost>1'])
  t.equal(badWarn.code, EXIT.usage)
  t.match(badWarn.stderr, /^sizing: --warn-on "cost>1": cost is not a numeric figure of model engram/)
  const badFail = await run(['diff', before, relativeScenario, '--model', 'engram', '--fail-on', 'cores'])
  t.equal(badFail.stderr, 'sizing: --fail-on "cores" is not a gate: write <figure><op><number> (op one of > >= < <= == !=, e.g. cores>32), warning:<CODE> or severity:<info|warning|critical>\n')
  // a failing service during the warn-on request is still the service, exit 3
  const failingDiff: CliIo['transport'] = () => ({
    send: async (request) => request.path.startsWith('/diff') && request.body?.includes('"failOn":["cores>4"') === true ? { status: 503, body: '{"message": "overloaded"}' } : await shared.send(request),
    close: async () => {}
  })
  const unavailable = await run(args, { transport: failingDiff })
  t.equal(unavailable.code, EXIT.service)
  t.equal(unavailable.stderr, 'sizing: the service answered 503: overloaded\n')
})

t.test('sweep and sensitivity', async (t) => {
  const csv = await run(['sweep', 'engram', '--vary', 'expectedNodes=1e6..3e6:3', '--output', 'recommendations.memoryGiB', '--format', 'csv'])
  t.equal(csv.code, EXIT.ok)
  t.equal(csv.stdout, (await app.inject({ method: 'POST', url: '/sweep?format=csv', payload: { model: 'engram', scenario: {}, vary: [{ input: 'expectedNodes', from: 1e6, to: 3e6, points: 3 }], outputs: ['recommendations.memoryGiB'] } })).body)
  const log = await run(['sweep', 'aeterna', '--memory-count', '10', '--vary', 'memoryCount=100..1e6:5:log', '--output', 'tier'])
  t.same(JSON.parse(log.stdout).tierChanges.map((c: { to: string }) => c.to), ['medium', 'large'])
  const two = await run(['sweep', 'engram', '--vary', 'opsPerSec=1000..2000:2', '--vary', 'retentionDays=0.5..1.5:3', '--format', 'svg'])
  t.match(two.stdout, /^<svg/)
  const sensitivity = await run(['sensitivity', 'engram', '--output', 'storage.totalGiB', '--input', 'opsPerSec', '--input', 'edgesPerNode', '--delta', '20'])
  const result = JSON.parse(sensitivity.stdout)
  t.equal(result.deltaPercent, 20)
  t.same(result.outputs[0].drivers.map((d: { input: string }) => d.input), ['opsPerSec', 'edgesPerNode'])
  const text = await run(['sensitivity', 'engram', '--ops-per-sec', '1000', '--format', 'text'])
  t.match(text.stdout, 'Sensitivity of engram: each input moved -/+10%')
  const tooMany = await run(['sweep', 'engram', '--vary', 'opsPerSec=1..2:200', '--vary', 'retentionDays=1..2:200'])
  t.equal(tooMany.code, EXIT.usage)
  t.equal(tooMany.stderr, 'sizing: body/vary: 200 x 200 = 40000 points, more than 10000\n')
  const unknownFigure = await run(['sweep', 'engram', '--vary', 'opsPerSec=1..2', '--output', 'nope'])
  t.equal(unknownFigure.code, EXIT.usage)
  t.match(unknownFigure.stderr, 'sizing: body/outputs/0: "nope" is not a figure of model engram')
})

t.test('usage errors exit 2 with the reason on stderr', async (t) => {
  const cases: Array<[string[], string]> = [
    [['estimate'], 'sizing: name a model: engram, engram-scaling, engram-performance, aurora, mistersmith, aeterna\n'],
    [['estimate', 'nothing'], 'sizing: unknown model "nothing" (models: engram,'],
    [['estimate', 'engram', '--expected-nodez', '3'], 'sizing: unknown option --expected-nodez for model engram (inputs: --expected-nodes --active-ratio'],
    [['estimate', 'engram', '--expected-nodes', 'many'], 'sizing: --expected-nodes: "many" is not a number'],
    [['estimate', 'engram', '--expected-nodes', '-5'], 'sizing: body/expectedNodes must be >= 0'],
    [['estimate', 'engram', '--expected-nodes', '2.5'], 'sizing: body/expectedNodes must be integer'],
    [['estimate', 'aeterna', '--multi-tenant', 'yes', '--memory-count', '1'], 'sizing: --multi-tenant: "yes" is not true or false'],
    [['estimate', 'aurora', '--tables', '[]'], 'sizing: --tables: array inputs are given in a scenario file (--file)'],
    [['estimate', 'aurora', '--environment', 'prod'], 'sizing: body/environment must be one of: development, staging, production'],
    [['estimate', 'engram', 'extra'], 'sizing: unexpected argument "extra"'],
    [['estimate', 'engram', '--vary', 'x=1..2'], 'sizing: --vary is not an option of "sizing estimate"'],
    [['estimate', 'engram', '--format', 'csv'], 'sizing: --format csv: "sizing estimate" writes json, yaml, text'],
    [['estimate', 'engram', '-f', join(dir, 'missing.json')], 'sizing: cannot read'],
    [['estimate', 'engram', '-f', file('bad.json', '{"a": [1,')], 'is not JSON or YAML'],
    [['estimate', 'engram', '-f', file('list.json', '[1, 2]')], 'a scenario must be a mapping of input fields'],
    [['estimate', 'engram', '-f', file('badmodel.json', '{"model": 3, "scenario": {}}')], 'model must be a name'],
    [['estimate', 'engram', '-f', file('badscenario.json', '{"scenario": 3}')], 'scenario must be a mapping of input fields'],
    [['estimate', 'engram', '--url'], 'sizing: --url needs a value'],
    [['estimate', 'engram', '--format', 'json', '--format', 'yaml'], 'sizing: --format is given twice'],
    [['models', '--version=1'], 'sizing: --version takes no value'],
    [['models', '-x'], 'sizing: unknown option -x'],
    [['models', 'extra'], 'sizing: unexpected argument "extra"'],
    [['tiers', '--expected-nodes', '1'], 'sizing: unknown option --expected-nodes for "sizing tiers"'],
    [['bogus'], 'sizing: unknown command "bogus"'],
    [['validate', 'engram', 'x.yaml'], 'sizing: validate checks Aeterna values documents: sizing validate aeterna <values.yaml|-> (not "engram")'],
    [['validate'], 'sizing: validate checks Aeterna values documents: sizing validate aeterna <values.yaml|->\n'],
    [['validate', 'aeterna'], 'sizing: name the values file to validate, or - for standard input'],
    [['validate', 'aeterna', '-', '--memory-count', 'x'], 'sizing: --memory-count: "x" is not a number'],
    [['validate', 'aeterna', '-', '--strict=yes'], 'sizing: --strict takes no value'],
    [['estimate', 'engram', '--strict'], 'sizing: --strict is not an option of "sizing estimate"'],
    [['diff', 'a.json'], 'sizing: name two scenario files'],
    [['diff', '-', '-'], 'sizing: only one of the two scenarios can come from standard input'],
    [['diff', file('d1.json', '{}'), file('d2.json', '{}')], 'sizing: name the model with --model: the scenarios set no field, so every model fits\n'],
    [['diff', file('d3.json', '{"agents": 5}'), file('d4.json', '{}')], 'sizing: name the model with --model: fields agents fit aurora, mistersmith'],
    [['diff', file('d5.json', '{"agents": 5}'), file('d6.json', '{"expectedNodes": 1}')], 'sizing: name the model with --model: fields agents, expectedNodes fit no model'],
    [['sweep', 'engram'], 'sizing: name one or two inputs to vary'],
    [['sweep', 'engram', '--vary', 'expectedNodes'], 'sizing: --vary "expectedNodes": write input=from..to[:points[:linear|log]]'],
    [['sweep', 'engram', '--vary', 'expectedNodes=a..2'], 'sizing: --vary expectedNodes from: "a" is not a number'],
    [['sensitivity', 'engram', '--delta', 'big'], 'sizing: --delta: "big" is not a number'],
    [['sensitivity', 'engram', '--delta', '80'], 'sizing: body/deltaPercent must be <= 50'],
    [['estimate', 'engram', '--output', 'xml'], 'sizing: --output xml: "sizing estimate" writes the reports junit, sarif, markdown, github\n'],
    [['diff', 'a.json', 'b.json', '--output', 'html'], 'sizing: --output html: "sizing diff" writes the reports junit, sarif, markdown, github\n'],
    [['estimate', 'engram', '--output', 'junit', '-o', 'sarif'], 'sizing: --output is given twice\n'],
    [['estimate', 'engram', '--output', 'junit', '--format', 'yaml'], 'sizing: --output junit writes a report instead of the answer: drop --format yaml\n'],
    [['estimate', 'engram', '--output'], 'sizing: --output needs a value\n'],
    [['tiers', '--warn-on', 'cores>1'], 'sizing: --warn-on is not an option of "sizing tiers"'],
    [['validate', 'aeterna', '-', '--output', 'xml'], 'sizing: --output xml: "sizing validate" writes the reports junit, sarif, markdown, github']
  ]
  for (const [words, message] of cases) {
    const result = await run(words, { stdin: '' })
    t.equal(result.code, EXIT.usage, words.join(' '))
    t.match(result.stderr, message, words.join(' '))
    t.equal(result.stdout, '', 'nothing on stdout')
  }
})

t.test('a broken standard input is named as such', async (t) => {
  const result = await run(['estimate', 'engram', '-f', '-'], { stdin: 'a: [1,' })
  t.equal(result.code, EXIT.usage)
  t.match(result.stderr, /^sizing: standard input is not JSON or YAML: /)
  const unreadable = await runCli(['estimate', 'engram', '-f', '-'], { stdout: () => {}, stderr: (text) => { t.equal(text, 'sizing: cannot read -: stream closed\n') }, readStdin: async () => { throw new Error('stream closed') }, env: {}, transport: sharedTransport }, '0')
  t.equal(unreadable, EXIT.usage)
})

t.test('help and version', async (t) => {
  const bare = await run([])
  t.equal(bare.code, EXIT.usage, 'no command is a usage error')
  t.match(bare.stderr, 'Usage: sizing <command>')
  for (const words of [['help'], ['--help'], ['-h']]) {
    const help = await run(words)
    t.equal(help.code, EXIT.ok)
    t.match(help.stdout, 'Exit codes: 0 ok; 1 a gate failed')
  }
  for (const command of ['models', 'estimate', 'tiers', 'validate', 'diff', 'sweep', 'sensitivity']) {
    const viaHelp = await run(['help', command])
    const viaFlag = await run([command, '--help'])
    t.equal(viaHelp.code, EXIT.ok)
    t.equal(viaHelp.stdout, viaFlag.stdout, command)
    t.match(viaHelp.stdout, `Usage: sizing ${command}`)
  }
  for (const command of ['estimate', 'diff']) {
    const help = (await run(['help', command])).stdout
    t.match(help, '--warn-on <gate>      the same gates, reported', `${command} documents --warn-on`)
    t.match(help, '-o, --output <report> junit, sarif, markdown or github', `${command} documents --output`)
  }
  const unknownTopic = await run(['help', 'bogus'])
  t.equal(unknownTopic.code, EXIT.usage)
  const model = await run(['estimate', 'aurora', '--help'])
  t.match(model.stdout, 'Usage: sizing estimate aurora')
  t.match(model.stdout, '--storage-usd-per-gb-month <number>')
  t.match(model.stdout, '--tables <array, in a scenario file only>')
  t.match(model.stdout, '  cost = cost.totalUsdPerMonth')
  const scaling = await run(['estimate', 'aeterna', '--help'])
  t.match(scaling.stdout, '--memory-count <integer> (required)')
  t.match(scaling.stdout, '--require-ha <boolean>')
  const noAliases = await run(['estimate', 'engram-scaling', '--help'])
  t.match(noAliases.stdout, 'cpuRow = cpu.row')
  t.equal((await run(['--version'])).stdout, '9.9.9\n')
  t.match(modelHelp({ name: 'toy', path: '/estimate/toy', summary: 'Toy', inputs: [], aliases: {} }), 'Gate aliases:\n  (none: use figure paths, see sizing models)')
})

t.test('--url: the same answers from a running service, with a token; service failures exit 3', async (t) => {
  const { loadConfig } = await import('../../src/config.js')
  const server = await buildApp({ config: loadConfig({ API_TOKEN: 'secret-token-1234567890', MAX_EVENT_LOOP_DELAY_MS: '0' }) })
  t.teardown(() => server.close())
  const address = await server.listen({ port: 0, host: '127.0.0.1' })
  const remote = (url: string | undefined, token: string | undefined) => remoteTransport(url as string, token)
  const local = await run(['estimate', 'engram', '--expected-nodes', '2e6', '--format', 'yaml'])
  const viaUrl = await run(['estimate', 'engram', '--expected-nodes', '2e6', '--format', 'yaml', '--url', address, '--token', 'secret-token-1234567890'], { transport: remote })
  t.equal(viaUrl.code, EXIT.ok)
  t.equal(viaUrl.stdout, local.stdout, 'byte for byte')
  const fromEnv = await run(['sweep', 'engram', '--vary', 'opsPerSec=1..2:2', '--format', 'csv'], { transport: remote, env: { SIZING_URL: `${address}/`, SIZING_API_TOKEN: 'secret-token-1234567890' } })
  t.equal(fromEnv.code, EXIT.ok)
  t.match(fromEnv.stdout, /^opsPerSec,/)
  const noToken = await run(['models', '--url', address], { transport: remote })
  t.equal(noToken.code, EXIT.usage)
  t.match(noToken.stderr, 'sizing: ')
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const { port } = closed.address() as AddressInfo
  await new Promise((resolve) => closed.close(resolve))
  const refused = await run(['models', '--url', `http://127.0.0.1:${port}`], { transport: remote })
  t.equal(refused.code, EXIT.service)
  t.equal(refused.stderr, `sizing: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`)
  const badPort = await run(['models', '--url', 'http://127.0.0.1:1'], { transport: remote })
  t.equal(badPort.stderr, 'sizing: cannot reach http://127.0.0.1:1: bad port\n')
  const notUrl = await run(['models', '--url', 'not a url'], { transport: remote })
  t.equal(notUrl.code, EXIT.service)
  t.equal(notUrl.stderr, 'sizing: --url "not a url" is not a URL\n')
  t.equal(notUrl.stdout, '')
})

t.test('a failing service and an internal error exit 3', async (t) => {
  const answering = (status: number, body: string) => (): Transport => ({ send: async () => ({ status, body, contentType: 'application/json' }), close: async () => {} })
  const unavailable = await run(['models'], { transport: answering(503, '{"message": "shutting down"}') })
  t.equal(unavailable.code, EXIT.service)
  t.equal(unavailable.stderr, 'sizing: the service answered 503: shutting down\n')
  const limited = await run(['models'], { transport: answering(429, 'slow down') })
  t.equal(limited.code, EXIT.service, 'rate limited is the service, not the input')
  t.equal(limited.stderr, 'sizing: the service answered 429: HTTP 429\n')
  const broken = await run(['models'], { transport: () => ({ send: async () => { throw new TypeError('boom') }, close: async () => {} }) })
  t.equal(broken.code, EXIT.service)
  t.match(broken.stderr, 'sizing: internal error: TypeError: boom')
  // eslint-disable-next-line no-throw-literal -- a dependency may throw a non-Error
  const thrown = await run(['models'], { transport: () => ({ send: async () => { throw 'text' as unknown as Error }, close: async () => {} }) })
  t.match(thrown.stderr, 'sizing: internal error: text')
  const fetchFailure = remoteTransport('http://example.invalid', undefined, async () => { throw new Error('no network') })
  await t.rejects(fetchFailure.send({ method: 'GET', path: '/estimates' }), { message: 'cannot reach http://example.invalid: no network' })
})

t.test('argument parsing', async (t) => {
  const parsed = parseArgs(['estimate', 'engram', '--ops-per-sec', '-5', '--flag', '--fail-on', 'a>1', '--fail-on=b>2', '--', '--not-an-option'])
  t.same(parsed.positionals, ['estimate', 'engram', '--not-an-option'])
  t.same(parsed.inputs, [['ops-per-sec', '-5'], ['flag', 'true']])
  t.same(parsed.lists.get('fail-on'), ['a>1', 'b>2'])
  t.same(parseArgs(['-f', '-']).options.get('file'), '-')
  t.same(parseVary('tables.agent_states.rowBytes=0.5..1.5e3:7:LOG'), { input: 'tables.agent_states.rowBytes', from: 0.5, to: 1500, points: 7, scale: 'log' })
  t.same(parseVary('x=-5..5'), { input: 'x', from: -5, to: 5, points: 11, scale: 'linear' })
  t.same(parseVary('x=1_000..2_000:2:linear').from, 1000)
  t.throws(() => parseArgs(['--file']), UsageError)
})

t.test('the in-process transport closes cleanly without being used', async (t) => {
  await inProcessTransport().close()
  t.pass('closed')
})

t.test('validate: the findings as CI reports, in the mode asked for', async (t) => {
  const medium = readFileSync(new URL('../../data/aeterna/values-medium.yaml', import.meta.url), 'utf8')
  const junit = await run(['validate', 'aeterna', '-', '-o', 'junit'], { stdin: medium })
  t.equal(junit.code, EXIT.gateFailed)
  t.match(junit.stdout, /<testsuite name="sizing validate aeterna \(strict\)" tests="\d+" failures="20" errors="0" skipped="0">/)
  t.match(junit.stdout, '<failure message="AETERNA_PDB aeterna.pdb: aeterna.pdb: not set" type="fail-on">failed: AETERNA_PDB aeterna.pdb: aeterna.pdb: not set (an error unless aeterna.pdb is a PodDisruptionBudget')
  t.match(junit.stderr, 'sizing: validation failed: 20 error finding(s)')
  // lenient: the same findings as warnings, and the exit code 4 in the report too
  const lenient = await run(['validate', 'aeterna', '-', '--lenient', '-o', 'sarif'], { stdin: medium })
  t.equal(lenient.code, EXIT.lenientOnly)
  const sarif = JSON.parse(lenient.stdout)
  t.equal(sarif.runs[0].invocations[0].exitCode, 4)
  t.equal(sarif.runs[0].results.filter((r: { level: string }) => r.level === 'error').length, 0)
  t.ok(sarif.runs[0].results.some((r: { level: string, ruleId: string }) => r.level === 'warning' && r.ruleId === 'warn-on/AETERNA_PDB aeterna.pdb'))
  t.match(sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'warn-on/AETERNA_PDB aeterna.pdb').fullDescription.text, 'sizing reports a warning unless aeterna.pdb is')
  const good = await run(['validate', 'aeterna', new URL('../fixtures/aeterna/values-ha-complete.yaml', import.meta.url).pathname, '-o', 'markdown'])
  t.equal(good.code, EXIT.ok)
  t.match(good.stdout, '✅ passed')
  t.notMatch(good.stdout, '❌')
  t.equal((await run(['validate', 'aeterna', '-', '-o', 'junit', '--format', 'json'], { stdin: medium })).code, EXIT.usage)
  // on 3 nodes the medium HA plan's 3 Qdrant pods, one per node, leave a drained one Pending: a finding no values file fixes
  const tight = await run(['validate', 'aeterna', new URL('../fixtures/aeterna/values-ha-complete.yaml', import.meta.url).pathname, '--nodes', '3', '--lenient', '-o', 'junit'])
  const drain = /<testcase name="SCHEDULING qdrant\.replicaCount" classname="aeterna \(lenient\)">\n {6}<system-out>([^<]*)<\/system-out>/.exec(tight.stdout)
  t.match(drain?.[1], /^warning: SCHEDULING qdrant\.replicaCount: .*the drained pod stays Pending until the node returns\. Run 4 nodes\.$/s)
  t.notMatch(drain?.[1], 'fix:', 'no values fix for it')
})
