// The Aeterna catalogue (GET /tiers, /tiers/{name}), recommender (/estimate/aeterna), HA validator
// (POST /validate/aeterna) and HA requirements (GET /ha/aeterna): seeds 000 and 002.
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { NotAcceptableError, TierNotFoundError } from '../errors.js'
import { HA_ALERT_RULES, HA_CHECKLIST, validateAeterna } from '../models/aeterna/ha.js'
import { type AeternaEstimate, type AeternaInput, estimateAeterna, tierDocument } from '../models/aeterna/recommend.js'
import { TIERS, TIER_NAMES, isTierName, tierValuesText } from '../models/aeterna/tiers.js'
import { renderReport } from '../models/report.js'
import { negotiateFormat, sendFormatted, type Format } from '../plugins/formats.js'
import { registerYamlBodies } from '../plugins/yaml-body.js'
import { errorResponses } from '../schemas/common.js'
import { registerEstimateRoutes } from './estimate-routes.js'
import { AeternaQuerySchema, AeternaRequestSchema, TierNameParams, TierQuerySchema, ValidateQuerySchema, ValuesDocumentSchema } from '../schemas/aeterna.js'

const renderAeterna = (estimate: AeternaEstimate): string => renderReport(`Aeterna Tier Recommendation: ${estimate.tier}`, estimate)
const noWarnings = <T extends object>(document: T) => ({ ...document, warnings: [], assumptions: [] })

export async function aeternaRoutes (app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  registerYamlBodies(app)

  typed.get('/tiers', {
    config: { formats: true },
    schema: { tags: ['aeterna'], summary: 'List the Aeterna sizing tiers', querystring: TierQuerySchema, response: { 200: Type.Ref('TierList'), ...errorResponses } }
  }, async (request, reply) => {
    const tiers = TIER_NAMES.map((name) => ({ name, memoryCount: TIERS[name].memoryCount, useCase: TIERS[name].useCase, nodes: TIERS[name].infrastructure.nodes, href: `/tiers/${name}` }))
    return await sendFormatted(request, reply, { tiers }, (list) => renderReport('Aeterna Sizing Tiers', noWarnings(list)))
  })

  typed.get('/tiers/:name', {
    config: { formats: true },
    schema: {
      tags: ['aeterna'],
      summary: 'One Aeterna tier, or its Helm values file',
      description: 'The whole tier as JSON; with Accept: application/yaml (or ?format=yaml) exactly the seed\'s values-<name>.yaml, as an attachment, for `helm install -f`.',
      params: TierNameParams,
      querystring: TierQuerySchema,
      response: { 200: Type.Ref('Tier'), ...errorResponses }
    }
  }, async (request, reply) => {
    const { name } = request.params
    if (!isTierName(name)) throw new TierNotFoundError(name, TIER_NAMES.join(', '))
    const format = negotiateFormat(request.headers.accept, (request.query as { format?: Format }).format)
    if (format === 'yaml') {
      return await reply.type('application/yaml; charset=utf-8').header('content-disposition', `attachment; filename=values-${name}.yaml`).send(tierValuesText(name))
    }
    if (format === undefined) throw new NotAcceptableError(String(request.headers.accept), 'application/json, application/yaml, text/plain')
    return await sendFormatted(request, reply, tierDocument(name), (tier) => renderReport(`Aeterna ${name} tier`, tier))
  })

  registerEstimateRoutes(app, {
    model: 'aeterna',
    path: '/estimate/aeterna',
    tags: ['aeterna'],
    summary: 'Recommend an Aeterna tier',
    description: 'The tier a workload needs, each reason (the seed\'s scale-up triggers), storage from per-memory sizes, the tier\'s requests and limits against its cluster, and its values file.',
    body: AeternaRequestSchema,
    query: AeternaQuerySchema,
    response: { 200: Type.Ref('AeternaEstimate'), ...errorResponses },
    compute: (input: AeternaInput) => estimateAeterna(input),
    renderers: renderAeterna,
    figures: {
      key: ['storage.totalGiB', 'resources.requests.cpuCores', 'resources.requests.memoryGiB', 'tier'],
      aliases: { cores: 'resources.requests.cpuCores', memory: 'resources.requests.memoryGiB', storage: 'storage.totalGiB' },
      tiers: ['tier'],
      example: { memoryCount: 50_000 }
    }
  })

  typed.post('/validate/aeterna', {
    config: { formats: true },
    schema: {
      tags: ['aeterna'],
      summary: 'Validate a values document against the HA requirements',
      description: 'Body: a Helm values document as YAML (application/yaml) or JSON. One finding per checklist item of seed 002 and the tier minimums of seed 000; ok is false when an error-severity finding fails. A setting the document does not contain is a warning (the chart default applies); a wrong setting is an error.',
      querystring: ValidateQuerySchema,
      body: ValuesDocumentSchema,
      response: { 200: Type.Ref('HaValidation'), ...errorResponses }
    }
  }, async (request, reply) => {
    const { memoryCount } = request.query as { memoryCount?: number }
    const validation = validateAeterna(request.body as Record<string, unknown>, memoryCount)
    return await sendFormatted(request, reply, validation, (result) => renderReport(`Aeterna HA validation: ${result.ok ? 'ok' : 'FAILED'}`, noWarnings(result)))
  })

  typed.get('/ha/aeterna', {
    config: { formats: true },
    schema: { tags: ['aeterna'], summary: 'The HA checklist and alert rules (seed 002)', querystring: TierQuerySchema, response: { 200: Type.Ref('HaRequirements'), ...errorResponses } }
  }, async (request, reply) => await sendFormatted(request, reply, { checklist: HA_CHECKLIST, alerts: HA_ALERT_RULES }, (requirements) => renderReport('Aeterna HA requirements', noWarnings(requirements))))
}
