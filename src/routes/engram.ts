// POST /estimate/engram (JSON body) and GET /estimate/engram (same fields as query string).
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { type EngramInput, estimateEngram } from '../models/engram/capacity.js'
import { renderEngramReport } from '../models/engram/report.js'
import { ENGRAM_SECTIONS_KEY, ENGRAM_SECTIONS_SCHEMA, engramEstimateSerializer } from '../plugins/engram-serializer.js'
import { errorResponses } from '../schemas/common.js'
import { EngramQuerySchema, EngramRequestSchema } from '../schemas/engram.js'
import { registerEstimateRoutes } from './estimate-routes.js'

const description = 'Resource plan for an Engram deployment: tier node counts, CPU cores, memory (MiB), storage (GiB) ' +
  'and network (Mbit/s) by component, recommendations with the seed\'s headroom rounded up, warnings and assumptions. ' +
  'Reproduces seed 004\'s estimate_capacity.sh except for its documented defects (docs/deviations.md). ' +
  'Accept: application/yaml or text/plain (or ?format=yaml|text) for YAML or a terminal report.'

const response = { 200: Type.Ref('EngramEstimate'), ...errorResponses }

export async function engramRoutes (app: FastifyInstance): Promise<void> {
  const renderers = { text: renderEngramReport, json: engramEstimateSerializer(app.serializerFor(ENGRAM_SECTIONS_KEY, ENGRAM_SECTIONS_SCHEMA)) }
  registerEstimateRoutes(app, {
    model: 'engram',
    operationId: 'estimateEngram',
    path: '/estimate/engram',
    tags: ['engram'],
    summary: 'Estimate Engram capacity',
    description,
    body: EngramRequestSchema,
    query: EngramQuerySchema,
    response,
    compute: (input: Partial<EngramInput>) => estimateEngram(input),
    renderers,
    figures: {
      key: ['recommendations.cores', 'recommendations.totalCores', 'recommendations.memoryGiB', 'recommendations.storageGiB', 'cpu.totalCores', 'memory.totalMiB', 'storage.totalGiB', 'network.peakMbps'],
      aliases: { cores: 'recommendations.cores', memory: 'recommendations.memoryGiB', storage: 'recommendations.storageGiB', network: 'network.peakMbps', instances: 'recommendations.instances', throughput: 'throughput.layoutOpsPerSec' },
      tiers: ['recommendations.instances']
    }
  })
}
