import t from 'tap'
import type { Series, SeriesByMetric } from '../../../src/prometheus/series.js'
import { AETERNA_CALIBRATION_ASSUMPTIONS, AETERNA_METRICS, ALERT_FIELDS, calibrateAeterna } from '../../../src/models/aeterna/calibrate.js'
import { estimateAeterna } from '../../../src/models/aeterna/recommend.js'
import { TIERS } from '../../../src/models/aeterna/tiers.js'

/** 2025-01-01T00:00:00Z */
const T0 = 1_735_689_600

function series (labels: Record<string, string>, values: number[], step = 60): Series {
  return { labels, points: values.map((value, index) => [T0 + index * step, value]) }
}
const pod = (name: string) => ({ instance: name, pod: name })

/**
 * Three samples a minute apart; the worst series at each timestamp, by hand:
 * CPU: pods a 60/72/50, b 40/65/80 -> 60, 72, 80: peak 80, average 70.67
 * memory 70/78/76: peak 78, average 74.67; storage 71/72/73: peak 73, average 72
 * p99 150/250/180 ms: peak 250, average 193.33; IOPS 1500/2100/1800: peak 2100; lag 10/20/30 ms: peak 30
 */
function mediumLoad (): SeriesByMetric {
  return {
    [AETERNA_METRICS.cpuUtilizationPercent]: [series(pod('a'), [60, 72, 50]), series(pod('b'), [40, 65, 80])],
    [AETERNA_METRICS.memoryUtilizationPercent]: [series(pod('a'), [70, 78, 76])],
    [AETERNA_METRICS.storageUsedPercent]: [series(pod('a'), [71, 72, 73])],
    [AETERNA_METRICS.p99LatencyMs]: [series(pod('a'), [150, 250, 180])],
    [AETERNA_METRICS.diskIops]: [series(pod('a'), [1500, 2100, 1800])],
    [AETERNA_METRICS.replicationLagMs]: [series(pod('a'), [10, 20, 30])]
  }
}

t.test('the metric names are the service\'s, one per seed 000 Key Metric', async (t) => {
  t.same(Object.values(AETERNA_METRICS), [
    'aeterna_cpu_utilization_percent', 'aeterna_memory_utilization_percent', 'aeterna_storage_used_percent',
    'aeterna_query_latency_p99_ms', 'aeterna_disk_iops', 'aeterna_replication_lag_ms'
  ])
  t.same(Object.values(ALERT_FIELDS).sort(), Object.keys(TIERS.small.alerts).sort(), 'every alert of the table, once')
})

t.test('observed peaks and averages, the medium tier\'s alerts on the peaks', async (t) => {
  const report = calibrateAeterna({ series: mediumLoad(), tier: 'medium', memoryCount: 50_000 })
  t.same(report.observed.cpuUtilizationPercent, { peak: 80, average: 70.6666666666667, latest: 80, samples: 3 })
  t.same(report.observed.storageUsedPercent, { peak: 73, average: 72, latest: 73, samples: 3 })
  t.equal(report.observed.p99LatencyMs?.average, 193.333333333333)
  t.same(report.currentTier, { tier: 'medium', source: 'request' })
  // medium: CPU > 70, memory > 80, IOPS > 2000, storage > 75, p99 > 200, lag > 50
  t.same(report.alerts.map((a) => [a.alert, a.threshold, a.observed, a.breached]), [
    ['cpuPercent', 70, 80, true], ['memoryPercent', 80, 78, false], ['storageUsedPercent', 75, 73, false],
    ['p99LatencyMs', 200, 250, true], ['diskIops', 2000, 2100, true], ['replicationLagMs', 50, 30, false]
  ])
  t.same(report.warnings.filter((w) => w.code === 'ALERT_THRESHOLD_BREACHED').map((w) => w.message), [
    'aeterna_cpu_utilization_percent: the peak 80 % is above the medium tier\'s alert threshold (> 70 %, seed 000 Key Metrics to Watch).',
    'aeterna_query_latency_p99_ms: the peak 250 ms is above the medium tier\'s alert threshold (> 200 ms, seed 000 Key Metrics to Watch).',
    'aeterna_disk_iops: the peak 2,100 IOPS is above the medium tier\'s alert threshold (> 2,000 IOPS, seed 000 Key Metrics to Watch).'
  ])
  t.same(report.window, { start: T0, end: T0 + 120, stepSeconds: 60, coverageDays: 0.00208333333333333, coversObservationDays: false })
  t.same(report.instances, ['a', 'b'])
  t.match(report.warnings.find((w) => w.code === 'SEVERAL_INSTANCES'), { message: /2 instances \("a", "b"\): each figure is the worst/ })
})

t.test('the scale-up triggers on the averages, through /estimate/aeterna\'s code', async (t) => {
  const report = calibrateAeterna({ series: mediumLoad(), tier: 'medium', memoryCount: 50_000 })
  // averages: CPU 70.67 (not > 75), memory 74.67 (not > 80), p99 193.33 (not > 200), storage 72 (> 70: medium -> large)
  t.same(report.loadSignals, { cpuUtilizationPercent: 70.6666666666667, memoryUtilizationPercent: 74.6666666666667, p99LatencyMs: 193.333333333333, storageUsedPercent: 72 })
  t.match(report.recommendation, { tier: 'large', direction: 'up', note: 'Scale up from medium to large: see the reasons.' })
  t.same(report.recommendation.reasons.map((r) => [r.tier, r.observed]), [['medium', 50_000], ['large', 72]])
  t.match(report.recommendation.reasons[1], { trigger: /storage > 70% full/ })
  const same = estimateAeterna({ memoryCount: 50_000, ...report.loadSignals })
  t.same(report.recommendation.reasons, same.reasons)
  t.same(report.recommendation.tierSummary, same.tierSummary)
  t.same(report.recommendation.inputs, same.inputs)
  // the p99 peak of 250 breaches the alert, yet its average 193 meets no trigger: peaks for alerts, averages for triggers
  t.match(report.assumptions.find((a) => a.name === 'alertVsTrigger'), { note: /SEED_INCONSISTENCY/ })
})

t.test('no tier given: the workload sets the current tier; the small tier\'s thresholds', async (t) => {
  // 500 memories: small. CPU 80/80/80: alert > 80 not breached at 80; trigger > 75 met on the average: medium
  const report = calibrateAeterna({ series: { [AETERNA_METRICS.cpuUtilizationPercent]: [series({}, [80, 80, 80])] }, memoryCount: 500 })
  t.same(report.currentTier, { tier: 'small', source: 'workload' })
  t.match(report.alerts[0], { threshold: 80, observed: 80, breached: false })
  t.match(report.recommendation, { tier: 'medium', direction: 'up' })
  t.match(report.recommendation.reasons, [{ tier: 'medium', trigger: /CPU consistently > 75%/, observed: 80 }])
  t.same(report.alerts.slice(1).map((a) => a.breached), [null, null, null, null, null], 'not measured: neither breached nor clear')
  t.same(report.instances, [''])
  t.notOk(report.warnings.some((w) => w.code === 'WORKLOAD_DEFAULTED'))
})

t.test('nothing measured: every metric missing, the request alone sets the tier', async (t) => {
  const large = calibrateAeterna({ series: {}, tier: 'large' })
  t.same(large.missing.map((m) => m.reason), ['absent', 'absent', 'absent', 'absent', 'absent', 'absent'])
  t.equal(large.warnings.filter((w) => w.code === 'METRIC_MISSING').length, 6)
  t.match(large.warnings.find((w) => w.code === 'WORKLOAD_DEFAULTED'), { message: /the large tier's lowest count \(100,001\) is used/ })
  t.match(large.recommendation, { tier: 'large', direction: 'same', note: 'Stay at large.' })
  t.same(large.loadSignals, {})
  t.same(large.window, { start: null, end: null, stepSeconds: null, coverageDays: 0, coversObservationDays: false })
  t.same(large.inputs, { tier: 'large', seriesCounts: {} })
  const none = calibrateAeterna({ series: {} })
  t.match(none.warnings.find((w) => w.code === 'WORKLOAD_DEFAULTED'), { message: /No memoryCount \(no metric shows it\): 0 is used/ })
  t.same(none.currentTier, { tier: 'small', source: 'workload' })
})

t.test('a tier above what the workload needs: no scale-down trigger in the seed', async (t) => {
  const report = calibrateAeterna({ series: {}, tier: 'large', memoryCount: 10 })
  t.match(report.recommendation, { tier: 'small', direction: 'down', note: /below the large tier deployed; seed 000 gives scale-up triggers only/ })
})

t.test('bad samples: percentages over 100 read as 100, NaN and negatives left out, HA and tenancy passed on', async (t) => {
  const report = calibrateAeterna({
    series: {
      [AETERNA_METRICS.memoryUtilizationPercent]: [series({}, [101, NaN, 90])],
      [AETERNA_METRICS.replicationLagMs]: [series({}, [-1, 500])],
      [AETERNA_METRICS.diskIops]: [series({}, [NaN])]
    },
    memoryCount: 10,
    concurrentUsers: 5,
    requireHA: true,
    multiTenant: false
  })
  t.same(report.observed.memoryUtilizationPercent, { peak: 100, average: 95, latest: 90, samples: 2 })
  t.same(report.observed.replicationLagMs, { peak: 500, average: 500, latest: 500, samples: 1 }, 'IOPS and lag have no ceiling')
  t.match(report.missing, [{ metric: AETERNA_METRICS.cpuUtilizationPercent, reason: 'absent' }, { metric: AETERNA_METRICS.storageUsedPercent }, { metric: AETERNA_METRICS.p99LatencyMs }, { metric: AETERNA_METRICS.diskIops, reason: 'no-valid-samples' }])
  t.ok(report.warnings.some((w) => w.code === 'OBSERVED_VALUE_CLAMPED'))
  t.equal(report.warnings.filter((w) => w.code === 'INVALID_SAMPLES').length, 3)
  // HA required: medium (seed 000: need for HA/multi-replica); memory average 95 > 80 is a small -> medium trigger, so medium stays medium
  t.same(report.currentTier, { tier: 'medium', source: 'workload' })
  t.match(report.recommendation, { tier: 'medium', direction: 'same' })
  t.match(report.inputs, { memoryCount: 10, concurrentUsers: 5, requireHA: true, multiTenant: false })
})

t.test('assumptions', async (t) => {
  const report = calibrateAeterna({ series: {} })
  t.same(report.assumptions, AETERNA_CALIBRATION_ASSUMPTIONS)
  t.match(report.assumptions.find((a) => a.name === 'seriesNames'), { note: /SEED_INCONSISTENCY.*kube_pod_container_memory_usage_bytes/ })
  t.match(report.assumptions.find((a) => a.name === 'triggerStatistic'), { unit: 'average', source: /consistently > 75%/ })
})
