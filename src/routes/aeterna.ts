// The Aeterna catalogue (GET /tiers, /tiers/{name}), recommender (/estimate/aeterna), HA validator
// (POST /validate/aeterna) and HA requirements (GET /ha/aeterna): seeds 000 and 002.
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { NotAcceptableError, TierNotFoundError, TierNotHighlyAvailableError, ValuesDocumentError } from '../errors.js'
import { HA_ALERT_RULES, HA_CHECKLIST, type ValidationMode, layoutTypeError, validateAeterna } from '../models/aeterna/ha.js'
import { SMALL_NOT_HA, isHaTier, tierWithHa } from '../models/aeterna/overlay.js'
import { placements } from '../models/aeterna/topology.js'
import { type AeternaEstimate, type AeternaRequest, estimateAeterna, tierDocument } from '../models/aeterna/recommend.js'
import { TIERS, TIER_NAMES, type TierName, tierValues, tierValuesText } from '../models/aeterna/tiers.js'
import { type ChartLayoutName, chartLayoutInfo, layoutHeader, valuesInLayout } from '../models/aeterna/layouts.js'
import { stringify } from 'yaml'
import { renderReport } from '../models/report.js'
import { type FormatMenu, ESTIMATE_FORMATS, TEXT_REPORT, negotiateFormat, sendFormatted, type Format, formatsOf, mediaTypesOf, varyOn } from '../plugins/formats.js'
import { MAX_NESTING, nestedDeeperThan, registerYamlBodies } from '../plugins/yaml-body.js'
import { errorResponses, formatOnlyQuery, withFormatQuery } from '../schemas/common.js'
import { registerEstimateRoutes } from './estimate-routes.js'
import { AeternaQuerySchema, AeternaRequestSchema, TierNameParams, TierValuesQuerySchema, ValidateQuerySchema, ValuesDocumentSchema } from '../schemas/aeterna.js'

const renderAeterna = (estimate: AeternaEstimate): string => renderReport(`Aeterna Tier Recommendation: ${estimate.tier}`, estimate)
/** A tier's YAML is not the JSON document: it is the chart's values file, byte for byte the seed's. */
const TIER_FORMATS: FormatMenu = { json: '', yaml: 'The tier\'s Helm values file, values-<name>.yaml (with ?ha=true values-<name>-ha.yaml), as an attachment for helm install -f.', text: TEXT_REPORT }
/** The Aeterna routes read YAML bodies as well as JSON (plugins/yaml-body.ts). */
const BODY_MEDIA_TYPES = ['application/json', 'application/yaml']
const noWarnings = <T extends object>(document: T) => ({ ...document, warnings: [], assumptions: [] })

export async function aeternaRoutes (app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  registerYamlBodies(app)

  typed.get('/tiers', {
    config: { formats: ESTIMATE_FORMATS },
    schema: { tags: ['aeterna'], operationId: 'listAeternaTiers', summary: 'List the Aeterna sizing tiers', querystring: formatOnlyQuery(ESTIMATE_FORMATS), response: { 200: Type.Ref('TierList'), ...errorResponses } }
  }, async (request, reply) => {
    const tiers = TIER_NAMES.map((name) => ({ name, memoryCount: TIERS[name].memoryCount, useCase: TIERS[name].useCase, nodes: TIERS[name].infrastructure.nodes, href: `/tiers/${name}` }))
    return await sendFormatted(request, reply, { tiers }, (list) => renderReport('Aeterna Sizing Tiers', noWarnings(list)))
  })

  typed.get('/tiers/:name', {
    config: { formats: TIER_FORMATS },
    // the handler answers an unknown tier name with 404 and the valid names, not a 400
    attachValidation: true,
    schema: {
      tags: ['aeterna'],
      operationId: 'getAeternaTier',
      summary: 'One Aeterna tier, or its Helm values file',
      description: 'The whole tier as JSON; with Accept: application/yaml (or ?format=yaml) exactly the seed\'s values-<name>.yaml, as an attachment, for `helm install -f`. ' +
        'With ?ha=true the values merged with seed 002\'s HA settings, corrected where CloudNativePG, Qdrant or the scheduler would refuse them (values-<name>-ha.yaml; the JSON lists every change in haChanges, the cluster it needs in haCluster, each component\'s placement in placements); it passes strict validation. The small tier cannot be HA: 409. ' +
        'Every values file names its chart layout (chartLayout; the YAML\'s x-chart-layout header): ?layout=seed (default), or upstream-app / upstream-prereqs for today\'s kikokikok/aeterna charts, with what they cannot express in chartLayout.notExpressible.',
      params: TierNameParams,
      querystring: withFormatQuery(TierValuesQuerySchema, TIER_FORMATS),
      response: { 200: Type.Ref('Tier'), 409: Type.Ref('ErrorResponse', { description: 'The small tier cannot be highly available (?ha=true).' }), ...errorResponses }
    }
  }, async (request, reply) => {
    // the params schema's enum holds only tier names: past this check, name is one
    const { name } = request.params as { name: TierName }
    const invalid = request.validationError
    if (invalid !== undefined) throw invalid.validationContext === 'params' ? new TierNotFoundError(name, TIER_NAMES.join(', ')) : invalid
    const { format: asked, ha, layout = 'seed' } = request.query as { format?: Format, ha?: boolean, layout?: ChartLayoutName }
    const format = negotiateFormat(request.headers.accept, asked, formatsOf(TIER_FORMATS))
    if (format === undefined) throw new NotAcceptableError(String(request.headers.accept), mediaTypesOf(formatsOf(TIER_FORMATS)))
    varyOn(reply, 'Accept')
    if (ha === true && !isHaTier(name)) throw new TierNotHighlyAvailableError(SMALL_NOT_HA)
    const haTier = ha === true && isHaTier(name) ? tierWithHa(name) : undefined
    const seedValues = haTier?.values ?? tierValues(name)
    const inLayout = valuesInLayout(seedValues, layout)
    if (format === 'yaml') {
      const suffix = `${haTier === undefined ? '' : '-ha'}${layout === 'seed' ? '' : `-${layout}`}`
      // the seed's own file stays byte for byte; the header names its layout
      const text = layout === 'seed'
        ? (haTier === undefined ? tierValuesText(name) : `${haTier.text.replace(/\n(?!#)/, `\n${layoutHeader('seed')}\n`)}`)
        : `# values-${name}${suffix}.yaml: GET /tiers/${name}${haTier === undefined ? '' : '?ha=true'} for today's upstream chart (sizing-service).\n${layoutHeader(layout)}\n${stringify(inLayout.values, { version: '1.1' })}`
      return await reply.type('application/yaml; charset=utf-8').header('content-disposition', `attachment; filename=values-${name}${suffix}.yaml`).header('x-chart-layout', layout)
        .send(text)
    }
    const chartLayout = { ...chartLayoutInfo(layout), ...(layout === 'seed' ? {} : { notExpressible: inLayout.notExpressible }) }
    const base = { ...tierDocument(name), chartLayout, valuesFile: inLayout.values }
    const document = haTier === undefined ? base : { ...base, haChanges: haTier.changes, haCluster: haTier.cluster, placements: placements(haTier.values, haTier.cluster) }
    return await sendFormatted(request, reply, document, (tier) => renderReport(`Aeterna ${name} tier${haTier === undefined ? '' : ' (HA)'}`, tier))
  })

  registerEstimateRoutes(app, {
    model: 'aeterna',
    operationId: 'recommendAeternaTier',
    path: '/estimate/aeterna',
    tags: ['aeterna'],
    summary: 'Recommend an Aeterna tier',
    description: 'The tier a workload needs, each reason (the seed\'s scale-up triggers), storage from per-memory sizes, the tier\'s requests and limits against its cluster, and its values file.',
    body: AeternaRequestSchema,
    query: AeternaQuerySchema,
    response: { 200: Type.Ref('AeternaEstimate'), ...errorResponses },
    consumes: BODY_MEDIA_TYPES,
    compute: (input: AeternaRequest) => estimateAeterna(input),
    renderers: renderAeterna,
    figures: {
      key: ['storage.totalGiB', 'resources.requests.cpuCores', 'resources.requests.memoryGiB', 'tier'],
      aliases: { cores: 'resources.requests.cpuCores', memory: 'resources.requests.memoryGiB', storage: 'storage.totalGiB' },
      tiers: ['tier'],
      example: { memoryCount: 50_000 }
    }
  })

  typed.post('/validate/aeterna', {
    config: { formats: ESTIMATE_FORMATS },
    schema: {
      tags: ['aeterna'],
      operationId: 'validateAeternaValues',
      summary: 'Validate a values document against the HA requirements',
      description: 'Body: a Helm values document as YAML (application/yaml) or JSON. Every checklist item of seed 002 (pass, fail, absent, or not assessable from a values file) and the tier minimums of seed 000, each with the path, what was found, what is expected and a YAML fix; ok is false when an error-severity finding fails. ' +
        'Strict by default: a setting the document does not contain is an error, so ok means the file holds every HA setting a values file can show. ?mode=lenient (opt-in): absence is a warning (the chart default may supply it); the answer carries a notice and the strict verdict (strictOk). A wrong setting is an error in both; keys the chart does not read are reported. ' +
        'Replicas, disruption budgets and the HPA maximum are judged against a cluster: ?nodes and ?zones, by default the tier\'s HA plan (GET /tiers/{tier}?ha=true).',
      querystring: withFormatQuery(ValidateQuerySchema, ESTIMATE_FORMATS),
      consumes: BODY_MEDIA_TYPES,
      body: ValuesDocumentSchema,
      response: { 200: Type.Ref('HaValidation'), ...errorResponses }
    }
  }, async (request, reply) => {
    const { memoryCount, mode, nodes, zones, layout } = request.query as { memoryCount?: number, mode?: ValidationMode, nodes?: number, zones?: number, layout?: ChartLayoutName }
    // a JSON body is not depth-checked by the YAML parser: its models recurse
    if (nestedDeeperThan(request.body, MAX_NESTING)) throw new ValuesDocumentError(`body is nested deeper than ${MAX_NESTING} levels`)
    const shapeError = layout === undefined || layout === 'seed' ? layoutTypeError(request.body) : undefined
    if (shapeError !== undefined) throw new ValuesDocumentError(shapeError)
    const validation = validateAeterna(request.body as Record<string, unknown>, memoryCount, mode, { nodes, zones }, layout)
    return await sendFormatted(request, reply, validation, (result) => renderReport(`Aeterna HA validation: ${result.ok ? 'ok' : 'FAILED'}`, noWarnings(result)))
  })

  typed.get('/ha/aeterna', {
    config: { formats: ESTIMATE_FORMATS },
    schema: { tags: ['aeterna'], operationId: 'getAeternaHaRequirements', summary: 'The HA checklist and alert rules (seed 002)', querystring: formatOnlyQuery(ESTIMATE_FORMATS), response: { 200: Type.Ref('HaRequirements'), ...errorResponses } }
  }, async (request, reply) => await sendFormatted(request, reply, { checklist: HA_CHECKLIST, alerts: HA_ALERT_RULES }, (requirements) => renderReport('Aeterna HA requirements', noWarnings(requirements))))
}
