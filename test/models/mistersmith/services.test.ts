import t from 'tap'
import { estimateServices, supervisorRow } from '../../../src/models/mistersmith/services.js'
import { FARGATE_SIZES, fargateTask } from '../../../src/models/mistersmith/fargate.js'

t.test('supervisor rows, boundaries on both sides', async (t) => {
  const scales = [0, 1, 9, 10, 11, 49, 50, 51, 99, 100, 101, 100_000].map((agents) => supervisorRow(agents).scale)
  t.same(scales, ['1x', '1x', '1x', '10x', '10x', '10x', '50x', '50x', '50x', '100x', '100x', '100x'])
  t.match(estimateServices({ agents: 50 }).supervisor, { scale: '50x', task: { vCpu: 2, memoryGiB: 4, rounded: false } })
  t.match(estimateServices().supervisor, { scale: '100x', task: { vCpu: 4, memoryGiB: 8 }, recommendedProduction: { vCpu: 2, memoryGiB: 4 } })
})

t.test('workers: the seed\'s 1,000 standard agents are 500 vCPU and 1,000 GB', async (t) => {
  const { worker, warnings } = estimateServices()
  t.match(worker, { profile: 'standard', totalVCpu: 500, totalMemoryGiB: 1000, tasks: 1000, agentsPerTask: 1, task: { vCpu: 0.5, memoryGiB: 1, rounded: false } })
  t.match(warnings.find((w) => w.code === 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX')?.message, /pack at least 10 agents per task/)
  t.match(estimateServices({ agents: 100, workerProfile: 'base' }).worker, { totalVCpu: 25, totalMemoryGiB: 50, task: { vCpu: 0.25, memoryGiB: 0.5 } })
  t.match(estimateServices({ agents: 3, workerProfile: 'performance' }).worker, { totalVCpu: 3, totalMemoryGiB: 6 })
  t.notOk(estimateServices({ agents: 100 }).warnings.some((w) => w.code === 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX'), '100 tasks is the maximum, not above')
})

t.test('packed worker tasks are rounded to a valid Fargate size and say so', async (t) => {
  const packed = estimateServices({ agentsPerWorkerTask: 10 })
  t.match(packed.worker, { tasks: 100, task: { requestedVCpu: 5, requestedMemoryGiB: 10, vCpu: 8, memoryGiB: 16, rounded: true }, provisionedVCpu: 800, provisionedMemoryGiB: 1600 })
  t.ok(packed.warnings.some((w) => w.code === 'FARGATE_ROUNDED' && w.message.includes('8 vCPU / 16 GB')))
  t.notOk(packed.warnings.some((w) => w.code === 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX'))
  const tooBig = estimateServices({ agents: 100, workerProfile: 'performance', agentsPerWorkerTask: 17 })
  t.match(tooBig.worker, { agentsPerTask: 16, tasks: 7, task: { vCpu: 16, memoryGiB: 32 } })
  t.ok(tooBig.warnings.some((w) => w.code === 'WORKER_TASK_TOO_LARGE'))
  const impossible = estimateServices({ agents: 1_000_000, workerProfile: 'performance', agentsPerWorkerTask: 16 })
  t.match(impossible.warnings.find((w) => w.code === 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX')?.message, /raise the maximum\.$/)
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
  t.match(row(0), { tableRow: { connections: 100, vCpu: 0.5 }, tasksOfTableRow: 1, autoscaled: { tasks: 2 }, bandwidthMbps: 0 })
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

t.test('broker tiers and EventBridge', async (t) => {
  const mq = (messagesPerSec: number, brokerConnections = 100) => estimateServices({ messagesPerSec, brokerConnections }).broker.amazonMq
  t.match(mq(1000), { instance: 'mq.t3.micro', brokers: 1 })
  t.match(mq(1001), { instance: 'mq.m5.large' })
  t.match(mq(10, 101), { instance: 'mq.m5.large' }, 'connections pick the tier too')
  t.match(mq(50_000), { instance: 'mq.m5.xlarge', brokers: 1 })
  t.match(mq(50_001), { instance: 'mq.m5.xlarge', brokers: 2 })
  t.match(mq(10, 20_000), { brokers: 4 })
  t.ok(estimateServices({ messagesPerSec: 50_001 }).warnings.some((w) => w.code === 'MQ_CAPACITY_EXCEEDED' && w.severity === 'critical'))
  const defaults = estimateServices().broker
  t.match(defaults.eventBridge, { fits: true, eventsPerDay: 1_000_000 }, 'the seed\'s 1M events/day')
  t.equal(estimateServices({ messagesPerSec: 10_000 }).broker.eventBridge.fits, true)
  t.equal(estimateServices({ messagesPerSec: 10_001 }).broker.eventBridge.fits, false)
  t.equal(estimateServices({ messageSizeKB: 257 }).broker.eventBridge.fits, false)
  t.ok(estimateServices({ messageSizeKB: 257 }).warnings.some((w) => w.code === 'EVENTBRIDGE_UNSUITABLE'))
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
