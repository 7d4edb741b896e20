// Help text of the `sizing` command and of each of its commands.
import { kebabCase } from './args.js'

export type Command = 'models' | 'estimate' | 'tiers' | 'validate' | 'diff' | 'sweep' | 'sensitivity' | 'calibrate'

const GATE_OPTIONS = `  --fail-on <gate>      exit 1 when the gate holds; repeatable. A gate is <figure><op><number>
                        (op > >= < <= == !=), with a figure path (storage.totalGiB) or an alias
                        (cores, memory, storage, cost, ...: see sizing models),
                        warning:<CODE> (e.g. warning:HORIZONTAL_SCALING) or severity:<level>
  --warn-on <gate>      the same gates, reported (stderr, and as warnings in a report) without
                        changing the exit code; repeatable
  -o, --output <report> junit, sarif, markdown or github: a CI report of the gates on standard
                        output instead of the answer (not with --format); stderr and the exit
                        code stay as without it
`

const COMMON = `Options of every command:
  --format <f>      json (default), yaml or text; sweep also csv and svg
  --url <url>       ask a running sizing-service instead of computing here (env SIZING_URL)
  --token <token>   bearer token for --url when the service sets API_TOKEN (env SIZING_API_TOKEN)
  -h, --help        this text

Exit codes: 0 ok; 1 a gate failed (--fail-on, or a validation error finding; never --warn-on);
2 bad usage or input (the reason is on standard error); 3 the service failed or is unreachable;
4 validate --lenient passed but the strict HA gate fails.
`

export const GENERAL_HELP = `sizing: capacity plans from the Engram, MisterSmith and Aeterna sizing documents

Usage: sizing <command> [arguments] [options]

Commands:
  models                         the models and their inputs, figures and gate aliases
  estimate <model> [inputs]      one estimate: sizing estimate engram --expected-nodes 2e6
  tiers [name]                   Aeterna tiers; sizing tiers medium --format yaml > values.yaml
  validate aeterna <file|->      check a values document against the HA requirements
  diff <before> <after>          what changes between two scenarios, with gates
  sweep <model> --vary ...       a table (or CSV, or SVG chart) over one or two inputs
  sensitivity <model> [inputs]   which inputs drive each output (elasticities, tornado order)
  calibrate <engram|aeterna>     measured series against the model (--prometheus URL --window 7d)
  help [command]                 help for a command

${COMMON}
The models run in this process unless --url is given; the answers are the service's own.
`

export const COMMAND_HELP: Record<Command, string> = {
  models: `Usage: sizing models [--format json|yaml|text]

Lists every model (engram, aurora, mistersmith, aeterna, ...) with its path, input fields,
key figures, gate aliases and tier figures.

${COMMON}`,
  estimate: `Usage: sizing estimate <model> [--<input> <value> ...] [-f <scenario>|-] [--fail-on <gate> ...] [--warn-on <gate> ...] [-o <report>]

Runs one model. Inputs come from a JSON or YAML scenario file (-f, or -f - for standard input),
then from flags named after the fields in kebab case, which win: --expected-nodes 2e6
--ops-per-sec 5000. Lists and objects (Aurora tables) go in the file. "sizing estimate <model>
--help" lists a model's inputs.

  -f, --file <path|->   scenario: the model's request body, or { model, scenario }
${GATE_OPTIONS}
Examples:
  sizing estimate engram --expected-nodes 2e6 --format yaml
  sizing estimate aurora -f workload.yaml --fail-on 'cost>1500'
  sizing estimate engram --expected-nodes 1e9 --fail-on 'cores>32' --fail-on warning:HORIZONTAL_SCALING
  sizing estimate engram -f scenario.yaml --fail-on 'memory>32' --warn-on 'cores>4' --output junit > gates.xml

${COMMON}`,
  tiers: `Usage: sizing tiers [small|medium|large] [--format json|yaml|text]

Without a name, the tier list. With a name, the tier; with --format yaml exactly the seed's Helm
values file:  sizing tiers medium --format yaml > values.yaml

${COMMON}`,
  validate: `Usage: sizing validate aeterna <values.yaml|-> [--lenient] [--memory-count <n>] [--nodes <n>] [--zones <n>] [-o <report>]

Checks a Helm values document against every item of the HA checklist (seed 002), what
CloudNativePG, Qdrant and the scheduler accept, and the tier minimums (seed 000). Strict by
default, the HA gate: a setting the document leaves out is an error. Exit 0 when it passes,
1 when an error-severity finding fails.

  --lenient            opt-in: a setting left out is a warning (the chart's default may supply
                       it); exit 4 when the file passes only so, the strict gate failing
  --strict             the default, accepted for scripts that name it
  --memory-count <n>   check the resources against the tier for this many memories
  --nodes <n>          judge replicas, budgets and the HPA against this many nodes
  --zones <n>          ... spread over this many zones (default: the tier's HA plan)
  -o, --output <report> junit, sarif, markdown or github: the findings as a CI report (an error
                       finding fails, a warning warns) instead of the answer

${COMMON}`,
  diff: `Usage: sizing diff <before> <after> [--model <model>] [--fail-on <gate> ...] [--warn-on <gate> ...] [-o <report>]

Runs both scenarios (JSON or YAML files; one may be - for standard input) through one model and
shows every figure that changed (old, new, absolute and relative change), the warnings that
appeared or disappeared, and each gate's verdict on the after scenario. The model comes from
--model, from the files' { model, scenario } form, or from the fields they set when one model
alone has them all (expectedNodes: engram). Exit 1 when a --fail-on gate fails.

${GATE_OPTIONS}
Examples:
  sizing diff before.json after.json --model engram --fail-on 'cores>16' --format text
  sizing diff before.json after.json --model engram --warn-on 'memory>32' --output markdown >> "$GITHUB_STEP_SUMMARY"

${COMMON}`,
  sweep: `Usage: sizing sweep <model> --vary <input>=<from>..<to>[:<points>[:linear|log]] [--vary ...] [--output <figure> ...]

Runs the model over a grid of one or two inputs (at most 10,000 points) and tabulates the chosen
figures (default: the model's key figures), with where each warning first appears and where a
tier changes. The rest of the scenario comes from -f and input flags, as for estimate.

  --vary <spec>      input path, range, points (default 11) and steps (default linear)
  --output <figure>  a figure to tabulate; repeatable
  -f, --file <path>  the scenario the varied inputs replace fields of

Examples:
  sizing sweep engram --vary expectedNodes=1e5..1e9:41:log --format csv > nodes.csv
  sizing sweep aeterna --memory-count 1000 --vary memoryCount=100..1e6:50:log --output tier --format text
  sizing sweep engram --vary opsPerSec=1000..20000:20 --vary retentionDays=7..90:4 --format svg > wal.svg

${COMMON}`,
  sensitivity: `Usage: sizing sensitivity <model> [--<input> <value> ...] [--output <figure> ...] [--input <path> ...] [--delta <percent>]

Moves each numeric input down and up by --delta percent (default 10) with the others held, and
shows for each output the swing, the elasticity and the tornado order: which assumption drives
the answer.

  --output <figure>  an output to explain; repeatable (default: the model's key figures)
  --input <path>     only these inputs; repeatable (default: every numeric input)
  --delta <percent>  1 to 50

Example:
  sizing sensitivity engram --output storage.totalGiB --format text

${COMMON}`,
  calibrate: `Usage: sizing calibrate <engram|aeterna> [--prometheus <url>] [--window <d>] [--end <time>] [--match <matchers>] [-f <body>|-] [--fail-on <gate> ...] [--warn-on <gate> ...] [-o <report>]

Measured series against the model: observed peaks and averages, the model's error per resource
(seed 004's 15% criterion), the decision matrices' verdicts, right-sized resources, the days until
each threshold (engram); the tier's alert thresholds breached and the tier recommendation (aeterna).

  --prometheus <url>    read the series from this Prometheus here (one query_range per metric,
                        all within 30 s, 256 MiB and 2 million points; the step coarsened to fit)
                        and send them inline; without it the service reads its own
                        PROMETHEUS_URL (with --url), or the body's series
  --window <d>          how far back: 7d (default), 36h, 90m, 2w or seconds; 5m to 90d
  --end <time>          the window's end: unix seconds or RFC 3339 (2025-01-08T00:00:00Z); default now
  --match <matchers>    PromQL label matchers: '{job="engram",instance=~"engram-.*"}'
  -f, --file <path|->   the request body (JSON or YAML): workload, provisioned, horizonDays (engram);
                        tier, memoryCount, concurrentUsers (aeterna); or inline series
${GATE_OPTIONS}
Gates read the answer's figures (comparisons.1.relativeErrorPercent) and its warnings:
--fail-on warning:MODEL_OUTSIDE_CRITERION, --fail-on warning:ALERT_THRESHOLD_BREACHED.

Example:
  sizing calibrate engram --prometheus http://prometheus:9090 --window 7d --match '{job="engram"}' --format text

${COMMON}`
}

interface ModelDescription { name: string, path: string, summary: string, inputs: Array<{ name: string, type: string, description: string, required: boolean }>, aliases: Record<string, string> }

/** A model's inputs as flags, for "sizing estimate <model> --help". */
export function modelHelp (model: ModelDescription): string {
  const flags = model.inputs.map((input) => {
    const flag = `--${kebabCase(input.name)}`
    const kind = ['number', 'integer', 'string', 'boolean'].includes(input.type) ? input.type : `${input.type}, in a scenario file only`
    return `  ${flag} <${kind}>${input.required ? ' (required)' : ''}\n      ${input.description}`
  })
  const aliases = Object.entries(model.aliases).map(([alias, figure]) => `  ${alias} = ${figure}`)
  return [
    `Usage: sizing estimate ${model.name} [inputs] [-f <scenario>|-] [--fail-on <gate> ...] [--warn-on <gate> ...] [-o <report>]`,
    '',
    `${model.summary} (${model.path})`,
    '',
    'Inputs:',
    ...flags,
    '',
    'Gate aliases:',
    ...(aliases.length === 0 ? ['  (none: use figure paths, see sizing models)'] : aliases),
    ''
  ].join('\n')
}
