// MisterSmith on ECS Fargate (seed 003): supervisor, workers, gateway, message broker, autoscaling,
// network, and the baselines the tracker records. Every task is rounded to a valid Fargate size.
import { type Assumption, type Warning, decimalClean, rangeRowIndex, sortBySeverity } from '../common.js'
import * as C from './constants.js'
import { FARGATE_MAX, type FargateTask, fargateTask } from './fargate.js'

export interface ServicesInput {
  agents: number
  workerProfile: C.WorkerProfile
  agentsPerWorkerTask: number
  concurrentConnections: number
  messagesPerSec: number
  messageSizeKB: number
  brokerConnections: number
}

export const SERVICES_DEFAULTS: ServicesInput = {
  agents: 1000, // seed 003: worker scale 1-1000 agents, max cluster at 1000
  workerProfile: 'standard', // seed 003: "Recommended: 0.5 vCPU, 1 GB per agent"
  agentsPerWorkerTask: 1, // seed 003 sizes workers per agent
  concurrentConnections: 1000, // seed 003: SSE connections up to 1000 concurrent
  messagesPerSec: decimalClean(C.EVENTBRIDGE.estimatedEventsPerDay / 86_400), // seed 003: 1M events/day at peak
  messageSizeKB: 10, // seed 003: message size 1-10 KB average (the upper end)
  brokerConnections: 100 // seed 003: NATS connections 10-100 concurrent
}

type TaskSize = FargateTask & { fits: true }

export interface ServicesEstimate {
  inputs: ServicesInput
  supervisor: { scale: string, expectedLoad: string, task: FargateTask, recommendedProduction: { vCpu: number, memoryGiB: number }, boundaryRule: string }
  worker: {
    profile: C.WorkerProfile
    perAgent: { vCpu: number, memoryGiB: number, concurrentTasks: string }
    totalVCpu: number
    totalMemoryGiB: number
    agentsPerTask: number
    tasks: number
    task: FargateTask
    provisionedVCpu: number
    provisionedMemoryGiB: number
  }
  gateway: {
    connections: number
    tableRow: { connections: number, vCpu: number, memoryGiB: number, bandwidthMbps: number }
    tasksOfTableRow: number
    autoscaled: { task: FargateTask, targetConnectionsPerTask: number, minTasks: number, maxTasks: number, tasks: number }
    bandwidthMbps: number
  }
  broker: {
    amazonMq: { tier: string, instance: string, capacityConnections: number, capacityMessagesPerSec: number, brokers: number, retentionHours: number, storageGB: number }
    eventBridge: { fits: boolean, customBusEventsPerSec: number, sizeLimitKB: number, eventsPerDay: number }
  }
  autoscaling: {
    ecs: Array<{ service: string, metric: string, target: string, minTasks: number, maxTasks: number }>
    scaleOutSeconds: number
    scaleInSeconds: number
    aurora: typeof C.AURORA_SCALING
  }
  network: { rows: Array<{ component: string, ingressMbps: number, egressMbps: number, monthlyGB: number }>, ingressMbps: number, egressMbps: number, monthlyGB: number, scaledFromAgents: number }
  baselines: typeof C.BASELINES
  warnings: Warning[]
  assumptions: Assumption[]
}

export function resolveServicesInput (partial: Partial<ServicesInput>): ServicesInput {
  return { ...SERVICES_DEFAULTS, ...partial }
}

/** Rows share their boundaries (1-10, 10-50, 50-100, 100+): by the one boundary rule, a boundary count takes the larger row. */
export function supervisorRow (agents: number): typeof C.SUPERVISOR_ROWS[number] {
  return C.SUPERVISOR_ROWS[rangeRowIndex(agents, C.SUPERVISOR_ROWS.map((row) => ({ from: row.minAgents, fromInclusive: true })))]
}

/** Every table size is a valid Fargate size; rounding only matters for packed worker tasks. */
function mustFit (vCpu: number, memoryGiB: number): TaskSize {
  return fargateTask(vCpu, memoryGiB) as TaskSize
}

function workerSizing (input: ServicesInput, warnings: Warning[]): ServicesEstimate['worker'] {
  const perAgent = C.WORKER_PROFILES[input.workerProfile]
  const maxAgentsPerTask = Math.floor(Math.min(FARGATE_MAX.vCpu / perAgent.vCpu, FARGATE_MAX.memoryGiB / perAgent.memoryGiB))
  const agentsPerTask = Math.min(input.agentsPerWorkerTask, maxAgentsPerTask)
  if (agentsPerTask < input.agentsPerWorkerTask) {
    warnings.push({ code: 'WORKER_TASK_TOO_LARGE', severity: 'warning', message: `${input.agentsPerWorkerTask} ${input.workerProfile} agents do not fit one Fargate task (16 vCPU, 120 GB at most); ${agentsPerTask} per task are used.` })
  }
  const task = mustFit(decimalClean(agentsPerTask * perAgent.vCpu), decimalClean(agentsPerTask * perAgent.memoryGiB))
  const tasks = Math.ceil(input.agents / agentsPerTask)
  const maxTasks = C.ECS_AUTOSCALING[1].maxTasks
  if (tasks > maxTasks) {
    const neededPerTask = Math.ceil(input.agents / maxTasks)
    warnings.push({
      code: 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX',
      severity: 'warning',
      message: `${tasks} worker tasks exceed the worker autoscaling maximum of ${maxTasks} (seed 003); ` +
        (neededPerTask <= maxAgentsPerTask ? `pack at least ${neededPerTask} agents per task (agentsPerWorkerTask) or raise the maximum.` : 'raise the maximum.')
    })
  }
  if (task.rounded) {
    warnings.push({ code: 'FARGATE_ROUNDED', severity: 'info', message: `Worker task of ${task.requestedVCpu} vCPU / ${task.requestedMemoryGiB} GB rounded up to the valid Fargate size ${task.vCpu} vCPU / ${task.memoryGiB} GB.` })
  }
  return {
    profile: input.workerProfile,
    perAgent: { ...perAgent },
    totalVCpu: decimalClean(input.agents * perAgent.vCpu),
    totalMemoryGiB: decimalClean(input.agents * perAgent.memoryGiB),
    agentsPerTask,
    tasks,
    task,
    provisionedVCpu: decimalClean(tasks * task.vCpu),
    provisionedMemoryGiB: decimalClean(tasks * task.memoryGiB)
  }
}

function gatewaySizing (connections: number, warnings: Warning[]): ServicesEstimate['gateway'] {
  const largest = C.GATEWAY_ROWS[C.GATEWAY_ROWS.length - 1]
  const row = C.GATEWAY_ROWS.find((candidate) => connections <= candidate.connections) ?? largest
  const tasksOfTableRow = Math.max(1, Math.ceil(connections / row.connections))
  const scaling = C.ECS_AUTOSCALING[2]
  const neededTasks = Math.max(scaling.minTasks, Math.ceil(connections / C.GATEWAY_TARGET_CONNECTIONS_PER_TASK))
  if (neededTasks > scaling.maxTasks) {
    warnings.push({ code: 'GATEWAY_ABOVE_AUTOSCALING_MAX', severity: 'warning', message: `${connections} connections at ${C.GATEWAY_TARGET_CONNECTIONS_PER_TASK} per task need ${neededTasks} gateway tasks, above the autoscaling maximum of ${scaling.maxTasks}.` })
  }
  const bandwidthPerConnectionMbps = row.bandwidthMbps / row.connections // 0.1 Mbps in every row
  return {
    connections,
    tableRow: { ...row },
    tasksOfTableRow,
    autoscaled: {
      task: mustFit(C.GATEWAY_ROWS[1].vCpu, C.GATEWAY_ROWS[1].memoryGiB),
      targetConnectionsPerTask: C.GATEWAY_TARGET_CONNECTIONS_PER_TASK,
      minTasks: scaling.minTasks,
      maxTasks: scaling.maxTasks,
      tasks: neededTasks
    },
    bandwidthMbps: decimalClean(connections * bandwidthPerConnectionMbps)
  }
}

function brokerSizing (input: ServicesInput, warnings: Warning[]): ServicesEstimate['broker'] {
  const largest = C.MQ_BROKERS[C.MQ_BROKERS.length - 1]
  const fitting = C.MQ_BROKERS.find((broker) => input.messagesPerSec <= broker.messagesPerSec && input.brokerConnections <= broker.connections)
  const broker = fitting ?? largest
  const brokers = fitting !== undefined ? 1 : Math.ceil(Math.max(input.messagesPerSec / largest.messagesPerSec, input.brokerConnections / largest.connections))
  if (fitting === undefined) {
    warnings.push({ code: 'MQ_CAPACITY_EXCEEDED', severity: 'critical', message: `${input.messagesPerSec} msg/s and ${input.brokerConnections} connections exceed one ${largest.instance} (${largest.messagesPerSec} msg/s, ${largest.connections} connections): ${brokers} brokers, or shard the subjects.` })
  }
  const fits = input.messagesPerSec <= C.EVENTBRIDGE.customBusEventsPerSec && input.messageSizeKB <= C.EVENTBRIDGE.sizeLimitKB
  if (!fits) {
    warnings.push({ code: 'EVENTBRIDGE_UNSUITABLE', severity: 'info', message: `EventBridge's custom bus takes ${C.EVENTBRIDGE.customBusEventsPerSec} events/s of at most ${C.EVENTBRIDGE.sizeLimitKB} KB (seed 003); ${input.messagesPerSec} msg/s of ${input.messageSizeKB} KB does not fit.` })
  }
  return {
    amazonMq: { tier: broker.tier, instance: broker.instance, capacityConnections: broker.connections, capacityMessagesPerSec: broker.messagesPerSec, brokers, retentionHours: C.MQ_RETENTION_HOURS, storageGB: C.MQ_STORAGE_GB },
    eventBridge: { fits, customBusEventsPerSec: C.EVENTBRIDGE.customBusEventsPerSec, sizeLimitKB: C.EVENTBRIDGE.sizeLimitKB, eventsPerDay: decimalClean(input.messagesPerSec * 86_400) }
  }
}

/** The tracker's bandwidth table is for its 1000-agent baseline; scaled linearly with agents. */
function networkSizing (agents: number): ServicesEstimate['network'] {
  const scale = agents / C.NETWORK_BASELINE_AGENTS
  const rows = C.NETWORK_ROWS.map((row) => ({
    component: row.component,
    ingressMbps: decimalClean(row.ingressMbps * scale),
    egressMbps: decimalClean(row.egressMbps * scale),
    monthlyGB: decimalClean(row.monthlyGB * scale)
  }))
  const total = (key: 'ingressMbps' | 'egressMbps' | 'monthlyGB'): number => decimalClean(rows.reduce((sum, row) => sum + row[key], 0))
  return { rows, ingressMbps: total('ingressMbps'), egressMbps: total('egressMbps'), monthlyGB: total('monthlyGB'), scaledFromAgents: C.NETWORK_BASELINE_AGENTS }
}

export const SERVICES_ASSUMPTIONS: readonly Assumption[] = [
  { name: 'supervisorBoundary', value: 10, unit: 'agents', source: `${C.TRACKER}, Supervisor Service`, note: 'The rows share 10, 50 and 100 agents; a count on a boundary takes the larger row (the conservative choice). 0 agents takes the base row.' },
  { name: 'gatewayTargetConnectionsPerTask', value: C.GATEWAY_TARGET_CONNECTIONS_PER_TASK, unit: 'connections', source: `${C.TRACKER}, ECS Service Scaling (gateway)`, note: 'Autoscaled tasks use the recommended 2 vCPU / 4 GB gateway task (handles 1000 SSE).' },
  { name: 'gatewayBandwidthPerConnection', value: 0.1, unit: 'Mbit/s', source: `${C.TRACKER}, Gateway Service (10 Mbps per 100 connections in every row)` },
  { name: 'networkScaling', value: C.NETWORK_BASELINE_AGENTS, unit: 'agents', source: 'SERVICE (not in the seed): documented in README, Deviations', note: 'Seed 003\'s bandwidth table has no agent count; it is read as the 1000-agent baseline and scaled linearly. Its Mbps are peaks: 1 TB a month is about 3 Mbit/s on average.' },
  { name: 'fargateGiB', value: 1024, unit: 'MiB per GB', source: 'AWS ECS documentation (Fargate task sizes)', note: 'Fargate memory "GB" are GiB (1 GB = 1024 MiB); the seed\'s task memory is read the same way.' },
  { name: 'workerAutoscalingMaxTasks', value: C.ECS_AUTOSCALING[1].maxTasks, unit: 'tasks', source: `${C.TRACKER}, ECS Service Scaling (worker)`, note: 'SEED_INCONSISTENCY: seed 003 sizes workers per agent up to 1000 agents but caps worker tasks at 100; agentsPerWorkerTask packs agents into tasks.' }
]

export function estimateServices (partial: Partial<ServicesInput> = {}): ServicesEstimate {
  const inputs = resolveServicesInput(partial)
  const warnings: Warning[] = []
  const row = supervisorRow(inputs.agents)
  return {
    inputs,
    supervisor: {
      scale: row.scale,
      expectedLoad: row.expectedLoad,
      task: mustFit(row.vCpu, row.memoryGiB),
      recommendedProduction: { ...C.SUPERVISOR_RECOMMENDED_PRODUCTION },
      boundaryRule: 'A count on a shared row boundary (10, 50, 100 agents) takes the larger row.'
    },
    worker: workerSizing(inputs, warnings),
    gateway: gatewaySizing(inputs.concurrentConnections, warnings),
    broker: brokerSizing(inputs, warnings),
    autoscaling: {
      ecs: C.ECS_AUTOSCALING.map((policy) => ({ ...policy })),
      scaleOutSeconds: C.ECS_SCALE_OUT_SECONDS,
      scaleInSeconds: C.ECS_SCALE_IN_SECONDS,
      aurora: C.AURORA_SCALING
    },
    network: networkSizing(inputs.agents),
    baselines: C.BASELINES,
    warnings: sortBySeverity(warnings),
    assumptions: SERVICES_ASSUMPTIONS as Assumption[]
  }
}
