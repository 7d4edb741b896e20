import t from 'tap'
import { TOOL_PATHS, missingTools } from '../../tools.js'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import { estimateEngram } from '../../../src/models/engram/capacity.js'
import { ALERT_DEFAULTS, HPA_DEFAULTS, alertRules, horizontalPodAutoscaler, toYaml } from '../../../src/models/engram/generate.js'
import { PRESETS, presetByName } from '../../../src/models/engram/presets.js'

t.test('presets: the seed\'s profiles and use cases as inputs', async (t) => {
  t.same(PRESETS.map((p) => p.name), ['write-heavy', 'read-heavy', 'analytical', 'mixed', 'llm-memory-augmentation', 'knowledge-graph-queries', 'time-series-pattern-memory'])
  const llm = estimateEngram(presetByName('llm-memory-augmentation')?.inputs)
  t.equal(llm.tiers.hotNodes, 100_000_000, '100M hot nodes, as the seed')
  t.equal(llm.cpu.spreadingCores, 40, 'the seed\'s 40 cores are the spreading cores')
  t.ok(llm.memory.totalMiB > 300_000 * 1024 * 1e9 / 2 ** 30 / 1024, 'more than the seed\'s 300 GB')
  t.ok(llm.warnings.some((w) => w.code === 'MAX_USEFUL_CORES_EXCEEDED'))
  const timeSeries = estimateEngram(presetByName('time-series-pattern-memory')?.inputs)
  t.equal(timeSeries.tiers.hotNodes, 10_080_000_000)
  t.ok(timeSeries.warnings.some((w) => w.code === 'SHARD_HOT_TIER'))
  t.equal(estimateEngram(presetByName('knowledge-graph-queries')?.inputs).tiers.totalEdges, 1_000_000_000, '1B relationships')
  for (const preset of PRESETS) t.ok(preset.seedFigures.length >= 3 && preset.inputNotes.length >= 1, preset.name)
  t.equal(presetByName('nope'), undefined)
})

const promtoolMissing = missingTools('promtool')

t.test('generated rules are valid for promtool', { skip: promtoolMissing }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rules-'))
  const files = [
    ['defaults.yaml', alertRules(ALERT_DEFAULTS)],
    ['plan.yaml', alertRules({ ...ALERT_DEFAULTS, memoryLimitGiB: 123, storageLimitGiB: 97_803, cpuThresholdPercent: 65, cpuFor: '15m', storagePredictHours: 48 })]
  ] as const
  for (const [name, document] of files) {
    writeFileSync(join(dir, name), toYaml(document))
    const output = execFileSync(TOOL_PATHS.promtool, ['check', 'rules', join(dir, name)], { encoding: 'utf8' })
    t.match(output, 'SUCCESS: 3 rules found', name)
  }
})

t.test('generated rules carry the plan\'s limits', async (t) => {
  const rules = (alertRules({ ...ALERT_DEFAULTS, memoryLimitGiB: 2, storageLimitGiB: 3252 }) as { groups: Array<{ rules: Array<{ alert: string, expr: string, for: string }> }> }).groups[0].rules
  t.same(rules.map((r) => [r.alert, r.for]), [['ScaleUpCPURequired', '10m'], ['ScaleUpMemoryRequired', '5m'], ['ScaleUpStorageRequired', '30m']])
  t.match(rules[1].expr, '/ 2147483648) > 0.8')
  t.match(rules[2].expr, 'predict_linear(engram_storage_usage_bytes[6h], 86400) > 3491808411648 * 0.9')
  const seedRules = (alertRules(ALERT_DEFAULTS) as typeof rules extends never ? never : { groups: Array<{ rules: Array<{ expr: string }> }> }).groups[0].rules
  t.match(seedRules[1].expr, 'engram_memory_limit_bytes')
})

t.test('the HPA is valid against the Kubernetes autoscaling/v2 schema', async (t) => {
  // the stateful variant too: a StatefulSet target, no memory target, scale-down disabled (selectPolicy alone)
  const stateful = { ...HPA_DEFAULTS, targetKind: 'StatefulSet' as const, memoryMetric: false, scaleDownEnabled: false, minReplicas: 24, maxReplicas: 24 }
  for (const input of [HPA_DEFAULTS, { ...HPA_DEFAULTS, namespace: 'engram', minReplicas: 3, maxReplicas: 30, cpuUtilizationPercent: 65 }, stateful]) {
    const document = horizontalPodAutoscaler(input)
    t.doesNotThrow(() => { new HorizontalPodAutoscaler(document as never).validate() })
  }
  const seed = horizontalPodAutoscaler(HPA_DEFAULTS) as { spec: { minReplicas: number, maxReplicas: number, behavior: { scaleDown: { stabilizationWindowSeconds: number } } } }
  t.match(seed.spec, { minReplicas: 2, maxReplicas: 10, behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } })
  t.throws(() => { new HorizontalPodAutoscaler({ ...horizontalPodAutoscaler(HPA_DEFAULTS), spec: { maxReplicas: 'ten' } } as never).validate() }, 'the validator does reject a broken HPA')
})
