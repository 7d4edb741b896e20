// Shapes and arithmetic helpers shared by every model. No I/O, no fastify.

export type Severity = 'info' | 'warning' | 'critical'

/**
 * Every warning code a plan can carry, by model: the OpenAPI document lists them as an enum, and a
 * code not listed here does not compile.
 */
export const WARNING_CODES = [
  // shared
  'SEED_INCONSISTENCY',
  // Engram capacity (seed 004)
  'COMPACTION_OVER_ONE_CORE', 'EVEN_CORE_COUNT', 'HORIZONTAL_SCALING', 'MAX_USEFUL_CORES_EXCEEDED', 'NUMA_AWARE_ALLOCATION',
  'SHARD_HOT_TIER', 'THROUGHPUT_NEEDS_INSTANCES', 'WAL_DOMINATES_STORAGE', 'WARM_TIER_CAPPED',
  // Engram scaling, performance, forecast, generated files
  'CPU_CAP_REACHED', 'LATENCY_NOT_CPU_BOUND', 'NO_METRICS',
  'LATENCY_FLOORED', 'MODEL_EXTRAPOLATED', 'RTO_EXCEEDED', 'TARGET_ABOVE_SINGLE_INSTANCE',
  'GROWTH_CAPPED', 'THRESHOLD_ALREADY_CROSSED', 'THRESHOLD_CROSSING', 'TOO_FEW_OBSERVATIONS',
  'LIMIT_METRICS_REQUIRED', 'PLAN_TOTALS_DIVIDED',
  'HPA_MAX_AT_MIN', 'HPA_MEMORY_METRIC_STATEFUL', 'HPA_MIN_BELOW_PLAN', 'HPA_SCALE_DOWN_STATEFUL', 'HPA_TARGETS_DEPLOYMENT',
  // MisterSmith Aurora (seed 001) and ECS services (seed 003)
  'ACU_ABOVE_AWS_LIMIT', 'ACU_ABOVE_ENVIRONMENT_MAX', 'AURORA_CONFIGURATION', 'AURORA_VOLUME_ABOVE_LIMIT', 'AGENTS_OUTSIDE_ENVIRONMENT', 'AVERAGE_ACU_ABOVE_PEAK', 'AVERAGE_ACU_OUTSIDE_RANGE',
  'AWS_MAX_CONNECTIONS_EXCEEDED', 'BACKUP_STORAGE_FREE_ALLOWANCE', 'COMMITMENT_NOT_RESERVED', 'CONNECTIONS_OUTSIDE_ENVIRONMENT',
  'IOPS_ABOVE_BASELINE', 'IOPS_ABOVE_SEED_BURST', 'MAX_ACU_RAISED_FOR_PROXY', 'RDS_PROXY_MULTIPLEXING', 'RDS_PROXY_NO_AUTO_PAUSE', 'RDS_PROXY_PRICING',
  'GATEWAY_ABOVE_AUTOSCALING_MAX', 'WORKER_TASKS_ABOVE_AUTOSCALING_MAX', 'WORKER_TASK_TOO_LARGE',
  'EVENTBRIDGE_UNSUITABLE', 'FARGATE_ROUNDED', 'MQ_CAPACITY_EXCEEDED', 'MQ_CONNECTIONS_ABOVE_AWS_QUOTA', 'WORKER_PACKING',
  // Aeterna (seeds 000 and 002)
  'CLUSTER_ABOVE_TIER', 'LIMITS_EXCEED_CLUSTER', 'NOT_HIGHLY_AVAILABLE', 'QDRANT_PEERS_RAISED', 'REQUESTS_EXCEED_CLUSTER', 'VOLUME_ABOVE_LIMIT',
  // analyses
  'REPEATED_POINTS',
  // calibration against measured series (Engram seed 004, Aeterna seed 000)
  'ALERT_THRESHOLD_BREACHED', 'INCOMPLETE_TIMESTAMPS', 'INVALID_SAMPLES', 'METRIC_MISSING', 'MODEL_OUTSIDE_CRITERION',
  'OBSERVED_VALUE_CLAMPED', 'SEVERAL_INSTANCES', 'SHORT_WINDOW', 'WORKLOAD_DEFAULTED',
  // Engram layout (issue 28)
  'STORAGE_SPLIT_FOR_VOLUME_LIMIT', 'UNREPLICATED_SHARDS', 'WAL_ABOVE_SEED_TRIGGER', 'PLAN_SIZED_FOR_OTHER_GROWTH'
] as const

export type WarningCode = typeof WARNING_CODES[number]

export interface Warning {
  code: WarningCode
  severity: Severity
  message: string
}

export interface Assumption {
  name: string
  value: number
  unit: string
  source: string
  note?: string
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 }

/** Most severe first; equal severities keep the order they were found in. */
export function sortBySeverity (warnings: Warning[]): Warning[] {
  return [...warnings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
}

/** Float noise allowed around a whole number: 0.1 * 3 * 10 is 3.0000000000000004, one ulp above 3. */
const NOISE_ULPS = 8

/** Math.ceil that does not turn float noise above a whole number into one more unit. */
export function ceilClean (value: number): number {
  const whole = Math.round(value)
  return Math.abs(value - whole) <= NOISE_ULPS * Number.EPSILON * Math.abs(value) ? whole : Math.ceil(value)
}

export function nextEven (value: number): number {
  const whole = ceilClean(value)
  return whole % 2 === 0 ? whole : whole + 1
}

/** A finite non-negative number as an exact decimal fraction: digits / 10^scale. */
function decimalParts (value: number): { digits: bigint, scale: number } {
  const [mantissa, exponentText] = value.toString().split('e')
  const exponent = exponentText === undefined ? 0 : Number(exponentText)
  const [whole, fraction = ''] = mantissa.split('.')
  const scale = fraction.length - exponent
  const digits = BigInt(whole + fraction)
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 }
}

/**
 * floor(count * factor * multiplier) computed exactly in decimal, as bc does with the number the
 * client typed: binary floating point gives floor(0.29 * 100) = 28.
 */
export function floorProduct (count: number, factor: number, multiplier = 1): number {
  // the float product is off the true one by a few ulps: unless an integer lies that close, its
  // floor is the exact floor (and below 2^53 every integer is a float), so BigInt only near one
  const product = count * factor * multiplier
  if (product < Number.MAX_SAFE_INTEGER && Math.abs(product - Math.round(product)) > NOISE_ULPS * Number.EPSILON * product) return Math.floor(product)
  return exactFloorProduct(count, factor, multiplier)
}

/** floorProduct in exact decimal arithmetic, always. */
export function exactFloorProduct (count: number, factor: number, multiplier = 1): number {
  const { digits, scale } = decimalParts(factor)
  const product = BigInt(count) * digits * BigInt(multiplier)
  return Number(product / 10n ** BigInt(scale))
}

/** Strips binary noise from a decimal result (0.0432 * 1000 * 12 + 10 = 4898.799999999999 -> 4898.8). */
export function decimalClean (value: number): number {
  // a whole number below 10^15 has no noise to strip and survives 15 significant digits unchanged
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return value
  return Number(value.toPrecision(15))
}

/** Rounds to whole cents, half up, without binary noise (693.935 -> 693.94). */
export function roundCents (usd: number): number {
  return Math.round(decimalClean(usd * 100)) / 100
}

/** The smallest multiple of step at or above value. */
export function ceilToStep (value: number, step: number): number {
  return ceilClean(value / step) * step
}

const numberFormats = new Map<string, Intl.NumberFormat>()

/**
 * en-US grouping with a fixed number of decimals (2,167.5). Formatters are cached: building an
 * Intl.NumberFormat costs tens of microseconds, more than a whole estimate.
 */
export function formatNumber (value: number, maximumFractionDigits = 0, minimumFractionDigits = 0): string {
  const key = `${maximumFractionDigits}:${minimumFractionDigits}`
  let format = numberFormats.get(key)
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits, minimumFractionDigits })
    numberFormats.set(key, format)
  }
  return format.format(value)
}

/**
 * A row of a range table, by its lower bound. Seed tables write ranges that share their ends
 * ("1-10GB", "10-100GB"; "50-70%", "70-85%") and bounds that only one row holds ("<1GB", ">85%").
 */
export interface RangeRow {
  /** the row's lower bound */
  from: number
  /** false where the row is written ">from": the bound belongs to the row below */
  fromInclusive: boolean
}

/**
 * The one boundary rule of every range table and decision matrix: a value on a bound shared by two
 * rows takes the higher row; a bound that only one row holds (written "<x" or ">x") stays there.
 * Rows ascend by `from`; a value below the first row takes the first.
 */
export function rangeRowIndex (value: number, rows: readonly RangeRow[]): number {
  for (let index = rows.length - 1; index > 0; index--) {
    const { from, fromInclusive } = rows[index]
    if (value > from || (fromInclusive && value === from)) return index
  }
  return 0
}
