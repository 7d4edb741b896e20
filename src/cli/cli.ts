// The `sizing` command: the service's models from a terminal or a pipeline. Every command is one
// request to the service's own routes, in this process (no server) or at --url, so the CLI and
// the API never disagree. Exit codes: 0 ok, 1 a gate failed, 2 bad usage or input, 3 the service
// could not be reached or failed.
import { readFile } from 'node:fs/promises'
import { parse as parseYaml } from 'yaml'
import { type Figures, flattenFigures } from '../models/analysis/figures.js'
import { type Gate, type GateVerdict, checkedGate, evaluateGate, parseGate } from '../models/analysis/gates.js'
import { type InputField, UsageError, inputsFromFlags, parseArgs, parseNumber, parseVary, type ParsedArgs } from './args.js'
import { COMMAND_HELP, GENERAL_HELP, type Command, modelHelp } from './help.js'
import { type GateOption, type GateResult, type GateRun, REPORT_FORMATS, type ReportFormat, gateLine, gateResult, isReportFormat, renderReport, runFailed } from './reports.js'
import { type CliRequest, type CliResponse, ServiceError, type Transport, inProcessTransport, remoteTransport } from './transport.js'

/** The numbers sizing validate takes, each a query parameter of POST /validate/aeterna. */
const VALIDATE_NUMBERS = ['memory-count', 'nodes', 'zones']

/** lenientOnly: sizing validate --lenient passed, but the strict HA gate would not. */
export const EXIT = { ok: 0, gateFailed: 1, usage: 2, service: 3, lenientOnly: 4 } as const

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  readStdin: () => Promise<string>
  env: Record<string, string | undefined>
  /** Tests replace the transport; the default is in-process, or HTTP with --url. */
  transport?: (url: string | undefined, token: string | undefined) => Transport
}

interface CatalogueModel { name: string, path: string, summary: string, inputs: Array<InputField & { description: string, required: boolean }>, keyFigures: string[], aliases: Record<string, string>, tierFigures: string[] }

type Format = 'json' | 'yaml' | 'text' | 'csv' | 'svg'
const FORMATS: Record<Command, readonly Format[]> = {
  models: ['json', 'yaml', 'text'],
  estimate: ['json', 'yaml', 'text'],
  tiers: ['json', 'yaml', 'text'],
  validate: ['json', 'yaml', 'text'],
  diff: ['json', 'yaml', 'text'],
  sweep: ['json', 'yaml', 'text', 'csv', 'svg'],
  sensitivity: ['json', 'yaml', 'text'],
  calibrate: ['json', 'yaml', 'text']
}
const COMMON_OPTIONS = ['url', 'token', 'format']
const OPTIONS: Record<Command, string[]> = {
  models: COMMON_OPTIONS,
  estimate: [...COMMON_OPTIONS, 'file', 'fail-on', 'warn-on', 'output'],
  tiers: COMMON_OPTIONS,
  validate: [...COMMON_OPTIONS, 'output'],
  diff: [...COMMON_OPTIONS, 'model', 'fail-on', 'warn-on', 'output'],
  sweep: [...COMMON_OPTIONS, 'file', 'vary', 'output'],
  sensitivity: [...COMMON_OPTIONS, 'file', 'output', 'input', 'delta'],
  calibrate: [...COMMON_OPTIONS, 'file', 'prometheus', 'window', 'end', 'match', 'fail-on', 'warn-on', 'output']
}
const TAKES_MODEL_INPUTS = new Set<Command>(['estimate', 'sweep', 'sensitivity'])
const isCommand = (word: string): word is Command => Object.hasOwn(FORMATS, word)

/** Rejects options a command does not take, so a misplaced flag is never silently ignored. */
function checkOptions (command: Command, args: ParsedArgs): void {
  const allowed = new Set(OPTIONS[command])
  for (const name of [...args.options.keys(), ...args.lists.keys()]) {
    if (!allowed.has(name)) throw new UsageError(`--${name} is not an option of "sizing ${command}" (see sizing ${command} --help)`)
  }
  for (const flag of ['strict', 'lenient']) {
    if (args.flags.has(flag) && command !== 'validate') throw new UsageError(`--${flag} is not an option of "sizing ${command}" (see sizing ${command} --help)`)
  }
  // validate takes the numbers its query has (VALIDATE_NUMBERS)
  const inputs = command === 'validate' ? args.inputs.filter(([name]) => !VALIDATE_NUMBERS.includes(name)) : args.inputs
  if (!TAKES_MODEL_INPUTS.has(command) && inputs.length > 0) throw new UsageError(`unknown option --${inputs[0][0]} for "sizing ${command}" (see sizing ${command} --help)`)
}

function formatOf (command: Command, args: ParsedArgs): Format {
  const format = (args.options.get('format') ?? 'json') as Format
  if (!FORMATS[command].includes(format)) throw new UsageError(`--format ${format}: "sizing ${command}" writes ${FORMATS[command].join(', ')}`)
  return format
}

/**
 * --output of a gate command (estimate, diff; sweep and sensitivity take --output figures): the CI
 * report that replaces the answer on stdout. Not with --format: there would be nothing to format.
 */
function reportOf (command: 'estimate' | 'diff' | 'calibrate' | 'validate', args: ParsedArgs): ReportFormat | undefined {
  const outputs = args.lists.get('output')
  if (outputs === undefined) return undefined
  if (outputs.length > 1) throw new UsageError('--output is given twice')
  const [output] = outputs
  if (!isReportFormat(output)) throw new UsageError(`--output ${output}: "sizing ${command}" writes the reports ${REPORT_FORMATS.join(', ')}`)
  if (args.options.has('format')) throw new UsageError(`--output ${output} writes a report instead of the answer: drop --format ${args.options.get('format') as string}`)
  return output
}

/** The service's error message, or the status when the body is not our error shape. */
function errorMessage (response: CliResponse): string {
  try {
    const parsed = JSON.parse(response.body) as { message?: unknown }
    if (typeof parsed.message === 'string') return parsed.message
  } catch {}
  return `HTTP ${response.status}`
}

class Session {
  private catalogue: CatalogueModel[] | undefined
  constructor (private readonly transport: Transport, private readonly io: CliIo) {}

  async send (request: CliRequest): Promise<CliResponse> {
    const response = await this.transport.send(request)
    if (response.status >= 200 && response.status < 300) return response
    if (response.status >= 400 && response.status < 500 && response.status !== 429) throw new UsageError(errorMessage(response))
    throw new ServiceError(`the service answered ${response.status}: ${errorMessage(response)}`)
  }

  async json<T> (request: CliRequest): Promise<T> {
    const response = await this.send({ ...request, path: withFormat(request.path, 'json') })
    return JSON.parse(response.body) as T
  }

  /** Writes the answer in the asked format; JSON is indented for people, one document for pipes. */
  async write (request: CliRequest, format: Format, json?: unknown): Promise<void> {
    if (format === 'json') {
      const document = json ?? JSON.parse((await this.send({ ...request, path: withFormat(request.path, 'json') })).body)
      this.io.stdout(`${JSON.stringify(document, null, 2)}\n`)
      return
    }
    const body = (await this.send({ ...request, path: withFormat(request.path, format) })).body
    this.io.stdout(body.replace(/\n?$/, '\n'))
  }

  private async models (): Promise<CatalogueModel[]> {
    this.catalogue ??= (await this.json<{ models: CatalogueModel[] }>({ method: 'GET', path: '/estimates' })).models
    return this.catalogue
  }

  async model (name: string | undefined): Promise<CatalogueModel> {
    const models = await this.models()
    const names = models.map((model) => model.name)
    if (name === undefined) throw new UsageError(`name a model: ${names.join(', ')}`)
    const model = models.find((candidate) => candidate.name === name)
    if (model === undefined) throw new UsageError(`unknown model "${name}" (models: ${names.join(', ')})`)
    return model
  }

  /** The one model whose inputs include every field of the scenarios, for a diff named by no model. */
  async modelOfFields (scenarios: Array<Record<string, unknown>>): Promise<CatalogueModel> {
    const fields = [...new Set(scenarios.flatMap((scenario) => Object.keys(scenario)))]
    const fitting = (await this.models()).filter((model) => fields.every((field) => model.inputs.some((input) => input.name === field)))
    if (fields.length > 0 && fitting.length === 1) return fitting[0]
    if (fields.length === 0) throw new UsageError('name the model with --model: the scenarios set no field, so every model fits')
    throw new UsageError(`name the model with --model: fields ${fields.join(', ')} fit ${fitting.length === 0 ? 'no model' : fitting.map((model) => model.name).join(', ')}`)
  }
}

const withFormat = (path: string, format: Format): string => `${path}${path.includes('?') ? '&' : '?'}format=${format}`

/** A JSON or YAML document from a file, or from standard input for "-". */
async function readDocument (path: string, io: CliIo): Promise<{ text: string, document: unknown }> {
  let text: string
  try {
    text = path === '-' ? await io.readStdin() : await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`)
  }
  try {
    return { text, document: text.trim() === '' ? {} : parseYaml(text) }
  } catch (error) {
    throw new UsageError(`${path === '-' ? 'standard input' : path} is not JSON or YAML: ${(error as Error).message.split('\n')[0]}`)
  }
}

interface ScenarioFile { model?: string, scenario: Record<string, unknown> }

/** A scenario file is the model's request body, or `{ model, scenario }` carrying its model. */
async function readScenario (path: string, io: CliIo): Promise<ScenarioFile> {
  const { document } = await readDocument(path, io)
  const where = path === '-' ? 'standard input' : path
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new UsageError(`${where}: a scenario must be a mapping of input fields`)
  const keys = Object.keys(document)
  if (keys.includes('scenario') && keys.every((key) => key === 'model' || key === 'scenario')) {
    const { model, scenario } = document as { model?: unknown, scenario: unknown }
    if (model !== undefined && typeof model !== 'string') throw new UsageError(`${where}: model must be a name`)
    if (scenario === null || typeof scenario !== 'object' || Array.isArray(scenario)) throw new UsageError(`${where}: scenario must be a mapping of input fields`)
    return { model: model as string | undefined, scenario: scenario as Record<string, unknown> }
  }
  return { scenario: document as Record<string, unknown> }
}

/** The scenario of a model command: the file (or stdin) first, flags over it. */
async function scenarioOf (args: ParsedArgs, model: CatalogueModel, io: CliIo): Promise<Record<string, unknown>> {
  const file = args.options.get('file')
  const fromFile = file === undefined ? {} : (await readScenario(file, io)).scenario
  return { ...fromFile, ...inputsFromFlags(args.inputs, model.inputs, model.name) }
}

function noMorePositionals (args: ParsedArgs, count: number, command: Command): void {
  if (args.positionals.length > count) throw new UsageError(`unexpected argument "${args.positionals[count]}" (see sizing ${command} --help)`)
}

interface EstimateWarning { code: string, severity: string, message: string }

async function estimateCommand (session: Session, args: ParsedArgs, io: CliIo, format: Format, version: string): Promise<number> {
  noMorePositionals(args, 2, 'estimate')
  const report = reportOf('estimate', args)
  const model = await session.model(args.positionals[1])
  if (args.flags.has('help')) {
    io.stdout(modelHelp(model))
    return EXIT.ok
  }
  const request: CliRequest = { method: 'POST', path: model.path, body: JSON.stringify(await scenarioOf(args, model, io)) }
  return await answerWithGates({ session, args, io, format, report, request, subject: model, command: 'estimate', version })
}

interface GatedAnswer {
  session: Session
  args: ParsedArgs
  io: CliIo
  format: Format
  report: ReportFormat | undefined
  request: CliRequest
  /** What the gates' figure names and aliases are looked up in. */
  subject: CatalogueModel
  command: 'estimate' | 'calibrate'
  version: string
}

/**
 * The answer on stdout, or the --fail-on and --warn-on gates on its figures and warnings (and the
 * --output report): estimate and calibrate judge their answers alike.
 */
async function answerWithGates ({ session, args, io, format, report, request, subject, command, version }: GatedAnswer): Promise<number> {
  const failOn = args.lists.get('fail-on') ?? []
  const warnOn = args.lists.get('warn-on') ?? []
  if (failOn.length === 0 && warnOn.length === 0 && report === undefined) {
    await session.write(request, format)
    return EXIT.ok
  }
  const answer = await session.json<{ warnings: EstimateWarning[] }>(request)
  const figures = flattenFigures(answer)
  const judge = (option: GateOption) => (text: string): GateResult => estimateGate(text, option, figures, answer.warnings, subject)
  const results = [...failOn.map(judge('fail-on')), ...warnOn.map(judge('warn-on'))]
  if (report === undefined) await session.write(request, format, answer)
  return finishGates(io, { command, model: subject.name, ...scenarioFile(args.options.get('file')), toolVersion: version, results }, report)
}

/** One gate on an estimate; a gate that names no figure of the model is a usage error, never a pass. */
function estimateGate (text: string, option: GateOption, figures: Figures, warnings: readonly EstimateWarning[], model: CatalogueModel): GateResult {
  let gate: Gate
  try {
    gate = checkedGate(text, figures, model.aliases, model.name)
  } catch (error) { // a GateError: the only error checkedGate throws
    throw new UsageError(`--${option} ${(error as Error).message}`)
  }
  // the warnings behind a warning or severity gate, so a report says what tripped it
  const matched = gate.kind === 'figure' ? [] : warnings.filter((warning) => gate.kind === 'warning' ? warning.code === gate.code : warning.severity === gate.severity)
  return gateResult(gate, evaluateGate(gate, figures, warnings, model.aliases), option, matched.map((warning) => `${warning.code} (${warning.severity}): ${warning.message}`))
}

/** A scenario file a report can point at: a path, not standard input. */
const scenarioFile = (path: string | undefined): { scenarioFile?: string } => path === undefined || path === '-' ? {} : { scenarioFile: path }

/** The gates' verdicts on stderr (tripped ones), the report on stdout when asked, and the exit code. */
function finishGates (io: CliIo, run: GateRun, report: ReportFormat | undefined): number {
  if (report !== undefined) io.stdout(renderReport(report, run))
  for (const result of run.results.filter((candidate) => candidate.tripped)) io.stderr(gateLine(result))
  return runFailed(run) ? EXIT.gateFailed : EXIT.ok
}

async function tiersCommand (session: Session, args: ParsedArgs, format: Format): Promise<number> {
  noMorePositionals(args, 2, 'tiers')
  const name = args.positionals[1]
  await session.write({ method: 'GET', path: name === undefined ? '/tiers' : `/tiers/${encodeURIComponent(name)}` }, format)
  return EXIT.ok
}

interface ValidationFinding { id: string, severity: string, status: string, passed: boolean, path: string, found: string, expected: string, message: string, fix: string }
interface Validation { ok: boolean, strictOk: boolean, mode: string, summary: { errors: number }, findings: ValidationFinding[] }

/** A finding as a gate of the CI reports: an error fails the run, a warning warns, a pass passes. */
function findingResult (finding: ValidationFinding): GateResult {
  return {
    gate: `${finding.id} ${finding.path}`,
    option: finding.severity === 'error' ? 'fail-on' : 'warn-on',
    counts: false,
    subject: finding.path,
    value: null,
    found: finding.found,
    threshold: finding.expected,
    tripped: !finding.passed,
    details: finding.passed ? [] : [finding.message, ...(finding.fix === '' ? [] : [`fix:\n${finding.fix}`])]
  }
}

async function validateCommand (session: Session, args: ParsedArgs, io: CliIo, format: Format, version: string): Promise<number> {
  noMorePositionals(args, 3, 'validate')
  const [, system, file] = args.positionals
  if (system !== 'aeterna') throw new UsageError(`validate checks Aeterna values documents: sizing validate aeterna <values.yaml|->${system === undefined ? '' : ` (not "${system}")`}`)
  if (file === undefined) throw new UsageError('name the values file to validate, or - for standard input')
  const { text } = await readDocument(file, io)
  if (args.flags.has('strict') && args.flags.has('lenient')) throw new UsageError('--strict and --lenient exclude each other (strict is the default)')
  const lenient = args.flags.has('lenient')
  const report = reportOf('validate', args)
  const number = (option: string, field: string): string[] => {
    const value = args.inputs.find(([name]) => name === option)?.[1]
    return value === undefined ? [] : [`${field}=${parseNumber(value, `--${option}`)}`]
  }
  const parameters = [...number('memory-count', 'memoryCount'), ...number('nodes', 'nodes'), ...number('zones', 'zones'), ...(lenient ? ['mode=lenient'] : [])]
  const query = parameters.length === 0 ? '' : `?${parameters.join('&')}`
  const request: CliRequest = { method: 'POST', path: `/validate/aeterna${query}`, body: text, contentType: 'application/yaml' }
  const validation = await session.json<Validation>(request)
  const exitCode = !validation.ok ? EXIT.gateFailed : lenient && !validation.strictOk ? EXIT.lenientOnly : EXIT.ok
  if (report === undefined) await session.write(request, format, validation)
  else io.stdout(renderReport(report, { command: 'validate', model: `aeterna (${validation.mode})`, ...scenarioFile(file), toolVersion: version, exitCode, results: validation.findings.filter((f) => f.status !== 'not assessable').map(findingResult) }))
  if (exitCode === EXIT.gateFailed) io.stderr(`sizing: validation failed: ${validation.summary.errors} error finding(s)\n`)
  if (exitCode === EXIT.lenientOnly) io.stderr(`sizing: passed in lenient mode only: the strict HA gate fails (settings left out are errors there); exit ${EXIT.lenientOnly}\n`)
  return exitCode
}

type DiffVerdict = GateVerdict & { before: number | null }

async function diffCommand (session: Session, args: ParsedArgs, io: CliIo, format: Format, version: string): Promise<number> {
  noMorePositionals(args, 3, 'diff')
  const report = reportOf('diff', args)
  const [, beforePath, afterPath] = args.positionals
  if (beforePath === undefined || afterPath === undefined) throw new UsageError('name two scenario files: sizing diff <before> <after> --model <model>')
  if (beforePath === '-' && afterPath === '-') throw new UsageError('only one of the two scenarios can come from standard input')
  const before = await readScenario(beforePath, io)
  const after = await readScenario(afterPath, io)
  const name = args.options.get('model') ?? before.model ?? after.model
  if (before.model !== undefined && after.model !== undefined && before.model !== after.model && !args.options.has('model')) {
    throw new UsageError(`the files are scenarios of two models (${before.model}, ${after.model}): a diff compares one model`)
  }
  const model = name === undefined ? await session.modelOfFields([before.scenario, after.scenario]) : await session.model(name)
  const diffRequest = (gates: string[]): CliRequest => ({ method: 'POST', path: '/diff', body: JSON.stringify({ model: model.name, before: before.scenario, after: after.scenario, failOn: gates }) })
  const warnOn = args.lists.get('warn-on') ?? []
  // the answer is the service's diff of the --fail-on gates; --warn-on gates are a second request,
  // so they never enter the answer's gates or its failed flag
  const request = diffRequest(args.lists.get('fail-on') ?? [])
  const diff = await diffGates(session, request, 'fail-on')
  const warned = warnOn.length === 0 ? [] : (await diffGates(session, diffRequest(warnOn), 'warn-on')).gates
  if (report === undefined) await session.write(request, format, diff)
  const judged = (option: GateOption) => (verdict: DiffVerdict): GateResult => gateResult(parseGate(verdict.gate), verdict, option, [], verdict.before)
  const results = [...diff.gates.map(judged('fail-on')), ...warned.map(judged('warn-on'))]
  // the gates judge the after scenario
  return finishGates(io, { command: 'diff', model: model.name, ...scenarioFile(afterPath), toolVersion: version, results }, report)
}

/** A diff whose gate errors name the option they came from rather than the request's body/failOn/<i>. */
async function diffGates (session: Session, request: CliRequest, option: GateOption): Promise<{ gates: DiffVerdict[] }> {
  try {
    return await session.json<{ gates: DiffVerdict[] }>(request)
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/^body\/failOn\/\d+: /, `--${option} `))
    throw error
  }
}

async function sweepCommand (session: Session, args: ParsedArgs, io: CliIo, format: Format): Promise<number> {
  noMorePositionals(args, 2, 'sweep')
  const model = await session.model(args.positionals[1])
  const vary = (args.lists.get('vary') ?? []).map(parseVary)
  if (vary.length === 0) throw new UsageError('name one or two inputs to vary: --vary expectedNodes=1e5..1e8:31:log')
  const outputs = args.lists.get('output')
  const body = { model: model.name, scenario: await scenarioOf(args, model, io), vary, ...(outputs === undefined ? {} : { outputs }) }
  await session.write({ method: 'POST', path: '/sweep', body: JSON.stringify(body) }, format)
  return EXIT.ok
}

async function sensitivityCommand (session: Session, args: ParsedArgs, io: CliIo, format: Format): Promise<number> {
  noMorePositionals(args, 2, 'sensitivity')
  const model = await session.model(args.positionals[1])
  const outputs = args.lists.get('output')
  const inputs = args.lists.get('input')
  const delta = args.options.get('delta')
  const body = {
    model: model.name,
    scenario: await scenarioOf(args, model, io),
    ...(outputs === undefined ? {} : { outputs }),
    ...(inputs === undefined ? {} : { inputs }),
    ...(delta === undefined ? {} : { deltaPercent: parseNumber(delta, '--delta') })
  }
  await session.write({ method: 'POST', path: '/sensitivity', body: JSON.stringify(body) }, format)
  return EXIT.ok
}

/**
 * The Prometheus reads of `sizing calibrate --prometheus`, one budget as the service's own
 * (PROMETHEUS_TIMEOUT_MS, PROMETHEUS_MAX_BYTES, PROMETHEUS_MAX_POINTS) but for one person's
 * terminal: more time and points (2 million take about 500 MiB in all, measured), bytes to match.
 */
export const CLI_PROMETHEUS_LIMITS = { timeoutMs: 30_000, maxBytes: 256 * 1_048_576, maxPoints: 2_000_000 } as const

/**
 * The series of `--prometheus`, read here with the service's own code (fetchSeries: the same
 * metrics, selectors and step as the route) and returned in the body's inline form. Loaded only
 * by this command, so no other command pays for it.
 */
async function seriesFromPrometheus (system: 'engram' | 'aeterna', url: string, args: ParsedArgs): Promise<Record<string, unknown>> {
  const [{ ENGRAM_METRICS }, { AETERNA_METRICS }, { DEFAULT_WINDOW_SECONDS, parseWindow }, { PrometheusInputError, PrometheusQueryError }, { fetchSeries, inlineFormOf, parseEnd }, { parseMatchers }] = await Promise.all([
    import('../models/engram/calibrate.js'), import('../models/aeterna/calibrate.js'), import('../prometheus/client.js'), import('../prometheus/errors.js'), import('../prometheus/fetch-series.js'), import('../prometheus/matchers.js')
  ])
  const metrics = Object.values(system === 'engram' ? ENGRAM_METRICS : AETERNA_METRICS)
  try {
    new URL(url) // eslint-disable-line no-new
  } catch {
    throw new UsageError(`--prometheus "${url}" is not a URL`)
  }
  try {
    const match = args.options.get('match')
    const window = args.options.get('window')
    const fetched = await fetchSeries(url, metrics, match === undefined ? [] : parseMatchers(match, '--match'), {
      windowSeconds: window === undefined ? DEFAULT_WINDOW_SECONDS : parseWindow(window, '--window'),
      endSeconds: parseEnd(args.options.get('end'), '--end', Date.now() / 1000)
    }, CLI_PROMETHEUS_LIMITS)
    if (fetched.queries.every((query) => query.series === 0)) throw new UsageError(`no series in ${url} for ${metrics.join(', ')}${match === undefined ? '' : ` with ${match}`}: check --match, --window and --end`)
    return Object.fromEntries(metrics.map((metric) => [metric, inlineFormOf(fetched.series[metric])]))
  } catch (error) {
    // too many series or points: narrower --match or a shorter --window is the user's to choose
    if (error instanceof PrometheusInputError || (error instanceof PrometheusQueryError && error.statusCode === 422)) throw new UsageError(error.message)
    if (error instanceof PrometheusQueryError) throw new ServiceError(`Prometheus at ${url}: ${error.message}`)
    throw error
  }
}

async function calibrateCommand (session: Session, args: ParsedArgs, io: CliIo, format: Format, version: string): Promise<number> {
  noMorePositionals(args, 2, 'calibrate')
  const report = reportOf('calibrate', args)
  const system = args.positionals[1]
  if (system !== 'engram' && system !== 'aeterna') throw new UsageError(`calibrate reads the series of engram or aeterna: sizing calibrate engram --prometheus <url>${system === undefined ? '' : ` (not "${system}")`}`)
  const file = args.options.get('file')
  const body: Record<string, unknown> = file === undefined ? {} : (await readScenario(file, io)).scenario
  const prometheus = args.options.get('prometheus')
  if (prometheus !== undefined) {
    if (body.series !== undefined) throw new UsageError('--prometheus reads the series: the body file must not carry series too')
    body.series = await seriesFromPrometheus(system, prometheus, args)
  } else {
    // the service reads its own PROMETHEUS_URL with these (with --url); refused beside inline series
    for (const name of ['window', 'end', 'match']) {
      const value = args.options.get(name)
      if (value !== undefined) body[name] = value
    }
  }
  const request: CliRequest = { method: 'POST', path: `/calibrate/${system}`, body: JSON.stringify(body) }
  // the gates name the answer's figure paths (no aliases: a calibration is not in the catalogue)
  const subject: CatalogueModel = { name: system, path: `/calibrate/${system}`, summary: '', inputs: [], keyFigures: [], aliases: {}, tierFigures: [] }
  return await answerWithGates({ session, args, io, format, report, request, subject, command: 'calibrate', version })
}

async function runCommand (command: Command, session: Session, args: ParsedArgs, io: CliIo, version: string): Promise<number> {
  const format = formatOf(command, args)
  switch (command) {
    case 'models':
      noMorePositionals(args, 1, 'models')
      await session.write({ method: 'GET', path: '/estimates' }, format)
      return EXIT.ok
    case 'estimate': return await estimateCommand(session, args, io, format, version)
    case 'tiers': return await tiersCommand(session, args, format)
    case 'validate': return await validateCommand(session, args, io, format, version)
    case 'diff': return await diffCommand(session, args, io, format, version)
    case 'sweep': return await sweepCommand(session, args, io, format)
    case 'sensitivity': return await sensitivityCommand(session, args, io, format)
    case 'calibrate': return await calibrateCommand(session, args, io, format, version)
  }
}

/** The command to run, or the exit code when there is none to run (version, help). */
function prepare (words: readonly string[], io: CliIo, version: string): number | { command: Command, args: ParsedArgs } {
  const args = parseArgs(words)
  const [command] = args.positionals
  if (args.flags.has('version')) {
    io.stdout(`${version}\n`)
    return EXIT.ok
  }
  if (command === undefined || command === 'help') {
    const topic = args.positionals[1]
    if (topic !== undefined && isCommand(topic)) io.stdout(COMMAND_HELP[topic])
    else if (command === 'help' || args.flags.has('help')) io.stdout(GENERAL_HELP)
    else {
      io.stderr(GENERAL_HELP)
      return EXIT.usage
    }
    return topic === undefined || isCommand(topic) ? EXIT.ok : EXIT.usage
  }
  if (!isCommand(command)) throw new UsageError(`unknown command "${command}" (commands: ${Object.keys(FORMATS).join(', ')}; sizing help)`)
  checkOptions(command, args)
  if (args.flags.has('help') && !(command === 'estimate' && args.positionals[1] !== undefined)) {
    io.stdout(COMMAND_HELP[command])
    return EXIT.ok
  }
  return { command, args }
}

export async function runCli (words: readonly string[], io: CliIo, version: string): Promise<number> {
  try {
    const prepared = prepare(words, io, version)
    if (typeof prepared === 'number') return prepared
    const { command, args } = prepared
    const url = args.options.get('url') ?? io.env.SIZING_URL
    const token = args.options.get('token') ?? io.env.SIZING_API_TOKEN
    const transport = (io.transport ?? defaultTransport)(url, token)
    try {
      return await runCommand(command, new Session(transport, io), args, io, version)
    } finally {
      await transport.close()
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`sizing: ${error.message}\n`)
      return EXIT.usage
    }
    if (error instanceof ServiceError) {
      io.stderr(`sizing: ${error.message}\n`)
      return EXIT.service
    }
    io.stderr(`sizing: internal error: ${(error as Error).stack ?? String(error)}\n`)
    return EXIT.service
  }
}

function defaultTransport (url: string | undefined, token: string | undefined): Transport {
  return url === undefined || url === '' ? inProcessTransport() : remoteTransport(url, token)
}
