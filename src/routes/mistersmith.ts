// POST/GET /estimate/aurora (seed 001) and POST/GET /estimate/mistersmith (seed 003).
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { type AuroraInput, type AuroraEstimate, estimateAurora } from '../models/mistersmith/aurora.js'
import type { Stated } from '../models/mistersmith/deployment.js'
import { type ServicesEstimate, type ServicesInput, estimateServices } from '../models/mistersmith/services.js'
import { renderReport } from '../models/report.js'
import { errorResponses } from '../schemas/common.js'
import { AuroraQuerySchema, AuroraRequestSchema, ServicesQuerySchema, ServicesRequestSchema } from '../schemas/mistersmith.js'
import { registerEstimateRoutes } from './estimate-routes.js'

const auroraDescription = 'Aurora Serverless v2 plan for MisterSmith (seed 001, with seed 003\'s figures), derived from the workload: ' +
  'the deployment (the same function as /estimate/mistersmith: supervisor, worker and gateway instances times their pools), ' +
  'data volume per table, the seed\'s storage growth function beside the retention-aware projection, peak ACUs by connections, memory ' +
  'and I/O, RDS Proxy multiplexing, IOPS, monthly cost at the usage profile\'s average ACU and the projected storage, commitments, ' +
  'backup and recovery objectives, and every seed contradiction or real-world difference the figures touch as a warning. ' +
  'A request stating seed 001\'s own assumptions (connectionPools, averageAcu 12, storageGB 500) reproduces its $1,261.70. ' +
  'GET takes the scalar fields only; tables, pools and the usage profile need POST.'
const servicesDescription = 'ECS Fargate plan for MisterSmith (seed 003): the deployment and its database pools (the same function as ' +
  '/estimate/aurora), supervisor task by agent count, worker tasks with the packing that provisions least, gateway by concurrent ' +
  'connections, Amazon MQ broker sized by throughput, connections and retained storage, or EventBridge, autoscaling policies, ' +
  'network bandwidth and baselines. Every task is a valid Fargate CPU/memory combination.'

const renderAurora = (estimate: AuroraEstimate): string => renderReport('MisterSmith Aurora Serverless v2 Estimate', estimate)
const renderServices = (estimate: ServicesEstimate): string => renderReport('MisterSmith ECS Services Estimate', estimate)

export async function misterSmithRoutes (app: FastifyInstance): Promise<void> {
  registerEstimateRoutes(app, {
    model: 'aurora',
    operationId: 'estimateAurora',
    path: '/estimate/aurora',
    tags: ['mistersmith'],
    summary: 'Estimate Aurora Serverless v2',
    description: auroraDescription,
    body: AuroraRequestSchema,
    query: AuroraQuerySchema,
    response: { 200: Type.Ref('AuroraEstimate'), ...errorResponses },
    compute: (input: Stated<AuroraInput>) => estimateAurora(input),
    renderers: renderAurora,
    figures: {
      key: ['cost.totalUsdPerMonth', 'capacity.requiredAcu', 'capacity.totalConnections', 'recommendations.storageGB', 'iops.totalIops'],
      aliases: { cost: 'cost.totalUsdPerMonth', acu: 'capacity.requiredAcu', storage: 'recommendations.storageGB', iops: 'iops.totalIops', connections: 'capacity.totalConnections', maxAcu: 'recommendations.maxAcu' },
      tiers: ['storageGrowth.recommendation.basis', 'capacity.bindingNeed', 'capacity.fittingEnvironment']
    }
  })
  registerEstimateRoutes(app, {
    model: 'mistersmith',
    operationId: 'estimateMisterSmithServices',
    path: '/estimate/mistersmith',
    tags: ['mistersmith'],
    summary: 'Estimate MisterSmith ECS services',
    description: servicesDescription,
    body: ServicesRequestSchema,
    query: ServicesQuerySchema,
    response: { 200: Type.Ref('ServicesEstimate'), ...errorResponses },
    compute: (input: Stated<ServicesInput>) => estimateServices(input),
    renderers: renderServices,
    figures: {
      key: ['worker.tasks', 'worker.provisionedVCpu', 'worker.provisionedMemoryGiB', 'gateway.autoscaled.tasks', 'deployment.totalConnections', 'broker.amazonMq.storageGB', 'network.monthlyGB'],
      aliases: { tasks: 'worker.tasks', vcpu: 'worker.provisionedVCpu', memory: 'worker.provisionedMemoryGiB', gateways: 'gateway.autoscaled.tasks', connections: 'deployment.totalConnections' },
      tiers: ['supervisor.scale', 'broker.amazonMq.tier']
    }
  })
}
