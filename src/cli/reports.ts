// CI reports of a gate run (`--output junit|sarif|markdown|github` on estimate, diff, calibrate and
// validate, whose findings are its gates): what each
// gate read, when it trips and its verdict, in the forms CI systems display. Pure functions of the
// results: no clock, no host, no command line (it may carry --token), so a run writes the same
// bytes every time and a report can be committed or diffed.
import { isAbsolute } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Gate, GateVerdict } from '../models/analysis/gates.js'

export const REPORT_FORMATS = ['junit', 'sarif', 'markdown', 'github'] as const
export type ReportFormat = typeof REPORT_FORMATS[number]
export const isReportFormat = (word: string): word is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(word)

/** Where a gate came from: a tripped --fail-on gate fails the run (exit 1), a --warn-on gate only reports. */
export type GateOption = 'fail-on' | 'warn-on'

export interface GateResult {
  /** The gate as written (trimmed): `memory>32`, `warning:HORIZONTAL_SCALING`. */
  gate: string
  option: GateOption
  /** Warning and severity gates count warnings; figure gates read a number. */
  counts: boolean
  /** The figure path read (aliases resolved), or the warning code / `severity <level>`. */
  subject: string
  value: number | null
  /** The same gate on the before scenario, for diff. */
  before?: number | null
  /** When the gate trips, as a condition on the value: `> 32`; `> 0` for counted warnings. */
  threshold: string
  tripped: boolean
  /** The estimate's warnings a warning or severity gate matched, `CODE (severity): message`. */
  details: string[]
  /** What a validation finding found, read instead of the value (sizing validate). */
  found?: string
}

export interface GateRun {
  command: 'estimate' | 'diff' | 'calibrate' | 'validate'
  model: string
  /** The scenario file the gates judged, as given on the command line; absent for stdin and flags. */
  scenarioFile?: string
  toolVersion: string
  results: GateResult[]
  /** The command's exit code where it is not 1-or-0 by the gates alone (validate --lenient: 4). */
  exitCode?: number
}

type Verdict = 'failed' | 'warning' | 'passed'

/** A gate's verdict and reading in the report's terms; `details` only for warning and severity gates. */
export function gateResult (gate: Gate, verdict: GateVerdict, option: GateOption, details: string[] = [], before?: number | null): GateResult {
  return {
    gate: verdict.gate,
    option,
    counts: gate.kind !== 'figure',
    subject: verdict.subject,
    value: verdict.value,
    ...(before === undefined ? {} : { before }),
    threshold: gate.kind === 'figure' ? `${gate.comparison} ${gate.threshold}` : '> 0',
    tripped: verdict.failed,
    details
  }
}

const verdictOf = (result: GateResult): Verdict => !result.tripped ? 'passed' : result.option === 'fail-on' ? 'failed' : 'warning'

/** The reading as the stderr lines have always shown it: `recommendations.memoryGiB = 48`, `1 warning(s)`. */
const reading = (result: GateResult): string => result.found !== undefined ? `${result.subject}: ${result.found}` : result.counts ? `${String(result.value)} warning(s)` : `${result.subject} = ${String(result.value)}`

const readingWithBefore = (result: GateResult): string => `${reading(result)}${result.before === undefined ? '' : ` (before: ${String(result.before)})`}`

/** One line per tripped gate on stderr, whatever --output says: the exit code's reason stays in the log. */
export const gateLine = (result: GateResult): string =>
  `sizing: gate ${verdictOf(result) === 'failed' ? 'failed' : 'warning'}: ${result.gate} (${reading(result)})\n`

export const runFailed = (run: GateRun): boolean => run.results.some((result) => verdictOf(result) === 'failed')

/** The message of a gate in every report: the gate, its reading, then the warnings it matched. */
const message = (result: GateResult): string => [`${result.gate}: ${readingWithBefore(result)}`, ...result.details].join('\n')

function tally (run: GateRun): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { failed: 0, warning: 0, passed: 0 }
  for (const result of run.results) counts[verdictOf(result)]++
  return counts
}

const overall = (run: GateRun): string => {
  const { failed, warning } = tally(run)
  return failed > 0 ? 'failed' : warning > 0 ? 'passed with warnings' : 'passed'
}

const tallyText = (run: GateRun): string => {
  const { failed, warning, passed } = tally(run)
  return `${failed} failed, ${warning} warning(s), ${passed} passed`
}

const title = (run: GateRun): string => `sizing ${run.command} ${run.model}`

export function renderReport (format: ReportFormat, run: GateRun): string {
  switch (format) {
    case 'junit': return junitReport(run)
    case 'sarif': return sarifReport(run)
    case 'markdown': return markdownReport(run)
    case 'github': return githubReport(run)
  }
}

// JUnit XML ------------------------------------------------------------------------------------

/** Characters XML 1.0 cannot carry at all, even escaped (C0 controls other than tab and newlines). */
const notXml = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' }
/** Attribute values: newlines as character references, or parsers fold them into spaces. */
const xmlAttribute = (text: string): string => text.replace(notXml, '').replace(/[&<>"'\n\r\t]/g, (c) => XML_ENTITIES[c])
const xmlText = (text: string): string => text.replace(notXml, '').replace(/[&<>]/g, (c) => XML_ENTITIES[c])

/**
 * One testsuite for the run, one testcase per gate (name the gate, classname the model). A tripped
 * --warn-on gate is a passing testcase whose <system-out> starts with "warning:": JUnit has no
 * warning state, and a failure or error would turn the test report red on a run that exits 0.
 */
function junitReport (run: GateRun): string {
  const { failed } = tally(run)
  const counts = `tests="${run.results.length}" failures="${failed}" errors="0" skipped="0"`
  const properties = [
    ['command', run.command],
    ['model', run.model],
    ...(run.scenarioFile === undefined ? [] : [['scenario', run.scenarioFile]]),
    ['sizing', run.toolVersion]
  ].map(([name, value]) => `      <property name="${name}" value="${xmlAttribute(value)}"/>`)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sizing" ${counts}>`,
    `  <testsuite name="${xmlAttribute(title(run))}" ${counts}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...run.results.map((result) => junitTestcase(result, run.model)),
    '  </testsuite>',
    '</testsuites>',
    ''
  ].join('\n')
}

function junitTestcase (result: GateResult, model: string): string {
  const open = `    <testcase name="${xmlAttribute(result.gate)}" classname="${xmlAttribute(model)}">`
  const verdict = verdictOf(result)
  const text = xmlText([`${verdict}: ${result.gate}: ${readingWithBefore(result)} (${rule(result)})`, ...result.details].join('\n'))
  const body = verdict === 'failed'
    ? `      <failure message="${xmlAttribute(`${result.gate}: ${readingWithBefore(result)}`)}" type="fail-on">${text}</failure>`
    : `      <system-out>${text}</system-out>`
  return [open, body, '    </testcase>'].join('\n')
}

// SARIF 2.1.0 ----------------------------------------------------------------------------------

const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'

/** A scenario path as a URI reference: relative paths stay relative (to the checkout, for code scanning). */
const fileUri = (path: string): string => isAbsolute(path) ? pathToFileURL(path).href : path.split('/').map(encodeURIComponent).join('/')

const ruleId = (result: GateResult): string => `${result.option}/${result.gate}`

/** What makes the gate trip: a --fail-on/--warn-on condition, or a validation finding's expectation. */
const rule = (result: GateResult): string => result.found === undefined
  ? `--${result.option}, trips when ${result.threshold}`
  : `${result.option === 'fail-on' ? 'an error' : 'a warning'} unless ${result.subject} is ${result.threshold}`

/**
 * One run of tool "sizing", one rule per gate (id `fail-on/<gate>` or `warn-on/<gate>`) and one
 * result per tripped gate: level error for --fail-on, warning for --warn-on. A gate that holds has
 * no result (SARIF's "no result, no problem"): a kind "pass" result would need level "none", which
 * code scanning shows as an alert all the same. The location is the scenario file when there is one;
 * a gate of flags or stdin has no place in a source file, so the result carries none.
 */
function sarifReport (run: GateRun): string {
  const ids = [...new Set(run.results.map(ruleId))]
  const rules = ids.map((id) => {
    const result = run.results.find((candidate) => ruleId(candidate) === id) as GateResult
    const effect = result.option === 'fail-on' ? `sizing ${run.command} exits 1` : 'sizing reports a warning'
    return {
      id,
      shortDescription: { text: `${result.gate} (--${result.option})` },
      fullDescription: { text: result.found === undefined ? `${effect} when ${result.counts ? `the count of ${result.subject} warnings` : result.subject} is ${result.threshold}.` : `${effect} unless ${result.subject} is ${result.threshold}.` },
      defaultConfiguration: { level: result.option === 'fail-on' ? 'error' : 'warning' },
      properties: { gate: result.gate, subject: result.subject, threshold: result.threshold }
    }
  })
  const locations = run.scenarioFile === undefined ? {} : { locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(run.scenarioFile) } } }] }
  const results = run.results.filter((result) => result.tripped).map((result) => ({
    ruleId: ruleId(result),
    ruleIndex: ids.indexOf(ruleId(result)),
    kind: 'fail',
    level: result.option === 'fail-on' ? 'error' : 'warning',
    message: { text: message(result) },
    ...locations,
    properties: { model: run.model, subject: result.subject, value: result.value, threshold: result.threshold, ...(result.before === undefined ? {} : { before: result.before }) }
  }))
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'sizing', version: run.toolVersion, rules } },
      invocations: [{ executionSuccessful: true, exitCode: run.exitCode ?? (runFailed(run) ? 1 : 0) }],
      results,
      properties: { command: run.command, model: run.model }
    }]
  }
  return `${JSON.stringify(log, null, 2)}\n`
}

// Markdown -------------------------------------------------------------------------------------

/**
 * Text in a table cell or list item: what would start markup escaped, lines joined. Underscores
 * inside words (WAL_DOMINATES_STORAGE) and a mid-line `>` are literal in GFM, so they stay readable.
 */
const markdownText = (text: string): string => text
  .replace(/[\\`*<|[\]]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\$&')
  .replace(/\r?\n/g, ' ')

const VERDICT_MARK: Record<Verdict, string> = { failed: '❌ failed', warning: '⚠️ warning', passed: '✅ passed' }

/** A heading with the model and the overall verdict, the gate table, then the warnings gates matched: for $GITHUB_STEP_SUMMARY or a PR comment. */
function markdownReport (run: GateRun): string {
  const heading = `### ${title(run)}: ${overall(run)}`
  const scenario = run.scenarioFile === undefined ? '' : ` Scenario: \`${run.scenarioFile.replace(/`/g, '')}\`.`
  if (run.results.length === 0) return `${heading}\n\nNo gates.${scenario}\n`
  const rows = run.results.map((result) =>
    `| \`${result.gate}\`${result.option === 'warn-on' ? ' (warn-on)' : ''} | ${markdownText(readingWithBefore(result))} | ${markdownText(result.threshold)} | ${VERDICT_MARK[verdictOf(result)]} |`)
  const details = run.results.flatMap((result) => result.tripped ? result.details.map((detail) => `- \`${result.gate}\`: ${markdownText(detail)}`) : [])
  return [
    heading,
    '',
    '| gate | value | threshold | verdict |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `${tallyText(run)}.${scenario}`,
    ...(details.length === 0 ? [] : ['', ...details]),
    ''
  ].join('\n')
}

// GitHub Actions workflow commands -------------------------------------------------------------

/** Escaping of the runner's command parser: data loses %, CR and LF; property values also : and ,. */
export const githubData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
export const githubProperty = (text: string): string => githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')

/**
 * `::error` per failed gate and `::warning` per tripped --warn-on gate (annotations on the run, and
 * on the scenario file when there is one), then a plain summary line so a passing run still says
 * what it checked.
 */
function githubReport (run: GateRun): string {
  const file = run.scenarioFile === undefined ? '' : `,file=${githubProperty(run.scenarioFile)}`
  const annotations = run.results.filter((result) => result.tripped).map((result) => {
    const failed = verdictOf(result) === 'failed'
    return `::${failed ? 'error' : 'warning'} title=${githubProperty(`sizing gate ${failed ? 'failed' : 'warning'}: ${result.gate}`)}${file}::${githubData(message(result))}`
  })
  return [...annotations, `${title(run)}: ${overall(run)} (${tallyText(run)})`, ''].join('\n')
}
