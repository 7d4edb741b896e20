// Upstream Engram's scripts/estimate_capacity.sh (orchard9/engram @ be5818a, 2025-10-29; its 7th
// argument, workload_type, came in 78d702f) reproduced figure for figure. The arithmetic follows bc:
// decimal numbers whose scale (digits after the point) decides where each product and quotient is
// truncated, so every figure equals the script's, including its rounding at the 20th decimal
// (total cores 5/3 is 1.66666666666666666666 there: x 1.5 + 0.5 stays below 3, where floats give 3).
// test/fixtures/engram-upstream-script.json holds the script's own figures (see
// docs/upstream-engram-script.md); capacity.ts is seed 004's script, corrected.
//
// How upstream's script differs from seed 004's (capacity.ts):
// - workload profiles: write/read ratios and WAL, CPU and memory multipliers (mixed when unknown);
// - spreading cores from reads only (ops x readRatio / 2500), the seed from every operation;
// - consolidation cores x writeRatio;
// - (spreading + consolidation + API) x CPU multiplier, then + 1 system core;
// - total memory x memory multiplier;
// - WAL from writes only (ops x writeRatio) x WAL multiplier, the seed from every operation;
// - temporary/compaction space, 10% of warm + cold data, added to the storage total;
// - recommended cores rounded half up and put on a NUMA ladder (2/4/8/16/32, then multiples of 32);
//   the seed prints total x 1.5 unrounded;
// - recommended storage rounded half up (the seed prints it unrounded); recommended memory is
//   truncated in both (upstream adds 0.5 after bc has already truncated the division at scale 0);
// - storage IOPS (writes x 1.5 for the WAL, reads x 0.3 cache misses), which the seed's script has not;
// - network: 512-byte requests and 4,096-byte responses in MiB/s, a 4-hour backup of the whole
//   storage, peak = 1.5 x client + backup, and a link in "Gbps"; the seed's script has no network.
// Both keep the warm tier at 3x hot without a cap, so the cold tier goes negative above activeRatio
// 0.25; the figures are returned as the script's, with an issue for the caller to warn about.
import type { EngramInput } from './capacity.js'
import * as C from './constants.js'

const UPSTREAM = 'orchard9/engram scripts/estimate_capacity.sh @ be5818a (2025-10-29)'
const WORKLOAD = `${UPSTREAM}, workload_type`

export const WORKLOAD_TYPES = ['write-heavy', 'read-heavy', 'analytical', 'mixed'] as const
export type WorkloadType = typeof WORKLOAD_TYPES[number]

/** A figure of the script, with its literal: bc keeps the literal's decimals ("1.0") as its scale. */
export interface UpstreamConstant extends C.SeedConstant {
  readonly literal: string
}

const constant = (literal: string, unit: string, source: string): UpstreamConstant =>
  ({ value: Number(literal), literal, unit, source })

export interface WorkloadProfile {
  readonly writeRatio: UpstreamConstant
  readonly readRatio: UpstreamConstant
  readonly walMultiplier: UpstreamConstant
  readonly cpuMultiplier: UpstreamConstant
  readonly memoryMultiplier: UpstreamConstant
}

const profile = (write: string, read: string, wal: string, cpu: string, memory: string): WorkloadProfile => ({
  writeRatio: constant(write, 'fraction of ops', WORKLOAD),
  readRatio: constant(read, 'fraction of ops', WORKLOAD),
  walMultiplier: constant(wal, 'factor', WORKLOAD),
  cpuMultiplier: constant(cpu, 'factor', WORKLOAD),
  memoryMultiplier: constant(memory, 'factor', WORKLOAD)
})

export const WORKLOAD_PROFILES: Readonly<Record<WorkloadType, WorkloadProfile>> = {
  'write-heavy': profile('0.8', '0.2', '1.5', '0.9', '1.2'),
  'read-heavy': profile('0.2', '0.8', '0.5', '1.3', '1.0'),
  analytical: profile('0.1', '0.9', '0.3', '1.8', '1.5'),
  mixed: profile('0.4', '0.6', '1.0', '1.0', '1.0')
}

// Figures only upstream's script has (the others are seed 004's, in constants.ts).
export const TEMP_SPACE_RATIO = constant('0.1', 'fraction of warm + cold data', `${UPSTREAM} (TEMP_SPACE)`)
export const WRITE_IOPS_FACTOR = constant('1.5', 'IOPS per write', `${UPSTREAM} (WRITE_IOPS: 1.5x for WAL overhead)`)
export const READ_IOPS_FACTOR = constant('0.3', 'IOPS per read', `${UPSTREAM} (READ_IOPS: 30% cache miss rate)`)
export const REQUEST_BYTES = constant('512', 'bytes', `${UPSTREAM} (AVG_REQUEST_SIZE)`)
export const RESPONSE_BYTES = constant('4096', 'bytes', `${UPSTREAM} (AVG_RESPONSE_SIZE, includes embeddings)`)
export const BACKUP_WINDOW_SECONDS = constant('14400', 's', `${UPSTREAM} (BACKUP_BANDWIDTH: 3600 * 4, 4-hour window)`)
export const NUMA_STEPS_CORES = [2, 4, 8, 16, 32] as const // then the next multiple of the last

// bc -l: every quotient keeps 20 decimals
const BC_SCALE = 20

/** A bc number: digits / 10^scale. */
interface Bc { digits: bigint, scale: number }

const pow10 = (n: number): bigint => 10n ** BigInt(n)

/** A number as bc reads it typed in plain decimals: 0.15 has scale 2 (1e+21 is read as its 22 digits). */
function bc (value: number | string): Bc {
  const [mantissa, exponentText = '0'] = String(value).split('e')
  const [whole, fraction = ''] = mantissa.split('.')
  const scale = fraction.length - Number(exponentText)
  const digits = BigInt(whole + fraction)
  return scale >= 0 ? { digits, scale } : { digits: digits * pow10(-scale), scale: 0 }
}

const at = (x: Bc, scale: number): bigint => x.digits * pow10(scale - x.scale)
const isZero = (x: Bc): boolean => x.digits === 0n

function add (...terms: Bc[]): Bc {
  const scale = Math.max(...terms.map((x) => x.scale))
  return { digits: terms.reduce((sum, x) => sum + at(x, scale), 0n), scale }
}

const sub = (a: Bc, b: Bc): Bc => add(a, { digits: -b.digits, scale: b.scale })

/** bc's product: min(scale a + scale b, max(scale, scale a, scale b)) decimals, truncated. */
function mul (a: Bc, b: Bc, scale = BC_SCALE): Bc {
  const full = a.scale + b.scale
  const kept = Math.min(full, Math.max(scale, a.scale, b.scale))
  return { digits: a.digits * b.digits / pow10(full - kept), scale: kept }
}

/** bc's quotient: `scale` decimals, truncated (the one divisor that can be 0 is checked first). */
function div (a: Bc, b: Bc, scale = BC_SCALE): Bc {
  return { digits: a.digits * pow10(scale + b.scale) / (b.digits * pow10(a.scale)), scale }
}

/** The script keeps bc's printed text: zero prints as "0", which reads back with scale 0. */
const printed = (x: Bc): Bc => isZero(x) ? { digits: 0n, scale: 0 } : x

/**
 * `| cut -d. -f1`: the whole part. bc prints 0 < |x| < 1 as ".5" or "-.5", which cut leaves
 * empty (or "-"): undefined, a value later bc expressions fail on.
 */
function cut (x: Bc): Bc | undefined {
  const whole = { digits: x.digits / pow10(x.scale), scale: 0 }
  return isZero(whole) && !isZero(x) ? undefined : whole
}

/** The nearest float to the decimal (Number parses decimal text correctly rounded). */
const num = (x: Bc): number => Number(`${x.digits}e-${x.scale}`)
const lit = (c: C.SeedConstant | UpstreamConstant): Bc => bc('literal' in c ? c.literal : c.value)
const ZERO = bc(0)

/** The script's six numeric arguments are the seed's ($1..$6, same defaults). */
type ScriptArguments = 'expectedNodes' | 'activeRatio' | 'edgesPerNode' | 'opsPerSec' | 'retentionDays' | 'consolidationIntervalSec'

export interface UpstreamScriptInput extends Pick<EngramInput, ScriptArguments> {
  /** The script's 7th argument, as typed: any other text than the four types gets the mixed profile. */
  workloadType: string
}

export type UpstreamScriptIssueCode =
  | 'EMPTY_TRUNCATION' | 'DIVISION_BY_ZERO' | 'NEGATIVE_COLD_TIER' | 'NO_NODES' | 'NOT_AN_INTEGER'

export interface UpstreamScriptIssue {
  code: UpstreamScriptIssueCode
  /** The script's own figures are not numbers (bc failed on them): the ones returned are not the script's. */
  breaksFigures: boolean
  /** The script writes an error on stderr (it still exits 0: bc and printf failures do not stop it). */
  stderr: boolean
  message: string
}

export interface UpstreamScriptEstimate {
  inputs: UpstreamScriptInput
  /** The profile whose multipliers were applied. */
  profile: WorkloadType
  ratios: { write: number, read: number, walMultiplier: number, cpuMultiplier: number, memoryMultiplier: number }
  /** As the script truncates them; warm is 3x hot uncapped, so cold can be negative. */
  tiers: { hotNodes: number, warmNodes: number, coldNodes: number, totalEdges: number, hotEdges: number }
  /** MiB (the script's "MB" divides by 1048576); totalMiB includes the memory multiplier. */
  memory: { hotTierMiB: number, warmTierMiB: number, coldTierMiB: number, activationPoolMiB: number, runtimeMiB: number, totalMiB: number }
  cpu: { spreadingCores: number, consolidationCores: number, apiCores: number, systemCores: number, totalCores: number }
  /** GiB (the script's "GB" divides by 1073741824). */
  storage: { warmTierGiB: number, coldTierGiB: number, walGiB: number, snapshotsGiB: number, tempSpaceGiB: number, totalGiB: number }
  iops: { write: number, read: number, total: number }
  /** MiB/s (the script's "MB/s" divides by 1048576). */
  network: { clientMiBps: number, backupMiBps: number, peakMiBps: number }
  recommended: {
    /** round half up of totalCores x 1.5 */
    cores: number
    /** the printed "Recommended: N vCPUs (NUMA-aligned)" */
    numaAlignedCores: number
    /** the printed "Recommended: N GB (25% headroom)": totalMiB x 1.25 / 1024, truncated */
    memoryGiB: number
    /** the printed "Recommended: N GB (50% growth buffer)": totalGiB x 1.5, rounded half up */
    storageGiB: number
    /** the printed "Recommended: N Gbps link": trunc((peakMiBps x 8 + 999) / 1000), MiB taken for MB */
    linkGbps: number
  }
  /** No issue breaks the figures: they are the script's. */
  valid: boolean
  issues: UpstreamScriptIssue[]
}

const { expectedNodes, activeRatio, edgesPerNode, opsPerSec, retentionDays, consolidationIntervalSec } = C.ENGRAM_DEFAULTS
const SCRIPT_DEFAULTS: UpstreamScriptInput = { expectedNodes, activeRatio, edgesPerNode, opsPerSec, retentionDays, consolidationIntervalSec, workloadType: 'mixed' }

const isWorkloadType = (type: string): type is WorkloadType => (WORKLOAD_TYPES as readonly string[]).includes(type)

function numaAligned (cores: number): number {
  const step = NUMA_STEPS_CORES.find((s) => cores <= s)
  if (step !== undefined) return step
  const last = NUMA_STEPS_CORES[NUMA_STEPS_CORES.length - 1]
  return Math.trunc((cores + last - 1) / last) * last
}

/** Upstream's estimate_capacity.sh for these arguments (each defaults as the script's). */
export function upstreamScriptEstimate (partial: Partial<UpstreamScriptInput> = {}): UpstreamScriptEstimate {
  const inputs = { ...SCRIPT_DEFAULTS, ...partial }
  for (const [name, value] of Object.entries(inputs)) {
    if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`${name} must be a finite number, 0 or more (got ${value})`)
    }
  }
  const issues: UpstreamScriptIssue[] = []
  const broken: string[] = []
  /** A truncated count; an empty one is taken as 0 (bash's arithmetic would) and reported. */
  const count = (name: string, x: Bc): Bc => {
    const whole = cut(x)
    if (whole !== undefined) return whole
    broken.push(name)
    return ZERO
  }

  const type = isWorkloadType(inputs.workloadType) ? inputs.workloadType : 'mixed'
  const p = WORKLOAD_PROFILES[type]
  const [writeRatio, readRatio, walMultiplier, cpuMultiplier, memoryMultiplier] =
    [p.writeRatio, p.readRatio, p.walMultiplier, p.cpuMultiplier, p.memoryMultiplier].map(lit)
  const nodes = bc(inputs.expectedNodes)
  const ratio = bc(inputs.activeRatio)
  const edges = bc(inputs.edgesPerNode)
  const ops = bc(inputs.opsPerSec)
  const mib = bc(C.BYTES_PER_MIB)
  const gib = bc(C.BYTES_PER_GIB)
  const embedding = lit(C.EMBEDDING_BYTES)
  const nodeBytes = add(embedding, lit(C.NODE_METADATA_BYTES))

  // tiers
  const hot = count('hot nodes', mul(nodes, ratio))
  const warm = count('warm nodes', mul(mul(nodes, ratio), lit(C.WARM_TO_HOT_RATIO)))
  const cold = count('cold nodes', sub(sub(nodes, hot), warm))
  // TOTAL_EDGES is printed nowhere and used by nothing: an empty one breaks nothing
  const totalEdges = cut(mul(nodes, edges)) ?? ZERO
  const hotEdges = count('hot edges', mul(hot, edges))

  // memory, MiB; a variable of the script holds bc's printed text
  const quotient = (a: Bc, b: Bc): Bc => printed(div(a, b))
  const hotMiB = quotient(mul(add(mul(hot, nodeBytes), mul(hotEdges, lit(C.EDGE_OVERHEAD_BYTES))), lit(C.HASH_TABLE_OVERHEAD)), mib)
  const warmMiB = quotient(mul(mul(warm, embedding), lit(C.WARM_PREFETCH_RATIO)), mib)
  const bloomBytes = div(mul(cold, lit(C.BLOOM_FILTER_BITS_PER_NODE)), bc(8))
  const skipListBytes = div(mul(cold, lit(C.SKIP_LIST_ENTRY_BYTES)), lit(C.SKIP_LIST_NODES_PER_ENTRY))
  const coldMiB = quotient(add(bloomBytes, skipListBytes), mib)
  const poolMiB = quotient(mul(mul(ops, lit(C.CONCURRENT_ACTIVATION_RATIO)), lit(C.ACTIVATION_RECORD_BYTES)), mib)
  const runtimeMiB = lit(C.RUNTIME_OVERHEAD_MIB)
  const totalMiB = printed(mul(add(hotMiB, warmMiB, coldMiB, poolMiB, runtimeMiB), memoryMultiplier))

  // cpu, cores
  const spreading = quotient(mul(ops, readRatio), lit(C.SPREADING_OPS_PER_CORE))
  const interval = bc(inputs.consolidationIntervalSec)
  if (isZero(interval)) {
    issues.push({ code: 'DIVISION_BY_ZERO', breaksFigures: true, stderr: true, message: 'consolidationIntervalSec 0: bc divides by zero and the script\'s cores are empty (consolidation taken as 0 here)' })
  }
  const perInterval = isZero(interval) ? ZERO : div(mul(hot, writeRatio), interval)
  const consolidation = quotient(perInterval, lit(C.CONSOLIDATION_NODES_PER_CORE_SEC))
  const api = quotient(ops, lit(C.HTTP_REQUESTS_PER_CORE))
  const systemCores = lit(C.SYSTEM_CORES)
  const totalCores = printed(add(mul(add(spreading, consolidation, api), cpuMultiplier), systemCores))
  const half = bc('0.5')
  const recommendedCores = num(div(add(mul(totalCores, lit(C.HEADROOM_CORES), 0), half), bc(1), 0))

  // storage, GiB
  const warmGiB = quotient(mul(mul(warm, nodeBytes), lit(C.WARM_VERSION_RETENTION_FACTOR)), gib)
  const coldGiB = quotient(mul(mul(cold, embedding), lit(C.COLD_COMPRESSION_RATIO)), gib)
  const walBytes = [bc(C.SECONDS_PER_DAY), bc(inputs.retentionDays), lit(C.WAL_RECORD_BYTES), lit(C.WAL_SIZE_FACTOR), walMultiplier]
    .reduce((product, factor) => mul(product, factor), mul(ops, writeRatio))
  const walGiB = quotient(walBytes, gib)
  const dataGiB = add(warmGiB, coldGiB)
  const snapshotsGiB = printed(mul(mul(dataGiB, lit(C.SNAPSHOT_COUNT)), lit(C.SNAPSHOT_INCREMENT_RATIO)))
  const tempGiB = printed(mul(dataGiB, lit(TEMP_SPACE_RATIO)))
  const totalGiB = printed(add(warmGiB, coldGiB, walGiB, snapshotsGiB, tempGiB))

  // IOPS: an empty one (below 1) counts 0 in bash's $((...)), silently
  const writeIops = num(cut(mul(mul(ops, writeRatio), lit(WRITE_IOPS_FACTOR))) ?? ZERO)
  const readIops = num(cut(mul(mul(ops, readRatio), lit(READ_IOPS_FACTOR))) ?? ZERO)

  // network, MiB/s
  const clientMiBps = quotient(mul(add(lit(REQUEST_BYTES), lit(RESPONSE_BYTES)), ops), mib)
  const backupMiBps = quotient(mul(totalGiB, bc(1024)), lit(BACKUP_WINDOW_SECONDS))
  const peakMiBps = printed(add(mul(clientMiBps, lit(C.CLIENT_BANDWIDTH_PEAK_FACTOR)), backupMiBps))

  // the printed recommendations, each a `scale=0` bc expression
  const memoryGiB = div(add(div(mul(totalMiB, lit(C.HEADROOM_MEMORY), 0), bc(1024), 0), half), bc(1), 0)
  const storageGiB = div(add(mul(totalGiB, lit(C.HEADROOM_STORAGE), 0), half), bc(1), 0)
  const linkGbps = div(add(mul(peakMiBps, bc(8), 0), bc(999)), bc(1000), 0)

  if (broken.length > 0) {
    issues.push({ code: 'EMPTY_TRUNCATION', breaksFigures: true, stderr: true, message: `${broken.join(', ')} between 0 and 1: bc prints ".5", cut -d. -f1 leaves an empty string and the script's later bc expressions fail (taken as 0 here)` })
  }
  if (cold.digits < 0n) {
    issues.push({ code: 'NEGATIVE_COLD_TIER', breaksFigures: false, stderr: false, message: `activeRatio ${inputs.activeRatio} above 0.25: the script keeps the warm tier at 3x hot and reports ${num(cold)} cold nodes, with negative cold memory and storage` })
  }
  if (isZero(nodes)) {
    issues.push({ code: 'NO_NODES', breaksFigures: false, stderr: true, message: 'expectedNodes 0: the script\'s hot-tier share (hot x 100 / nodes) divides by zero in bc; the figures are unaffected' })
  }
  const fractional = (['expectedNodes', 'opsPerSec'] as const).filter((name) => !Number.isInteger(inputs[name]))
  if (fractional.length > 0) {
    issues.push({ code: 'NOT_AN_INTEGER', breaksFigures: false, stderr: true, message: `${fractional.join(', ')} not whole: the script's printf %'d rejects it; the figures are unaffected` })
  }

  return {
    inputs,
    profile: type,
    ratios: { write: p.writeRatio.value, read: p.readRatio.value, walMultiplier: p.walMultiplier.value, cpuMultiplier: p.cpuMultiplier.value, memoryMultiplier: p.memoryMultiplier.value },
    tiers: { hotNodes: num(hot), warmNodes: num(warm), coldNodes: num(cold), totalEdges: num(totalEdges), hotEdges: num(hotEdges) },
    memory: { hotTierMiB: num(hotMiB), warmTierMiB: num(warmMiB), coldTierMiB: num(coldMiB), activationPoolMiB: num(poolMiB), runtimeMiB: num(runtimeMiB), totalMiB: num(totalMiB) },
    cpu: { spreadingCores: num(spreading), consolidationCores: num(consolidation), apiCores: num(api), systemCores: num(systemCores), totalCores: num(totalCores) },
    storage: { warmTierGiB: num(warmGiB), coldTierGiB: num(coldGiB), walGiB: num(walGiB), snapshotsGiB: num(snapshotsGiB), tempSpaceGiB: num(tempGiB), totalGiB: num(totalGiB) },
    iops: { write: writeIops, read: readIops, total: writeIops + readIops },
    network: { clientMiBps: num(clientMiBps), backupMiBps: num(backupMiBps), peakMiBps: num(peakMiBps) },
    recommended: { cores: recommendedCores, numaAlignedCores: numaAligned(recommendedCores), memoryGiB: num(memoryGiB), storageGiB: num(storageGiB), linkGbps: num(linkGbps) },
    valid: !issues.some((issue) => issue.breaksFigures),
    issues
  }
}
