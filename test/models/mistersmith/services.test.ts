import t from 'tap'
import { brokerStorageGB, estimateServices, supervisorRow } from '../../../src/models/mistersmith/services.js'
import { packingAdvice, workerPacking } from '../../../src/models/mistersmith/deployment.js'
import { FARGATE_SIZES, fargateTask } from '../../../src/models/mistersmith/fargate.js'

t.test('supervisor rows, boundaries on both sides', async (t) => {
  const scales = [0, 1, 9, 10, 11, 49, 50, 51, 99, 100, 101, 100_000].map((agents) => supervisorRow(agents).scale)
  t.same(scales, ['1x', '1x', '1x', '10x', '10x', '10x', '50x', '50x', '50x', '100x', '100x', '100x'])
  t.match(estimateServices({ agents: 50 }).supervisor, { scale: '50x', task: { vCpu: 2, memoryGiB: 4, rounded: false } })
  t.match(estimateServices().supervisor, { scale: '100x', task: { vCpu: 4, memoryGiB: 8 }, recommendedProduction: { vCpu: 2, memoryGiB: 4 } })
})

t.test('workers: the seed\'s 1,000 standard agents are 500 vCPU and 1,000 GB, 16 to a task by default', async (t) => {
  const { worker, warnings } = estimateServices()
  // 16 x 0.5 vCPU / 1 GB is 8 vCPU / 16 GB, a valid Fargate size: 63 tasks, 504 vCPU for the 500 needed
  t.match(worker, { profile: 'standard', totalVCpu: 500, totalMemoryGiB: 1000, tasks: 63, agentsPerTask: 16, task: { vCpu: 8, memoryGiB: 16, rounded: false }, provisionedVCpu: 504, provisionedMemoryGiB: 1008 })
  t.match(worker.packingAdvice, { agentsPerTask: 16, tasks: 63, provisionedVCpu: 504, withinAutoscalingMax: true })
  t.notOk(warnings.some((w) => w.code === 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX' || w.code === 'WORKER_PACKING'))
  const perAgent = estimateServices({ agentsPerWorkerTask: 1 })
  t.match(perAgent.worker, { tasks: 1000, agentsPerTask: 1, task: { vCpu: 0.5, memoryGiB: 1, rounded: false } })
  t.match(perAgent.warnings.find((w) => w.code === 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX')?.message, /16 agents per task \(agentsPerWorkerTask\) keep within it with 63 tasks of 8 vCPU \/ 16 GB, or raise the maximum to 1,000/)
  t.match(estimateServices({ agents: 100, workerProfile: 'base' }).worker, { totalVCpu: 25, totalMemoryGiB: 50, agentsPerTask: 32, tasks: 4, task: { vCpu: 8, memoryGiB: 16 } })
  t.match(estimateServices({ agents: 3, workerProfile: 'performance' }).worker, { totalVCpu: 3, totalMemoryGiB: 6, tasks: 1, task: { requestedVCpu: 3, vCpu: 4, memoryGiB: 8 } }, 'a task sized for the 3 agents it runs')
  t.notOk(estimateServices({ agents: 100, agentsPerWorkerTask: 1 }).warnings.some((w) => w.code === 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX'), '100 tasks is the maximum, not above')
})

t.test('packing advice: the least vCPU, then memory, then tasks, after Fargate rounding, within 100 tasks', async (t) => {
  // the issue's case: "at least 10 agents per task" gives 5 vCPU / 10 GB tasks rounded to 8 / 16: 800 vCPU for 500
  const packed = estimateServices({ agentsPerWorkerTask: 10 })
  t.match(packed.worker, { tasks: 100, task: { requestedVCpu: 5, requestedMemoryGiB: 10, vCpu: 8, memoryGiB: 16, rounded: true }, provisionedVCpu: 800, provisionedMemoryGiB: 1600 })
  t.ok(packed.warnings.some((w) => w.code === 'FARGATE_ROUNDED' && w.message.includes('8 vCPU / 16 GB')))
  t.match(packed.warnings.find((w) => w.code === 'WORKER_PACKING')?.message, /^16 agents per task provisions 504 vCPU \/ 1,008 GB in 63 tasks, less than the plan's 800 vCPU \/ 1,600 GB in 100 tasks; but each task holds a database pool of 10 connections: 630 worker connections instead of 1,000/)
  // 500 agents: at least 5 a task; 8 a task is 4 vCPU exactly: 63 tasks, 252 vCPU (16 a task: 32 x 8 = 256)
  t.match(packingAdvice(500, 'standard'), { agentsPerTask: 8, tasks: 63, provisionedVCpu: 252, provisionedMemoryGiB: 504 })
  // 100 agents: 1, 2 and 4 a task all provision 50 vCPU / 100 GB: the fewest tasks win
  t.match(packingAdvice(100, 'standard'), { agentsPerTask: 4, tasks: 25, provisionedVCpu: 50 })
  t.match(packingAdvice(2000, 'standard'), { agentsPerTask: 32, tasks: 63, provisionedVCpu: 1008, withinAutoscalingMax: true })
  // no packing stays within 100 tasks (at most 16 performance agents a task): the least provisioned, then fewest tasks
  t.match(packingAdvice(10_000, 'performance'), { agentsPerTask: 16, tasks: 625, provisionedVCpu: 10_000, withinAutoscalingMax: false })
  t.match(packingAdvice(10_000, 'standard'), { agentsPerTask: 16, tasks: 625, provisionedVCpu: 5000, withinAutoscalingMax: false }, 'not 32 a task: 313 tasks provision 5,008 vCPU')
  t.match(estimateServices({ agents: 10_000 }).warnings.find((w) => w.code === 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX')?.message, /at most 32 standard agents a task, 313 tasks\): raise the maximum to 625/)
  t.match(packingAdvice(0, 'standard'), { tasks: 0, provisionedVCpu: 0 })
  t.match(workerPacking(17, 'standard', 16), { tasks: 2, task: { vCpu: 8, memoryGiB: 16 }, provisionedVCpu: 16 })
  const tooBig = estimateServices({ agents: 100, workerProfile: 'performance', agentsPerWorkerTask: 17 })
  t.match(tooBig.worker, { agentsPerTask: 16, tasks: 7, task: { vCpu: 16, memoryGiB: 32 } })
  t.ok(tooBig.warnings.some((w) => w.code === 'WORKER_TASK_TOO_LARGE'))
  const impossible = estimateServices({ agents: 1_000_000, workerProfile: 'performance', agentsPerWorkerTask: 16 })
  t.match(impossible.warnings.find((w) => w.code === 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX')?.message, /no Fargate task holds enough agents to stay within it \(at most 16 performance agents a task, 62,500 tasks\): raise the maximum to 62,500\.$/)
})

t.test('Fargate rounding table', async (t) => {
  t.match(fargateTask(0.25, 0.5), { vCpu: 0.25, memoryGiB: 0.5, rounded: false })
  t.match(fargateTask(0.25, 3), { vCpu: 0.5, memoryGiB: 3, rounded: true })
  t.match(fargateTask(3, 4), { vCpu: 4, memoryGiB: 8 })
  t.match(fargateTask(8, 17), { vCpu: 8, memoryGiB: 20 }, '8 vCPU memory steps by 4 GB')
  t.match(fargateTask(4, 31), { vCpu: 8, memoryGiB: 32 })
  t.match(fargateTask(16, 120), { vCpu: 16, memoryGiB: 120 })
  t.equal(fargateTask(17, 1), undefined)
  t.equal(fargateTask(1, 121), undefined)
  t.same(FARGATE_SIZES.map((size) => size.memoryGiB.length), [3, 4, 7, 13, 23, 12, 12])
})

t.test('gateway table and autoscaling, boundaries on both sides', async (t) => {
  const row = (connections: number) => estimateServices({ concurrentConnections: connections }).gateway
  t.match(row(0), { tableRow: { connections: 100, vCpu: 0.5 }, tasksOfTableRow: 0, autoscaled: { tasks: 2 }, bandwidthMbps: 0 })
  t.match(row(1), { tasksOfTableRow: 1 })
  t.match(row(100), { tableRow: { connections: 100, vCpu: 0.5, memoryGiB: 1, bandwidthMbps: 10 }, bandwidthMbps: 10 })
  t.match(row(101), { tableRow: { connections: 1000, vCpu: 2, memoryGiB: 4 } })
  t.match(row(1000), { tableRow: { connections: 1000, vCpu: 2 }, autoscaled: { tasks: 2 }, bandwidthMbps: 100 })
  t.match(row(1001), { tableRow: { connections: 10_000, vCpu: 4, memoryGiB: 8 } })
  t.match(row(10_000), { tableRow: { connections: 10_000 }, tasksOfTableRow: 1, bandwidthMbps: 1000 })
  t.match(row(10_001), { tableRow: { connections: 10_000 }, tasksOfTableRow: 2 })
  t.match(row(1600), { autoscaled: { tasks: 2 } })
  t.match(row(1601), { autoscaled: { tasks: 3 } })
  t.match(row(16_000), { autoscaled: { tasks: 20 } })
  t.notOk(estimateServices({ concurrentConnections: 16_000 }).warnings.some((w) => w.code === 'GATEWAY_ABOVE_AUTOSCALING_MAX'))
  t.ok(estimateServices({ concurrentConnections: 16_001 }).warnings.some((w) => w.code === 'GATEWAY_ABOVE_AUTOSCALING_MAX'))
})

t.test('broker tiers, storage from rate x size x retention, and EventBridge', async (t) => {
  const mq = (messagesPerSec: number, brokerConnections = 100, environment: 'development' | 'staging' | 'production' = 'development') =>
    estimateServices({ messagesPerSec, brokerConnections, environment, messageSizeKB: 1, messageRetentionHours: 1 }).broker.amazonMq
  t.match(mq(1000), { instance: 'mq.t3.micro', brokers: 1 })
  t.match(mq(1001), { instance: 'mq.m5.large' })
  t.match(mq(10, 101), { instance: 'mq.m5.large' }, 'connections pick the tier too')
  t.match(mq(10, 100, 'staging'), { instance: 'mq.m5.large' }, 'never below the environment\'s own row')
  t.match(mq(10, 100, 'production'), { instance: 'mq.m5.xlarge' })
  t.match(mq(50_000), { instance: 'mq.m5.xlarge', brokers: 1 })
  t.match(mq(50_001), { instance: 'mq.m5.xlarge', brokers: 2 })
  // 20,000 connections: 4 brokers by the seed's 5,000, but AWS's ActiveMQ 2,000 per wire protocol needs 10
  t.match(mq(10, 20_000), { brokers: 10, awsConnectionsPerBroker: 2000, engine: 'activemq' })
  t.ok(estimateServices({ messagesPerSec: 50_001 }).warnings.some((w) => w.code === 'MQ_CAPACITY_EXCEEDED' && w.severity === 'critical'))
  // the issue's case: 1,000 msg/s x 10 KB x 24 h = 864 GB, beyond one broker's 200 GB: 5 brokers
  t.equal(brokerStorageGB(1000, 10, 24), 864)
  t.match(estimateServices({ messagesPerSec: 1000, messageSizeKB: 10 }).broker.amazonMq, { storageNeededGB: 864, storageGB: 864, brokers: 5, instance: 'mq.m5.xlarge' })
  t.match(estimateServices({ messagesPerSec: 1000, messageSizeKB: 10, messageRetentionHours: 1 }).broker.amazonMq, { storageNeededGB: 36, brokers: 1 })
  // 20 GB on a micro broker: 231.48 msg/s of 1 KB for a day is 20 GB
  t.match(estimateServices({ environment: 'development', messagesPerSec: 231, messageSizeKB: 1 }).broker.amazonMq, { instance: 'mq.t3.micro', storageGB: 20 })
  t.match(estimateServices({ environment: 'development', messagesPerSec: 232, messageSizeKB: 1 }).broker.amazonMq, { instance: 'mq.m5.large' }, 'storage picks the tier too')
  const defaults = estimateServices()
  t.match(defaults.broker.amazonMq, { storageNeededGB: 10, storageGB: 10, retentionHours: 24, instance: 'mq.m5.xlarge' }, '1M messages of 10 KB a day, kept 24 h')
  t.equal(defaults.inputs.brokerConnections, 2 + 63 + 2, 'one per supervisor, worker and gateway task')
  t.match(defaults.broker.eventBridge, { fits: true, eventsPerDay: 1_000_000, sizeLimitKB: 1048.576 }, 'the seed\'s 1M events/day')
  t.equal(estimateServices({ agents: 5000 }).inputs.messagesPerSec, 57.8703703703704, 'messages follow the agents')
  t.equal(estimateServices({ messagesPerSec: 10_000 }).broker.eventBridge.fits, true)
  t.equal(estimateServices({ messagesPerSec: 10_001 }).broker.eventBridge.fits, false)
  t.equal(estimateServices({ messageSizeKB: 257 }).broker.eventBridge.fits, true, 'AWS raised the limit to 1 MiB')
  t.equal(estimateServices({ messageSizeKB: 1048.576 }).broker.eventBridge.fits, true, '1,048,576 bytes')
  t.equal(estimateServices({ messageSizeKB: 1048.577 }).broker.eventBridge.fits, false)
  t.ok(estimateServices({ messageSizeKB: 1049 }).warnings.some((w) => w.code === 'EVENTBRIDGE_UNSUITABLE'))
  // AWS's ActiveMQ quota: 2,000 connections per wire protocol on mq.m5.*, where seed 003 counts 5,000
  const quota = (brokerConnections: number) => estimateServices({ brokerConnections }).warnings.find((w) => w.code === 'MQ_CONNECTIONS_ABOVE_AWS_QUOTA')
  t.equal(quota(2000), undefined)
  t.match(quota(2001)?.message, /2,001 broker connections exceed AWS's ActiveMQ limit per wire protocol of 2,000 on mq.m5.xlarge \(it cannot be raised; seed 003 counts 5,000\): the plan runs 2 brokers/)
  t.equal(estimateServices({ brokerConnections: 2001 }).broker.amazonMq.brokers, 2, 'past the limit the plan splits')
  t.equal(estimateServices({ environment: 'development', brokerConnections: 100, messagesPerSec: 1, messageSizeKB: 1 }).broker.amazonMq.instance, 'mq.t3.micro')
})

t.test('network scales the seed\'s 1,000-agent table; baselines and policies as stated', async (t) => {
  const defaults = estimateServices()
  t.match(defaults.network, { ingressMbps: 170, egressMbps: 270, monthlyGB: 1700 })
  t.match(estimateServices({ agents: 250 }).network, { ingressMbps: 42.5, egressMbps: 67.5, monthlyGB: 425 })
  t.same(defaults.baselines.ports, { apiServer: 8080, metrics: 9090, otlpGrpc: 4317, otlpHttp: 4318, nats: 4222 })
  t.same(defaults.baselines.connectionLimits, { sseConnections: 1000, databasePool: 30, natsConnectionsMin: 10, natsConnectionsMax: 100 })
  t.same(defaults.autoscaling.ecs.map((p) => [p.service, p.minTasks, p.maxTasks]), [['supervisor', 1, 10], ['worker', 1, 100], ['gateway', 2, 20]])
  t.match(defaults.autoscaling.aurora, { targetPercent: 70, scaleDownBelowPercent: 50, scaleDownAfterSeconds: 300 })
})

t.test('Amazon MQ for RabbitMQ: AWS\'s connections per node, never crossed (issue 28)', async (t) => {
  const rabbit = (brokerConnections: number, environment: 'development' | 'staging' | 'production' = 'production') =>
    estimateServices({ mqEngine: 'rabbitmq', brokerConnections, environment, messagesPerSec: 10, messageSizeKB: 1, messageRetentionHours: 1 })
  // AWS, RabbitMQ sizing guidelines, single-instance: t3.micro 500, m5.large 5,000, m5.xlarge 10,000 per node
  t.match(rabbit(100, 'development').broker.amazonMq, { instance: 'mq.t3.micro', engine: 'rabbitmq', awsConnectionsPerBroker: 500, brokers: 1 })
  t.match(rabbit(1000, 'staging').broker.amazonMq, { instance: 'mq.m5.large', awsConnectionsPerBroker: 5000, brokers: 1 })
  t.match(rabbit(5000).broker.amazonMq, { instance: 'mq.m5.xlarge', awsConnectionsPerBroker: 10_000, brokers: 1 })
  // the seed's 5,000 a broker binds before AWS's 10,000: 25,001 connections are 6 brokers, 60,000 are 12, none above AWS's limit
  t.match(rabbit(25_001).broker.amazonMq, { brokers: 6 })
  t.notOk(rabbit(60_000).warnings.some((w) => w.code === 'MQ_CONNECTIONS_ABOVE_AWS_QUOTA'))
  t.equal(rabbit(60_000).broker.amazonMq.brokers, 12)
  // ActiveMQ on the same load: 2,000 a broker, 30 brokers
  t.match(estimateServices({ brokerConnections: 60_000, messagesPerSec: 10, messageSizeKB: 1, messageRetentionHours: 1 }).broker.amazonMq, { brokers: 30, engine: 'activemq' })
})

t.test('EventBridge: PutEvents 10,000/s and invocations 18,750/s in us-east-1 (issue 28)', async (t) => {
  const bus = (messagesPerSec: number, eventTargetsPerEvent?: number) => estimateServices({ messagesPerSec, eventTargetsPerEvent })
  t.match(bus(9375, 2).broker.eventBridge, { fits: true, invocationsPerSec: 18_750, invocationsLimitPerSec: 18_750, targetsPerEvent: 2 }, '9,375 events to 2 targets each: exactly the quota')
  t.match(bus(9376, 2).broker.eventBridge, { fits: false, invocationsPerSec: 18_752 })
  t.match(bus(9376, 2).warnings.find((w) => w.code === 'EVENTBRIDGE_UNSUITABLE')?.message, /18,750 invocations\/s .* 9,376 msg\/s of 10 KB to 2 target\(s\) each \(18,752 invocations\/s\) does not fit/)
  t.match(bus(10_000).broker.eventBridge, { fits: true, invocationsPerSec: 10_000, targetsPerEvent: 1 }, 'one target by default')
  t.equal(bus(6250, 3).broker.eventBridge.fits, true, '18,750')
  t.equal(bus(6251, 3).broker.eventBridge.fits, false, '18,753')
})
