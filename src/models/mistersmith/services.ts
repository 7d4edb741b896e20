// MisterSmith on ECS Fargate (seed 003): supervisor, workers, gateway, message broker, autoscaling,
// network, and the baselines the tracker records. Every task is rounded to a valid Fargate size.
import { type Assumption, type Warning, ceilClean, decimalClean, formatNumber, rangeRowIndex, sortBySeverity } from '../common.js'
import * as C from './constants.js'
import { type DeploymentPlan, type Stated, type WorkerPacking, type WorkloadInput, deploymentPlan, deploymentWarnings, packingAdvice, resolveWorkload } from './deployment.js'
import { type FargateTask, fargateTask } from './fargate.js'

export interface ServicesInput extends WorkloadInput {
  messagesPerSec: number
  messageSizeKB: number
  messageRetentionHours: number
  brokerConnections: number
  /** Amazon MQ engine: seed 003 names none; its instance types exist for both */
  mqEngine: C.MqEngine
  /** EventBridge targets each event is delivered to (rules matched x targets): each delivery is an invocation */
  eventTargetsPerEvent: number
}

/** seed 003: "Estimated: 1M events/day at peak" for its 1,000-agent baseline, read as 1,000 events a day per agent. */
export const EVENTS_PER_AGENT_PER_DAY = C.EVENTBRIDGE.estimatedEventsPerDay / C.NETWORK_BASELINE_AGENTS

export const SERVICES_DEFAULTS = {
  messageSizeKB: 10, // seed 003: message size 1-10 KB average (the upper end)
  messageRetentionHours: C.MQ_RETENTION_HOURS, // seed 003: retention 24 hours
  mqEngine: 'activemq' as C.MqEngine, // seed 003 names no engine; ActiveMQ's quotas are the stricter for its instance types
  eventTargetsPerEvent: 1 // seed 003 names no rules or targets: the fewest, one delivery per event
}

type TaskSize = FargateTask & { fits: true }

export interface ServicesEstimate {
  inputs: ServicesInput
  deployment: DeploymentPlan
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
    packingAdvice: WorkerPacking & { withinAutoscalingMax: boolean }
  }
  gateway: {
    connections: number
    tableRow: { connections: number, vCpu: number, memoryGiB: number, bandwidthMbps: number }
    tasksOfTableRow: number
    autoscaled: { task: FargateTask, targetConnectionsPerTask: number, minTasks: number, maxTasks: number, tasks: number }
    bandwidthMbps: number
  }
  broker: {
    amazonMq: { tier: string, instance: string, engine: C.MqEngine, capacityConnections: number, awsConnectionsPerBroker: number, capacityMessagesPerSec: number, capacityStorageGB: number, brokers: number, retentionHours: number, storageNeededGB: number, storageGB: number }
    eventBridge: { fits: boolean, customBusEventsPerSec: number, invocationsPerSec: number, invocationsLimitPerSec: number, targetsPerEvent: number, sizeLimitKB: number, eventsPerDay: number }
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

export function resolveServicesInput (partial: Stated<ServicesInput>): ServicesInput {
  const workload = resolveWorkload(partial)
  const plan = deploymentPlan(workload)
  return {
    ...workload,
    messagesPerSec: partial.messagesPerSec ?? decimalClean(workload.agents * EVENTS_PER_AGENT_PER_DAY / 86_400),
    messageSizeKB: partial.messageSizeKB ?? SERVICES_DEFAULTS.messageSizeKB,
    messageRetentionHours: partial.messageRetentionHours ?? SERVICES_DEFAULTS.messageRetentionHours,
    // every supervisor, worker and gateway task holds one broker connection
    brokerConnections: partial.brokerConnections ?? plan.supervisorInstances + plan.worker.tasks + plan.gateway.tasks,
    mqEngine: partial.mqEngine ?? SERVICES_DEFAULTS.mqEngine,
    eventTargetsPerEvent: partial.eventTargetsPerEvent ?? SERVICES_DEFAULTS.eventTargetsPerEvent
  }
}

/** Rows share their boundaries (1-10, 10-50, 50-100, 100+): by the one boundary rule, a boundary count takes the larger row. */
export function supervisorRow (agents: number): typeof C.SUPERVISOR_ROWS[number] {
  return C.SUPERVISOR_ROWS[rangeRowIndex(agents, C.SUPERVISOR_ROWS.map((row) => ({ from: row.minAgents, fromInclusive: true })))]
}

/** Every table size is a valid Fargate size. */
function mustFit (vCpu: number, memoryGiB: number): TaskSize {
  return fargateTask(vCpu, memoryGiB) as TaskSize
}

function workerSizing (input: ServicesInput, plan: DeploymentPlan, warnings: Warning[]): ServicesEstimate['worker'] {
  const perAgent = C.WORKER_PROFILES[input.workerProfile]
  const { agentsPerTask, tasks, task, provisionedVCpu, provisionedMemoryGiB } = plan.worker
  const advice = packingAdvice(input.agents, input.workerProfile)
  if (task.rounded) {
    warnings.push({ code: 'FARGATE_ROUNDED', severity: 'info', message: `Worker task of ${task.requestedVCpu} vCPU / ${task.requestedMemoryGiB} GB rounded up to the valid Fargate size ${task.vCpu} vCPU / ${task.memoryGiB} GB.` })
  }
  if (advice.provisionedVCpu < provisionedVCpu || (advice.provisionedVCpu === provisionedVCpu && advice.provisionedMemoryGiB < provisionedMemoryGiB)) {
    warnings.push({
      code: 'WORKER_PACKING',
      severity: 'info',
      message: `${advice.agentsPerTask} agents per task provisions ${formatNumber(advice.provisionedVCpu, 2)} vCPU / ${formatNumber(advice.provisionedMemoryGiB, 2)} GB in ${formatNumber(advice.tasks)} tasks, ` +
        `less than the plan's ${formatNumber(provisionedVCpu, 2)} vCPU / ${formatNumber(provisionedMemoryGiB, 2)} GB in ${formatNumber(tasks)} tasks; ` +
        `but each task holds a database pool of ${input.poolMaxConnections.worker} connections: ${formatNumber(advice.tasks * input.poolMaxConnections.worker)} worker connections instead of ${formatNumber(tasks * input.poolMaxConnections.worker)} (see /estimate/aurora for the ACUs).`
    })
  }
  return {
    profile: input.workerProfile,
    perAgent: { ...perAgent },
    totalVCpu: decimalClean(input.agents * perAgent.vCpu),
    totalMemoryGiB: decimalClean(input.agents * perAgent.memoryGiB),
    agentsPerTask,
    tasks,
    task,
    provisionedVCpu,
    provisionedMemoryGiB,
    packingAdvice: advice
  }
}

function gatewaySizing (plan: DeploymentPlan): ServicesEstimate['gateway'] {
  const { connections } = plan.gateway
  const largest = C.GATEWAY_ROWS[C.GATEWAY_ROWS.length - 1]
  const row = C.GATEWAY_ROWS.find((candidate) => connections <= candidate.connections) ?? largest
  const scaling = C.ECS_AUTOSCALING[2]
  const bandwidthPerConnectionMbps = row.bandwidthMbps / row.connections // 0.1 Mbps in every row
  return {
    connections,
    tableRow: { ...row },
    tasksOfTableRow: Math.ceil(connections / row.connections),
    autoscaled: {
      task: mustFit(C.GATEWAY_ROWS[1].vCpu, C.GATEWAY_ROWS[1].memoryGiB),
      targetConnectionsPerTask: C.GATEWAY_TARGET_CONNECTIONS_PER_TASK,
      minTasks: plan.gateway.minTasks,
      maxTasks: scaling.maxTasks,
      tasks: plan.gateway.tasks
    },
    bandwidthMbps: decimalClean(connections * bandwidthPerConnectionMbps)
  }
}

/** Messages kept for the retention window: rate x size x retention (KB = 1000 B, GB = 10^9 B). */
export function brokerStorageGB (messagesPerSec: number, messageSizeKB: number, retentionHours: number): number {
  return decimalClean(messagesPerSec * messageSizeKB * 1000 * retentionHours * 3600 / C.BYTES_PER_GB)
}

/** AWS's connection limit of one broker: ActiveMQ's per wire protocol (MisterSmith's clients share one), RabbitMQ's per node; neither can be raised. */
export function awsBrokerConnections (broker: typeof C.MQ_BROKERS[number], engine: C.MqEngine): { connections: number, limit: string } {
  return engine === 'rabbitmq'
    ? { connections: broker.awsRabbitMqConnections, limit: 'RabbitMQ limit per node' }
    : { connections: broker.awsConnectionsPerProtocol, limit: 'ActiveMQ limit per wire protocol' }
}

/**
 * The smallest broker of seed 003's table, from the environment's own row up, whose throughput,
 * connections and (AWS) storage hold the load, else brokers of the largest; then as many brokers as
 * AWS's connection limit per broker needs.
 */
function brokerSizing (input: ServicesInput, warnings: Warning[]): ServicesEstimate['broker'] {
  const storageNeededGB = brokerStorageGB(input.messagesPerSec, input.messageSizeKB, input.messageRetentionHours)
  const largest = C.MQ_BROKERS[C.MQ_BROKERS.length - 1]
  const fromEnvironment = C.MQ_BROKERS.slice(C.MQ_BROKERS.findIndex((broker) => broker.tier === input.environment))
  const fitting = fromEnvironment.find((broker) => input.messagesPerSec <= broker.messagesPerSec && input.brokerConnections <= broker.connections && storageNeededGB <= broker.storageGB)
  const broker = fitting ?? largest
  const bySeedCapacity = fitting !== undefined ? 1 : ceilClean(Math.max(input.messagesPerSec / largest.messagesPerSec, input.brokerConnections / largest.connections, storageNeededGB / largest.storageGB))
  const { connections: awsPerBroker, limit } = awsBrokerConnections(broker, input.mqEngine)
  const byAwsLimit = Math.ceil(input.brokerConnections / awsPerBroker)
  const brokers = Math.max(bySeedCapacity, byAwsLimit)
  if (fitting === undefined) {
    warnings.push({
      code: 'MQ_CAPACITY_EXCEEDED',
      severity: 'critical',
      message: `${formatNumber(input.messagesPerSec, 1)} msg/s, ${formatNumber(input.brokerConnections)} connections and ${formatNumber(storageNeededGB, 1)} GB retained exceed one ${largest.instance} ` +
        `(seed 003's ${formatNumber(largest.messagesPerSec)} msg/s and ${formatNumber(largest.connections)} connections; AWS's ${formatNumber(awsPerBroker)} connections and ${largest.storageGB} GB): ${formatNumber(brokers)} brokers, or shard the subjects, or shorten the retention.`
    })
  }
  if (byAwsLimit > bySeedCapacity) {
    warnings.push({
      code: 'MQ_CONNECTIONS_ABOVE_AWS_QUOTA',
      severity: 'warning',
      message: `${formatNumber(input.brokerConnections)} broker connections exceed AWS's ${limit} of ${formatNumber(awsPerBroker)} on ${broker.instance} (it cannot be raised; seed 003 counts ${formatNumber(broker.connections)}): ` +
        `the plan runs ${formatNumber(brokers)} brokers, the clients split between them, instead of ${formatNumber(bySeedCapacity)}.`
    })
  }
  const invocationsPerSec = decimalClean(input.messagesPerSec * input.eventTargetsPerEvent)
  const fits = input.messagesPerSec <= C.EVENTBRIDGE.customBusEventsPerSec && invocationsPerSec <= C.EVENTBRIDGE.invocationsPerSec && input.messageSizeKB <= C.EVENTBRIDGE.sizeLimitKB
  if (!fits) {
    warnings.push({
      code: 'EVENTBRIDGE_UNSUITABLE',
      severity: 'critical',
      message: `EventBridge's custom bus takes ${formatNumber(C.EVENTBRIDGE.customBusEventsPerSec)} events/s (seed 003; AWS's default PutEvents quota in us-east-1, us-west-2 and eu-west-1, lower elsewhere) ` +
        `and delivers ${formatNumber(C.EVENTBRIDGE.invocationsPerSec)} invocations/s (AWS's us-east-1 quota; above it deliveries are throttled) ` +
        `of at most 1 MiB (${C.EVENTBRIDGE.sizeLimitKB} KB; AWS since January 2026, the seed says 256 KB); ` +
        `${formatNumber(input.messagesPerSec, 1)} msg/s of ${formatNumber(input.messageSizeKB, 1)} KB to ${formatNumber(input.eventTargetsPerEvent)} target(s) each (${formatNumber(invocationsPerSec, 1)} invocations/s) does not fit.`
    })
  }
  return {
    amazonMq: {
      tier: broker.tier,
      instance: broker.instance,
      engine: input.mqEngine,
      capacityConnections: broker.connections,
      awsConnectionsPerBroker: awsPerBroker,
      capacityMessagesPerSec: broker.messagesPerSec,
      capacityStorageGB: broker.storageGB,
      brokers,
      retentionHours: input.messageRetentionHours,
      storageNeededGB,
      storageGB: ceilClean(storageNeededGB)
    },
    eventBridge: { fits, customBusEventsPerSec: C.EVENTBRIDGE.customBusEventsPerSec, invocationsPerSec, invocationsLimitPerSec: C.EVENTBRIDGE.invocationsPerSec, targetsPerEvent: input.eventTargetsPerEvent, sizeLimitKB: C.EVENTBRIDGE.sizeLimitKB, eventsPerDay: decimalClean(input.messagesPerSec * 86_400) }
  }
}

/** The tracker's bandwidth table is for its 1000-agent baseline; scaled linearly with agents. /estimate/aurora prices the same rows. */
export function networkSizing (agents: number): ServicesEstimate['network'] {
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
  { name: 'networkScaling', value: C.NETWORK_BASELINE_AGENTS, unit: 'agents', source: 'SERVICE (not in the seed): documented in docs/deviations.md', note: 'Seed 003\'s bandwidth table has no agent count; it is read as the 1000-agent baseline and scaled linearly. Its Mbps are peaks: 1 TB a month is about 3 Mbit/s on average.' },
  { name: 'fargateGiB', value: 1024, unit: 'MiB per GB', source: 'AWS ECS documentation (Fargate task sizes)', note: 'Fargate memory "GB" are GiB (1 GB = 1024 MiB); the seed\'s task memory is read the same way.' },
  { name: 'workerAutoscalingMaxTasks', value: C.ECS_AUTOSCALING[1].maxTasks, unit: 'tasks', source: `${C.TRACKER}, ECS Service Scaling (worker)`, note: 'SEED_INCONSISTENCY: seed 003 sizes workers per agent up to 1000 agents but caps worker tasks at 100; agentsPerWorkerTask packs agents into tasks.' },
  { name: 'defaultAgentsPerWorkerTask', value: 16, unit: 'standard agents per task', source: 'SERVICE (not in the seed): documented in docs/deviations.md', note: 'By default a worker task holds the agents that fill an 8 vCPU / 16 GB Fargate task exactly (base 32, standard 16, performance 8), sized down for fewer agents. A fixed packing keeps worker tasks, and so database connections, from falling as agents grow; worker.packingAdvice gives the packing that provisions least for the agent count.' },
  { name: 'packingAdvice', value: C.ECS_AUTOSCALING[1].maxTasks, unit: 'tasks at most', source: `${C.TRACKER}, Worker Service and ECS Service Scaling`, note: 'The packing that provisions the least vCPU, then memory, then fewest tasks, after Fargate rounding, within the worker autoscaling maximum.' },
  { name: 'instancesPerEnvironment', value: 2, unit: 'supervisors and minimum gateways (production, staging)', source: `${C.AURORA}, Connection Pool Sizing (supervisor: primary + standby); ${C.TRACKER}, ECS Service Scaling (gateway min 2)`, note: 'Development runs one supervisor and one gateway: the seed sizes it for 1-30 connections at 0.5-2 ACU.' },
  { name: 'concurrentConnectionsPerAgent', value: 1, unit: 'connections per agent', source: 'SERVICE (not in the seed): seed 003\'s 1,000 SSE connections at its 1,000-agent baseline', note: 'Default of concurrentConnections.' },
  { name: 'eventsPerAgentPerDay', value: EVENTS_PER_AGENT_PER_DAY, unit: 'messages per agent per day', source: `${C.TRACKER}, EventBridge (1M events/day at peak) at the 1,000-agent baseline`, note: 'Default of messagesPerSec.' },
  { name: 'brokerConnectionsPerTask', value: 1, unit: 'connections per task', source: 'SERVICE (not in the seed)', note: 'Default of brokerConnections: every supervisor, worker and gateway task holds one; seed 003 expects 10-100 NATS connections.' },
  { name: 'mqBrokerByEnvironment', value: 3, unit: 'broker rows', source: `${C.TRACKER}, Amazon MQ (Development mq.t3.micro, Staging mq.m5.large, Production mq.m5.xlarge)`, note: 'The environment\'s row is the smallest broker used; the load (throughput, connections, storage) can only raise it.' },
  { name: 'mqStorageGBPerBroker', value: 200, unit: 'GB (mq.m5.*; 20 GB for mq.t3.micro)', source: 'AWS Amazon MQ quotas (ActiveMQ storage capacity per broker)', note: 'Storage is messagesPerSec x messageSizeKB x retention; seed 003 provisions a fixed 100 GB EBS. The seed\'s broker capacities (100 / 1,000 / 5,000 connections) pick the broker.' },
  { name: 'mqEngine', value: 2000, unit: 'connections per broker (ActiveMQ, mq.m5.*, per wire protocol; 300 on mq.t3.micro)', source: 'AWS Amazon MQ quotas (ActiveMQ); AWS "Amazon MQ for RabbitMQ sizing guidelines" (RabbitMQ, single-instance, per node: 500 t3.micro, 5,000 m5.large, 10,000 m5.xlarge), checked 2026-12-07', note: 'Seed 003 names no engine (its mq.t3.micro, mq.m5.large and mq.m5.xlarge exist for both); default activemq, the stricter. Neither limit can be raised: above it the plan runs more brokers (MQ_CONNECTIONS_ABOVE_AWS_QUOTA). MisterSmith\'s clients are read as using one wire protocol.' },
  { name: 'eventTargetsPerEvent', value: 1, unit: 'invocations per event', source: 'SERVICE (not in the seed); AWS "Amazon EventBridge quotas" (us-east-1: 10,000 PutEvents and 18,750 invocations a second), checked 2026-12-07', note: 'Every rule target an event is delivered to is one invocation; seed 003 names no rules, so one per event unless eventTargetsPerEvent is stated.' },
  { name: 'eventBridgeSizeLimitKB', value: C.EVENTBRIDGE.sizeLimitKB, unit: 'KB (1 MiB)', source: 'AWS (EventBridge payloads up to 1 MB since January 2026)', note: 'Seed 003 says 256 KB. Read as 1 MiB = 1,048,576 bytes, as the old 256 KB was 262,144. The 10,000 events/s is AWS\'s default PutEvents quota in us-east-1, us-west-2 and eu-west-1 (2,400, 1,200, 600 or 400 elsewhere).' }
]

export function estimateServices (partial: Stated<ServicesInput> = {}): ServicesEstimate {
  const inputs = resolveServicesInput(partial)
  const deployment = deploymentPlan(inputs)
  const warnings: Warning[] = deploymentWarnings(inputs, deployment)
  const row = supervisorRow(inputs.agents)
  return {
    inputs,
    deployment,
    supervisor: {
      scale: row.scale,
      expectedLoad: row.expectedLoad,
      task: mustFit(row.vCpu, row.memoryGiB),
      recommendedProduction: { ...C.SUPERVISOR_RECOMMENDED_PRODUCTION },
      boundaryRule: 'A count on a shared row boundary (10, 50, 100 agents) takes the larger row.'
    },
    worker: workerSizing(inputs, deployment, warnings),
    gateway: gatewaySizing(deployment),
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
