// POST/GET /estimate/aurora (seed 001) and POST/GET /estimate/mistersmith (seed 003).
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { type AuroraInput, type AuroraEstimate, estimateAurora } from '../models/mistersmith/aurora.js'
import { type ServicesEstimate, type ServicesInput, estimateServices } from '../models/mistersmith/services.js'
import { renderReport } from '../models/report.js'
import { sendFormatted } from '../plugins/formats.js'
import { errorResponses } from '../schemas/common.js'
import { FormatOnlyQuerySchema } from '../schemas/engram.js'
import { AuroraQuerySchema, AuroraRequestSchema, ServicesQuerySchema, ServicesRequestSchema } from '../schemas/mistersmith.js'

const auroraDescription = 'Aurora Serverless v2 plan for MisterSmith (seed 001, with seed 003\'s figures): data volume per table, ' +
  'the seed\'s storage growth function beside the retention-aware projection, ACUs by connections and memory, IOPS, monthly cost ' +
  'with commitments, backup and recovery objectives, and every seed contradiction the figures touch as a SEED_INCONSISTENCY warning. ' +
  'GET takes the scalar fields only; tables and connection pools need POST.'
const servicesDescription = 'ECS Fargate plan for MisterSmith (seed 003): supervisor task by agent count, worker totals and tasks, ' +
  'gateway by concurrent connections, Amazon MQ broker or EventBridge, autoscaling policies, network bandwidth and baselines. ' +
  'Every task is a valid Fargate CPU/memory combination.'

const renderAurora = (estimate: AuroraEstimate): string => renderReport('MisterSmith Aurora Serverless v2 Estimate', estimate)
const renderServices = (estimate: ServicesEstimate): string => renderReport('MisterSmith ECS Services Estimate', estimate)

export async function misterSmithRoutes (app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  const auroraResponse = { 200: Type.Ref('AuroraEstimate'), ...errorResponses }
  const servicesResponse = { 200: Type.Ref('ServicesEstimate'), ...errorResponses }

  typed.post('/estimate/aurora', {
    config: { formats: true },
    schema: { tags: ['mistersmith'], summary: 'Estimate Aurora Serverless v2', description: auroraDescription, body: AuroraRequestSchema, querystring: FormatOnlyQuerySchema, response: auroraResponse }
  }, async (request, reply) => await sendFormatted(request, reply, estimateAurora(request.body as Partial<AuroraInput>), renderAurora))

  typed.get('/estimate/aurora', {
    config: { formats: true },
    schema: { tags: ['mistersmith'], summary: 'Estimate Aurora Serverless v2 (query string)', description: auroraDescription, querystring: AuroraQuerySchema, response: auroraResponse }
  }, async (request, reply) => {
    const { format: _format, ...fields } = request.query
    return await sendFormatted(request, reply, estimateAurora(fields as Partial<AuroraInput>), renderAurora)
  })

  typed.post('/estimate/mistersmith', {
    config: { formats: true },
    schema: { tags: ['mistersmith'], summary: 'Estimate MisterSmith ECS services', description: servicesDescription, body: ServicesRequestSchema, querystring: FormatOnlyQuerySchema, response: servicesResponse }
  }, async (request, reply) => await sendFormatted(request, reply, estimateServices(request.body as Partial<ServicesInput>), renderServices))

  typed.get('/estimate/mistersmith', {
    config: { formats: true },
    schema: { tags: ['mistersmith'], summary: 'Estimate MisterSmith ECS services (query string)', description: servicesDescription, querystring: ServicesQuerySchema, response: servicesResponse }
  }, async (request, reply) => {
    const { format: _format, ...fields } = request.query
    return await sendFormatted(request, reply, estimateServices(fields as Partial<ServicesInput>), renderServices)
  })
}
