// Memory as a budget (issue 29, point 2): the service knows its limit (MEMORY_LIMIT_BYTES, else the
// container's cgroup limit, else the host's memory), sheds on resident set size below it by default,
// gives each worker thread a V8 heap limit that keeps all of them under it, and reserves an estimate
// of each request body's memory before reading it, refusing what would not fit.
import { readFileSync } from 'node:fs'
import { totalmem } from 'node:os'
import type { Config } from '../config.js'

const MiB = 1_048_576

/** cgroup v2's limit of the container (`max`: none), then cgroup v1's. */
export const CGROUP_V2_LIMIT_FILE = '/sys/fs/cgroup/memory.max'
export const CGROUP_V1_LIMIT_FILE = '/sys/fs/cgroup/memory/memory.limit_in_bytes'
/**
 * cgroup v1 writes "no limit" as the largest page-aligned 64-bit value (9223372036854771712); anything
 * above a pebibyte is that, not a container's limit.
 */
const UNLIMITED_ABOVE_BYTES = 2 ** 50

/** A cgroup limit file's content as bytes; undefined for `max`, a "no limit" value or anything unreadable as a number. */
export function parseCgroupLimit (text: string): number | undefined {
  const value = text.trim()
  if (!/^\d+$/.test(value)) return undefined
  const bytes = Number(value)
  return bytes > 0 && bytes < UNLIMITED_ABOVE_BYTES ? bytes : undefined
}

export type ReadText = (path: string) => string

const readText: ReadText = (path) => readFileSync(path, 'utf8')

/** The container's memory limit from cgroup v2, else v1; undefined outside a limited cgroup (or where neither file is). */
export function cgroupMemoryLimitBytes (read: ReadText = readText): number | undefined {
  for (const file of [CGROUP_V2_LIMIT_FILE, CGROUP_V1_LIMIT_FILE]) {
    let text: string
    try {
      text = read(file)
    } catch {
      continue
    }
    return parseCgroupLimit(text)
  }
  return undefined
}

export interface MemoryLimit {
  bytes: number
  /** Where it came from: `setting` (MEMORY_LIMIT_BYTES), `cgroup` (the container), `host` (the machine's memory: no container limit). */
  source: 'setting' | 'cgroup' | 'host'
}

/**
 * MEMORY_LIMIT_BYTES when set, else the container's cgroup limit, else the host's memory (a
 * developer's machine, a VM without a container limit): shedding at a share of it is harmless and
 * still stops the process before the kernel's OOM killer does.
 */
export function memoryLimit (config: Pick<Config, 'MEMORY_LIMIT_BYTES'>, read: ReadText = readText, hostBytes = totalmem()): MemoryLimit {
  if (config.MEMORY_LIMIT_BYTES > 0) return { bytes: config.MEMORY_LIMIT_BYTES, source: 'setting' }
  const cgroup = cgroupMemoryLimitBytes(read)
  return cgroup === undefined ? { bytes: hostBytes, source: 'host' } : { bytes: cgroup, source: 'cgroup' }
}

/**
 * RSS-based shedding starts at this share of the limit when MAX_RSS_BYTES is not set: the rest is
 * headroom for what is already admitted (a request reserved before RSS rises) and for the kernel's
 * own accounting of the container (page cache counts towards a cgroup's limit).
 */
export const DEFAULT_RSS_SHARE = 0.85

/** MAX_RSS_BYTES, or DEFAULT_RSS_SHARE of the limit. */
export function maxRssBytes (config: Pick<Config, 'MAX_RSS_BYTES'>, limit: MemoryLimit): number {
  return config.MAX_RSS_BYTES > 0 ? config.MAX_RSS_BYTES : Math.floor(limit.bytes * DEFAULT_RSS_SHARE)
}

/**
 * The share of the limit all worker heaps together may take: the main thread (its heap, the bodies it
 * holds, the answers it streams) and each worker's code and buffers outside its heap need the rest.
 * Measured on an idle service: 160 MiB RSS with one worker, of which the worker's heap is about 30 MiB.
 */
export const WORKER_HEAP_SHARE = 0.5
/** A worker builds the whole app (about 30 MiB of heap at rest): below this it could not even start. */
export const MIN_WORKER_OLD_GENERATION_MIB = 64
/** Young generation (semi-spaces) per worker: V8's default on 64-bit; the old generation is what grows with a request. */
export const WORKER_YOUNG_GENERATION_MIB = 16

export interface WorkerHeapLimits { maxOldGenerationSizeMb: number, maxYoungGenerationSizeMb: number }

/** Each worker's heap limits: WORKER_HEAP_SHARE of the memory limit split between the threads, never under the minimum. */
export function workerHeapLimits (limitBytes: number, threads: number): WorkerHeapLimits {
  const perWorkerMiB = Math.floor(limitBytes * WORKER_HEAP_SHARE / threads / MiB) - WORKER_YOUNG_GENERATION_MIB
  return { maxOldGenerationSizeMb: Math.max(MIN_WORKER_OLD_GENERATION_MIB, perWorkerMiB), maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MIB }
}

/**
 * Memory a request body takes while it is read, parsed and answered, per byte of body, by media type:
 * the largest measured on a fresh service (peak RSS growth over one body of about a megabyte to
 * /validate/aeterna, docs/operations.md "Memory"), rounded up. YAML: 19,000 long keys 113 (their 13
 * MB answer lists each), a megabyte string 33, keys past the value limit (refused) 21, `!!binary` 3
 * (not decoded); JSON: 19,000 long keys 95, a megabyte of numbers 36, a string 5. Other types are
 * refused (415) after reading: the bytes themselves, twice (read, then forwarded).
 */
export const BODY_MEMORY_FACTOR = { yaml: 128, json: 96, other: 2 } as const

const YAML_TYPE = /^(application\/(x-)?yaml|text\/yaml)\b/i
const JSON_TYPE = /^application\/([\w.+-]*\+)?json\b/i

/** The memory a body of `bytes` of this Content-Type is expected to take. */
export function bodyMemoryBytes (contentType: string | undefined, bytes: number): number {
  const type = contentType ?? 'application/json' // fastify reads a body without a type as JSON when the route takes one
  const factor = YAML_TYPE.test(type) ? BODY_MEMORY_FACTOR.yaml : JSON_TYPE.test(type) ? BODY_MEMORY_FACTOR.json : BODY_MEMORY_FACTOR.other
  return bytes * factor
}

export interface MemoryState {
  /** Where RSS-based shedding starts (maxRssBytes). */
  maxRssBytes: number
  /** RSS at the last sample. */
  rssBytes: number
  /** Estimates of the requests admitted and not yet answered. */
  reservedBytes: number
  /** RSS when the service became ready: what is left of the budget with nothing in flight. */
  idleRssBytes: number
}

/**
 * `fits`; `busy` (503 MEMORY_BUSY: it would fit once the requests in flight are answered); `never`
 * (413: more than the whole budget of an idle service).
 */
export function memoryAdmission (estimateBytes: number, state: MemoryState): 'fits' | 'busy' | 'never' {
  if (estimateBytes > state.maxRssBytes - state.idleRssBytes) return 'never'
  return estimateBytes > state.maxRssBytes - state.rssBytes - state.reservedBytes ? 'busy' : 'fits'
}
