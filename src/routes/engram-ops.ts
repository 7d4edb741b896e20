// Engram operations (seed 004): scaling decisions, performance models, forecasts, presets and
// generated configuration.
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import createError from '@fastify/error'
import { estimateEngram, type EngramInput } from '../models/engram/capacity.js'
import { ENGRAM_DEFAULTS } from '../models/engram/constants.js'
import { type ForecastInput, type Provisioned, forecastEngram, nodesOn } from '../models/engram/forecast.js'
import { renderForecastSvg } from '../models/engram/forecast-chart.js'
import { ALERT_DEFAULTS, type AlertsInput, type EngramPlan, type HpaInput, alertRules, horizontalPodAutoscaler, perInstance, planHpa, toYaml } from '../models/engram/generate.js'
import { type PerformanceInput, predictPerformance } from '../models/engram/performance.js'
import { PRESETS, presetByName } from '../models/engram/presets.js'
import { type ScalingInput, decideScaling } from '../models/engram/scaling.js'
import { renderReport } from '../models/report.js'
import type { Assumption, Warning } from '../models/common.js'
import { type FormatMenu, TEXT_REPORT, YAML_DOCUMENT, sendFormatted } from '../plugins/formats.js'
import { errorResponses, formatOnlyQuery } from '../schemas/common.js'
import { AlertsRequestSchema, ForecastRequestSchema, HpaRequestSchema, PerformanceQuerySchema, PerformanceRequestSchema, PresetNameParams, ScalingQuerySchema, ScalingRequestSchema } from '../schemas/engram-ops.js'
import { registerEstimateRoutes } from './estimate-routes.js'

const PresetNotFoundError = createError<[string, string]>('PRESET_NOT_FOUND', 'Preset "%s" not found: valid presets are %s', 404)
const InvalidRangeError = createError<[string]>('FST_ERR_VALIDATION', '%s', 400)

const FORECAST_FORMATS: FormatMenu = { json: '', yaml: YAML_DOCUMENT, text: TEXT_REPORT, svg: 'A chart of nodes over the horizon with the threshold crossings.' }
const PRESET_FORMATS: FormatMenu = { json: '', yaml: YAML_DOCUMENT, text: TEXT_REPORT }
/** A generated file is its YAML by default; JSON gives the document beside the text, warnings and assumptions. */
const generatedFormats = (file: string): FormatMenu => ({ yaml: file, json: '', text: `${file} (the same bytes as text/plain).` })
const ALERTS_FORMATS = generatedFormats('The Prometheus rules file, for promtool and a rule_files entry.')
const HPA_FORMATS = generatedFormats('The HorizontalPodAutoscaler manifest, for kubectl apply.')

interface GeneratedFile { document: Record<string, unknown>, yaml: string, warnings: Warning[], assumptions: Assumption[] }

function generated (document: Record<string, unknown>, header: string[], warnings: Warning[], assumptions: Assumption[]): GeneratedFile {
  const comments = [...header, ...warnings.map((w) => `${w.code}: ${w.message}`)].map((line) => `# ${line}`).join('\n')
  return { document, yaml: `${comments}\n${toYaml(document)}`, warnings, assumptions }
}

/** A forecast request with a plan: its recommendations are provisioned, its inputs the workload. */
function forecastInput (body: Record<string, any>): ForecastInput {
  const plan = body.plan as { inputs?: Partial<EngramInput>, recommendations: Provisioned & { totalCores?: number } } | undefined
  // the forecast's own growth and horizon replace the plan's
  const { expectedNodes, dailyGrowthRate: _rate, horizonDays: _days, ...planWorkload } = plan?.inputs ?? {}
  const provisioned = body.provisioned ?? (plan === undefined ? undefined : { cores: plan.recommendations.totalCores ?? plan.recommendations.cores, memoryGiB: plan.recommendations.memoryGiB, storageGiB: plan.recommendations.storageGiB })
  return {
    currentNodes: body.currentNodes ?? expectedNodes ?? 1_000_000,
    // the schema's defaults have filled these in
    dailyGrowthRate: body.dailyGrowthRate,
    horizonDays: body.horizonDays,
    ...(body.observations === undefined ? {} : { observations: body.observations }),
    ...(provisioned === undefined ? {} : { provisioned }),
    workload: body.workload ?? planWorkload
  }
}

export async function engramOperationsRoutes (app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['engram-operations']

  registerEstimateRoutes(app, {
    model: 'engram-scaling',
    operationId: 'decideEngramScaling',
    path: '/scaling/engram',
    tags,
    summary: 'Apply the scaling decision matrices',
    description: 'The CPU and memory decision matrices and the storage triggers of seed 004 applied to observed metrics: row, urgency, implementation and the new size where the row gives one. Gaps and overlaps of the tables are resolved and said in `rule`.',
    body: ScalingRequestSchema,
    query: ScalingQuerySchema,
    response: { 200: Type.Ref('ScalingDecision'), ...errorResponses },
    compute: (input: ScalingInput) => decideScaling(input),
    renderers: (result) => renderReport('Engram Scaling Decision', result),
    figures: { key: ['cpu.row', 'memory.row'], tiers: ['cpu.action', 'memory.action', 'cpu.urgency'], aliases: { cpuRow: 'cpu.row', memoryRow: 'memory.row' }, example: { cpuUtilizationPercent: 85, currentCores: 8, memoryPressurePercent: 70, diskUtilizationPercent: 75, currentStorageGiB: 500 } }
  })

  registerEstimateRoutes(app, {
    model: 'engram-performance',
    operationId: 'predictEngramPerformance',
    path: '/models/engram',
    tags,
    summary: 'Performance prediction models and recovery time',
    description: 'Throughput by cores (and the cores for a target), memory latency by tier, storage throughput, and the recovery time of a data size beside the seed\'s RTO table.',
    body: PerformanceRequestSchema,
    query: PerformanceQuerySchema,
    response: { 200: Type.Ref('PerformanceModels'), ...errorResponses },
    compute: (input: Partial<PerformanceInput>) => predictPerformance(input),
    renderers: (result) => renderReport('Engram Performance Models', result),
    figures: {
      key: ['throughput.opsPerSec', 'coresForTarget.cores', 'storage.writeMBps', 'recovery.coldStartSeconds'],
      aliases: { cores: 'coresForTarget.cores', throughput: 'throughput.opsPerSec', coldStart: 'recovery.coldStartSeconds' },
      tiers: ['storage.writeLimit', 'storage.readLimit', 'coresForTarget.instances']
    }
  })

  typed.post('/forecast/engram', {
    config: { formats: FORECAST_FORMATS },
    schema: { tags, operationId: 'forecastEngram', summary: 'Forecast capacity and threshold crossings', description: 'Nodes and the capacity estimate at 30/60/90 days and the horizon (with the 30% safety margin), and the day CPU passes 70%, memory 80% and storage 70% of what is provisioned. Compound growth, or a linear fit of observed points. Accept: image/svg+xml (or ?format=svg) for a chart.', body: ForecastRequestSchema, querystring: formatOnlyQuery(FORECAST_FORMATS), response: { 200: Type.Ref('Forecast'), ...errorResponses } }
  }, async (request, reply) => {
    const body = request.body as Record<string, any>
    const input = forecastInput(body)
    const planned = body.plan?.inputs as Partial<EngramInput> | undefined
    const forecast = forecastEngram(input, body.plan === undefined || body.provisioned !== undefined ? undefined : { dailyGrowthRate: planned?.dailyGrowthRate ?? ENGRAM_DEFAULTS.dailyGrowthRate, horizonDays: planned?.horizonDays ?? ENGRAM_DEFAULTS.horizonDays })
    return await sendFormatted(request, reply, forecast, {
      text: (result) => renderReport('Engram Capacity Forecast', result),
      svg: (result) => renderForecastSvg(result, nodesOn(input))
    })
  })

  typed.get('/presets/engram', {
    config: { formats: PRESET_FORMATS },
    schema: { tags, operationId: 'listEngramPresets', summary: 'Workload profiles and use cases', querystring: formatOnlyQuery(PRESET_FORMATS), response: { 200: Type.Ref('PresetList'), ...errorResponses } }
  }, async (request, reply) => {
    const presets = PRESETS.map((preset) => ({ ...preset, href: `/presets/engram/${preset.name}` }))
    return await sendFormatted(request, reply, { presets }, (list) => renderReport('Engram Presets', { ...list, warnings: [], assumptions: [] }))
  })
  typed.get('/presets/engram/:name', {
    config: { formats: PRESET_FORMATS },
    schema: { tags, operationId: 'getEngramPreset', summary: 'A preset with its estimate and the seed\'s figures', params: PresetNameParams, querystring: formatOnlyQuery(PRESET_FORMATS), response: { 200: Type.Ref('Preset'), ...errorResponses } }
  }, async (request, reply) => {
    const preset = presetByName(request.params.name)
    if (preset === undefined) throw new PresetNotFoundError(request.params.name, PRESETS.map((p) => p.name).join(', '))
    const estimate = estimateEngram(preset.inputs)
    return await sendFormatted(request, reply, { ...preset, estimate, warnings: estimate.warnings, assumptions: [] }, (result) => renderReport(`Engram preset: ${preset.title}`, result))
  })

  const generatedResponse = { 200: Type.Ref('Generated'), ...errorResponses }
  typed.post('/generate/engram/alerts', {
    config: { formats: ALERTS_FORMATS },
    schema: { tags, operationId: 'generateEngramAlertRules', summary: 'Prometheus rules for the seed\'s scaling alerts', description: 'A rules file (YAML by default) for Prometheus, checked with promtool: the seed\'s ScaleUpCPURequired, ScaleUpMemoryRequired and ScaleUpStorageRequired with thresholds and limits from the request or a plan. Accept: application/json for { document, yaml, warnings }.', body: AlertsRequestSchema, querystring: formatOnlyQuery(ALERTS_FORMATS), response: generatedResponse }
  }, async (request, reply) => {
    const { plan, ...fields } = request.body as Partial<AlertsInput> & { plan?: EngramPlan }
    // Engram's memory and storage series are per pod: the limits are one instance's, not the plan's totals
    const share = plan === undefined ? undefined : perInstance(plan)
    const input: AlertsInput = { ...ALERT_DEFAULTS, ...(share === undefined ? {} : { memoryLimitGiB: share.memoryGiB, storageLimitGiB: share.storageGiB }), ...fields }
    const warnings: Warning[] = [{ code: 'SEED_INCONSISTENCY', severity: 'info', message: 'ScaleUpCPURequired uses rate() on engram_spreading_queue_depth, a gauge; deriv() measures a growing queue. Kept as the seed writes it.' }]
    if (input.memoryLimitGiB === undefined || input.storageLimitGiB === undefined) {
      warnings.push({ code: 'LIMIT_METRICS_REQUIRED', severity: 'warning', message: 'Without a plan or limits, the rules divide by engram_memory_limit_bytes and engram_storage_limit_bytes, which Engram must export.' })
    }
    const assumptions: Assumption[] = []
    if (share !== undefined) {
      const used = (name: 'memoryLimitGiB' | 'storageLimitGiB', figure: Assumption): Assumption => fields[name] === undefined ? { ...figure, name } : { name, value: fields[name], unit: 'GiB', source: 'request' }
      assumptions.push(used('memoryLimitGiB', share.assumptions[0]), used('storageLimitGiB', share.assumptions[1]))
      warnings.push(...share.warnings)
    }
    const header = ['Prometheus rules generated by sizing-service from seed 004, Scaling Alert Rules.', ...assumptions.map((a) => `${a.name} ${Number(a.value.toPrecision(6))} GiB per pod: ${a.source}.`)]
    const file = generated(alertRules(input), header, warnings, assumptions)
    return await sendFormatted(request, reply, file, { yaml: (result) => result.yaml, text: (result) => result.yaml })
  })

  typed.post('/generate/engram/hpa', {
    config: { formats: HPA_FORMATS },
    schema: { tags, operationId: 'generateEngramHpa', summary: 'The seed\'s HorizontalPodAutoscaler', description: 'An autoscaling/v2 HorizontalPodAutoscaler (YAML by default) with replicas, targets and behaviour from the request; the defaults are the seed\'s.', body: HpaRequestSchema, querystring: formatOnlyQuery(HPA_FORMATS), response: generatedResponse }
  }, async (request, reply) => {
    const { plan, ...fields } = request.body as Partial<HpaInput> & { plan?: EngramPlan }
    const { input, header, warnings, assumptions } = planHpa(fields, plan)
    if (input.maxReplicas < input.minReplicas) throw new InvalidRangeError(`body/maxReplicas must be >= minReplicas (${input.maxReplicas} < ${input.minReplicas})`)
    const file = generated(horizontalPodAutoscaler(input), ['HorizontalPodAutoscaler generated by sizing-service from seed 004, Kubernetes HPA Configuration.', ...header], warnings, assumptions)
    return await sendFormatted(request, reply, file, { yaml: (result) => result.yaml, text: (result) => result.yaml })
  })
}
