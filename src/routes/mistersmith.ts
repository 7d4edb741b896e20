// POST/GET /estimate/aurora (seed 001) and POST/GET /estimate/mistersmith (seed 003).
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { type AuroraInput, type AuroraEstimate, estimateAurora } from '../models/mistersmith/aurora.js'
import { type ServicesEstimate, type ServicesInput, estimateServices } from '../models/mistersmith/services.js'
import { renderReport } from '../models/report.js'
import { errorResponses } from '../schemas/common.js'
import { AuroraQuerySchema, AuroraRequestSchema, ServicesQuerySchema, ServicesRequestSchema } from '../schemas/mistersmith.js'
import { registerEstimateRoutes } from './estimate-routes.js'

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
  registerEstimateRoutes(app, {
    model: 'aurora',
    path: '/estimate/aurora',
    tags: ['mistersmith'],
    summary: 'Estimate Aurora Serverless v2',
    description: auroraDescription,
    body: AuroraRequestSchema,
    query: AuroraQuerySchema,
    response: { 200: Type.Ref('AuroraEstimate'), ...errorResponses },
    compute: (input: Partial<AuroraInput>) => estimateAurora(input),
    renderers: renderAurora,
    figures: {
      key: ['cost.totalUsdPerMonth', 'capacity.requiredAcu', 'recommendations.storageGB', 'iops.totalIops'],
      aliases: { cost: 'cost.totalUsdPerMonth', acu: 'capacity.requiredAcu', storage: 'recommendations.storageGB', iops: 'iops.totalIops', connections: 'capacity.totalConnections' },
      tiers: ['storageGrowth.recommendation.basis']
    }
  })
  registerEstimateRoutes(app, {
    model: 'mistersmith',
    path: '/estimate/mistersmith',
    tags: ['mistersmith'],
    summary: 'Estimate MisterSmith ECS services',
    description: servicesDescription,
    body: ServicesRequestSchema,
    query: ServicesQuerySchema,
    response: { 200: Type.Ref('ServicesEstimate'), ...errorResponses },
    compute: (input: Partial<ServicesInput>) => estimateServices(input),
    renderers: renderServices,
    figures: {
      key: ['worker.tasks', 'worker.provisionedVCpu', 'worker.provisionedMemoryGiB', 'gateway.autoscaled.tasks', 'network.monthlyGB'],
      aliases: { tasks: 'worker.tasks', vcpu: 'worker.provisionedVCpu', memory: 'worker.provisionedMemoryGiB', gateways: 'gateway.autoscaled.tasks' },
      tiers: ['supervisor.scale', 'broker.amazonMq.tier']
    }
  })
}
