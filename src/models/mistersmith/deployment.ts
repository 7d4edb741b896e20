// One MisterSmith deployment (seeds 001 and 003): the service instances a workload runs (supervisor,
// worker tasks, gateway tasks) and the database connection pools they open. /estimate/mistersmith
// and /estimate/aurora both call deploymentPlan, so the two answers carry the same numbers.
import { type Warning, ceilClean, decimalClean, formatNumber } from '../common.js'
import * as C from './constants.js'
import { FARGATE_MAX, type FargateTask, fargateTask } from './fargate.js'

export interface PoolSizes { supervisor: number, worker: number, gateway: number }

export interface WorkloadInput {
  agents: number
  environment: C.Environment
  workerProfile: C.WorkerProfile
  /** agents packed into one worker task; default: the profile's agents per 8 vCPU / 16 GB task */
  agentsPerWorkerTask: number
  /** concurrent SSE/WebSocket connections to the gateway; default: one per agent */
  concurrentConnections: number
  supervisorInstances: number
  gatewayMinTasks: number
  poolMaxConnections: PoolSizes
}

/** What a request states: any field, and any of the three pool sizes. */
export type Stated<T extends { poolMaxConnections: PoolSizes }> = Partial<Omit<T, 'poolMaxConnections'>> & { poolMaxConnections?: Partial<PoolSizes> }

export const WORKLOAD_DEFAULTS = {
  agents: 1000, // seed 003: worker scale 1-1000 agents; seed 001's 1,000-agent examples
  environment: 'production' as C.Environment,
  workerProfile: 'standard' as C.WorkerProfile // seed 003: "Recommended: 0.5 vCPU, 1 GB per agent"
}

/** seed 001, Per-Service Connection Requirements: max_connections per service instance. */
export const SEED_POOL_MAX_CONNECTIONS: PoolSizes = { supervisor: 20, worker: 10, gateway: 30 }

/**
 * Instances per environment. Production: seed 001's supervisor primary + standby and seed 003's
 * gateway autoscaling minimum of 2. Staging mirrors production. Development runs one of each: the seed
 * sizes it at 0.5-2 ACU (60 connections at 30 per ACU), and two supervisors and two gateways would
 * open 40 + 10 + 60 = 110.
 */
export const ENVIRONMENT_INSTANCES: Record<C.Environment, { supervisorInstances: number, gatewayMinTasks: number }> = {
  development: { supervisorInstances: 1, gatewayMinTasks: 1 },
  staging: { supervisorInstances: 2, gatewayMinTasks: 2 },
  production: { supervisorInstances: 2, gatewayMinTasks: 2 }
}

/** The default packing: as many agents as fill an 8 vCPU / 16 GB Fargate task exactly (standard: 16). */
export const DEFAULT_TASK = { vCpu: 8, memoryGiB: 16 }
export function defaultAgentsPerWorkerTask (profile: C.WorkerProfile): number {
  const perAgent = C.WORKER_PROFILES[profile]
  return Math.min(DEFAULT_TASK.vCpu / perAgent.vCpu, DEFAULT_TASK.memoryGiB / perAgent.memoryGiB)
}

/** The most agents of a profile one Fargate task holds (16 vCPU, 120 GB). */
export function maxAgentsPerTask (profile: C.WorkerProfile): number {
  const perAgent = C.WORKER_PROFILES[profile]
  return Math.floor(Math.min(FARGATE_MAX.vCpu / perAgent.vCpu, FARGATE_MAX.memoryGiB / perAgent.memoryGiB))
}

export function resolveWorkload (partial: Stated<WorkloadInput>): WorkloadInput {
  const agents = partial.agents ?? WORKLOAD_DEFAULTS.agents
  const environment = partial.environment ?? WORKLOAD_DEFAULTS.environment
  const workerProfile = partial.workerProfile ?? WORKLOAD_DEFAULTS.workerProfile
  return {
    agents,
    environment,
    workerProfile,
    agentsPerWorkerTask: partial.agentsPerWorkerTask ?? defaultAgentsPerWorkerTask(workerProfile),
    concurrentConnections: partial.concurrentConnections ?? agents,
    supervisorInstances: partial.supervisorInstances ?? ENVIRONMENT_INSTANCES[environment].supervisorInstances,
    gatewayMinTasks: partial.gatewayMinTasks ?? ENVIRONMENT_INSTANCES[environment].gatewayMinTasks,
    poolMaxConnections: { ...SEED_POOL_MAX_CONNECTIONS, ...partial.poolMaxConnections }
  }
}

export interface WorkerPacking {
  agentsPerTask: number
  tasks: number
  task: FargateTask
  provisionedVCpu: number
  provisionedMemoryGiB: number
}

/** Worker tasks of `agentsPerTask` agents each, every task sized for min(agents, agentsPerTask) and rounded to Fargate. */
export function workerPacking (agents: number, profile: C.WorkerProfile, agentsPerTask: number): WorkerPacking {
  const perAgent = C.WORKER_PROFILES[profile]
  const agentsInTask = Math.max(1, Math.min(agents, agentsPerTask))
  const task = fargateTask(decimalClean(agentsInTask * perAgent.vCpu), decimalClean(agentsInTask * perAgent.memoryGiB)) as FargateTask
  const tasks = Math.ceil(agents / agentsPerTask)
  return { agentsPerTask, tasks, task, provisionedVCpu: decimalClean(tasks * task.vCpu), provisionedMemoryGiB: decimalClean(tasks * task.memoryGiB) }
}

/**
 * The packing that provisions the least vCPU, then the least memory, then the fewest tasks, after
 * Fargate rounding, within the worker autoscaling maximum (seed 003: 100 tasks). Where no packing
 * keeps within it, the fullest task is advised with the maximum it needs.
 */
export function packingAdvice (agents: number, profile: C.WorkerProfile): WorkerPacking & { withinAutoscalingMax: boolean } {
  const maxTasks = C.ECS_AUTOSCALING[1].maxTasks
  const largest = maxAgentsPerTask(profile)
  const withinMax = Math.max(1, Math.ceil(agents / maxTasks))
  // where no task holds enough agents to stay within the maximum, the least provisioned of all packings
  const smallest = withinMax > largest ? 1 : withinMax
  let best = workerPacking(agents, profile, smallest)
  for (let agentsPerTask = smallest + 1; agentsPerTask <= largest; agentsPerTask++) {
    const candidate = workerPacking(agents, profile, agentsPerTask)
    const better = candidate.provisionedVCpu < best.provisionedVCpu ||
      (candidate.provisionedVCpu === best.provisionedVCpu && (candidate.provisionedMemoryGiB < best.provisionedMemoryGiB ||
        (candidate.provisionedMemoryGiB === best.provisionedMemoryGiB && candidate.tasks < best.tasks)))
    if (better) best = candidate
  }
  return { ...best, withinAutoscalingMax: best.tasks <= maxTasks }
}

export interface PoolConnections { name: string, instances: number, maxConnections: number, connections: number }

export interface DeploymentPlan {
  source: 'services model' | 'request'
  environment: C.Environment
  agents: number
  supervisorInstances: number
  worker: WorkerPacking & { profile: C.WorkerProfile }
  gateway: { connections: number, tasks: number, minTasks: number }
  connectionPools: PoolConnections[]
  totalConnections: number
}

/** Gateway tasks under seed 003's policy: 800 connections a task, never below the minimum. */
export function gatewayTasks (connections: number, minTasks: number): number {
  return Math.max(minTasks, ceilClean(connections / C.GATEWAY_TARGET_CONNECTIONS_PER_TASK))
}

/** seed 001's pools (max_connections per instance) times the instances the services model runs. */
export function poolsOf (instances: PoolSizes, poolMaxConnections: PoolSizes): PoolConnections[] {
  return (['supervisor', 'worker', 'gateway'] as const).map((name) => ({
    name,
    instances: instances[name],
    maxConnections: poolMaxConnections[name],
    connections: instances[name] * poolMaxConnections[name]
  }))
}

/**
 * The deployment a workload runs. Where the request states its pools (`connectionPools`), those are
 * the database's pools and the services model's instance counts are still reported beside them.
 */
export function deploymentPlan (workload: WorkloadInput, statedPools?: C.ConnectionPool[]): DeploymentPlan {
  const agentsPerTask = Math.min(workload.agentsPerWorkerTask, maxAgentsPerTask(workload.workerProfile))
  const worker = { profile: workload.workerProfile, ...workerPacking(workload.agents, workload.workerProfile, agentsPerTask) }
  const gateway = { connections: workload.concurrentConnections, tasks: gatewayTasks(workload.concurrentConnections, workload.gatewayMinTasks), minTasks: workload.gatewayMinTasks }
  const connectionPools = statedPools === undefined
    ? poolsOf({ supervisor: workload.supervisorInstances, worker: worker.tasks, gateway: gateway.tasks }, workload.poolMaxConnections)
    : statedPools.map((pool) => ({ name: pool.name, instances: pool.instances, maxConnections: pool.maxConnections, connections: pool.instances * pool.maxConnections }))
  return {
    source: statedPools === undefined ? 'services model' : 'request',
    environment: workload.environment,
    agents: workload.agents,
    supervisorInstances: workload.supervisorInstances,
    worker,
    gateway,
    connectionPools,
    totalConnections: connectionPools.reduce((total, pool) => total + pool.connections, 0)
  }
}

/** Warnings about the deployment itself, said by both endpoints. */
export function deploymentWarnings (workload: WorkloadInput, plan: DeploymentPlan): Warning[] {
  const warnings: Warning[] = []
  const fmt = (value: number): string => formatNumber(value)
  const largest = maxAgentsPerTask(workload.workerProfile)
  if (workload.agentsPerWorkerTask > largest) {
    warnings.push({ code: 'WORKER_TASK_TOO_LARGE', severity: 'warning', message: `${workload.agentsPerWorkerTask} ${workload.workerProfile} agents do not fit one Fargate task (16 vCPU, 120 GB at most); ${largest} per task are used.` })
  }
  const maxTasks = C.ECS_AUTOSCALING[1].maxTasks
  if (plan.worker.tasks > maxTasks) {
    const advice = packingAdvice(workload.agents, workload.workerProfile)
    warnings.push({
      code: 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX',
      severity: 'warning',
      message: `${fmt(plan.worker.tasks)} worker tasks exceed the worker autoscaling maximum of ${maxTasks} (seed 003); ` +
        (advice.withinAutoscalingMax
          ? `${advice.agentsPerTask} agents per task (agentsPerWorkerTask) keep within it with ${fmt(advice.tasks)} tasks of ${advice.task.vCpu} vCPU / ${advice.task.memoryGiB} GB, or raise the maximum to ${fmt(plan.worker.tasks)}.`
          : `no Fargate task holds enough agents to stay within it (at most ${largest} ${workload.workerProfile} agents a task, ${fmt(Math.ceil(workload.agents / largest))} tasks): raise the maximum to ${fmt(plan.worker.tasks)}.`)
    })
  }
  const scaling = C.ECS_AUTOSCALING[2]
  if (plan.gateway.tasks > scaling.maxTasks) {
    warnings.push({ code: 'GATEWAY_ABOVE_AUTOSCALING_MAX', severity: 'warning', message: `${fmt(plan.gateway.connections)} connections at ${C.GATEWAY_TARGET_CONNECTIONS_PER_TASK} per task need ${fmt(plan.gateway.tasks)} gateway tasks, above the autoscaling maximum of ${scaling.maxTasks}.` })
  }
  return warnings
}
