// The service under attack: `node dist/service/server.js` (what `npm start` and the image run),
// started fresh for each part on free loopback ports with the settings the part chooses, watched
// from outside (/proc for memory and CPU, /metrics as a fallback), and always killed when the suite
// ends, however it ends.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../test/free-port.js'
import { request } from './http.js'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const SERVER_ENTRY = 'dist/service/server.js'
/** Longest a fresh service may take to say it is ready (warm-up included) on a busy 2-core machine. */
const START_TIMEOUT_MS = 60_000
/** Lines of the service's own output kept for a part's notes when something goes wrong. */
const LOG_TAIL_LINES = 20

export interface Service {
  child: ChildProcess
  pid: number
  port: number
  metricsPort: number
  url: string
  env: Record<string, string>
  /** The last lines the service wrote (its pino log and stderr). */
  logTail: () => string[]
  exited: () => boolean
  stop: () => Promise<void>
}

const running = new Set<ChildProcess>()

/** Every service still running is killed when the suite exits (normally, by an error or by a signal). */
function killAll (): void {
  for (const child of running) child.kill('SIGKILL')
}
process.on('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => { killAll(); process.exit(130) })
}

/**
 * Settings every service gets from CHAOS_ENV ("NAME=value NAME=value"), over the part's own: for
 * settings a later version adds (a memory limit, say) without editing the suite.
 */
export function extraEnv (text = process.env.CHAOS_ENV ?? ''): Record<string, string> {
  return Object.fromEntries(text.split(/[\s,]+/).filter((pair) => pair.includes('=')).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
}

/**
 * CHAOS_PIN=1 (with taskset): the service on core 1, the suite's processes on core 0, as `npm run
 * bench` does. Off by default: pinned, the service's worker threads share one core with its main
 * thread, which is not how it runs (nor how the issue measured it).
 */
export const PINNED = (() => {
  if (process.env.CHAOS_PIN !== '1') return false
  try { execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }); return true } catch { return false }
})()

/** The built service, started with `env` over the suite's defaults; resolves once it says it is ready. */
export async function startService (env: Record<string, string> = {}): Promise<Service> {
  if (!existsSync(new URL(`../../${SERVER_ENTRY}`, import.meta.url))) throw new Error(`${SERVER_ENTRY} is missing: run npm run build (npm run chaos does)`)
  const port = await freePort()
  let metricsPort = await freePort()
  while (metricsPort === port) metricsPort = await freePort()
  const fullEnv = { HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, ...extraEnv(), PORT: String(port), METRICS_PORT: String(metricsPort) }
  const [file, args] = PINNED ? ['taskset', ['-c', '1', process.execPath, SERVER_ENTRY]] : [process.execPath, [SERVER_ENTRY]]
  const child = spawn(file, args, { cwd: ROOT, env: { ...process.env, ...fullEnv }, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  const lines: string[] = []
  let said = ''
  const keep = (chunk: Buffer): void => {
    said = (said + chunk.toString()).slice(-4096)
    lines.push(...chunk.toString().split('\n').filter((line) => line !== '').map((line) => line.slice(0, 300)))
    lines.splice(0, Math.max(0, lines.length - LOG_TAIL_LINES))
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exited = false
  child.once('exit', () => { exited = true; running.delete(child) })
  const service: Service = {
    child,
    pid: child.pid as number,
    port,
    metricsPort,
    url: `http://127.0.0.1:${port}`,
    env: fullEnv,
    logTail: () => [...lines],
    exited: () => exited,
    stop: async () => {
      if (exited) return
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  }
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the service exited at start: ${lines.join(' | ')}`)
    // the ready line comes after the warm-up; /readyz 200 says the same (a service shedding everything never says 200)
    if (/"msg":"[^"]*ready"/.test(said)) return service
    const readyz = await request(`${service.url}/readyz`, { timeoutMs: 1000 }).catch(() => undefined)
    if (readyz?.status === 200) return service
    await sleep(100)
  }
  await service.stop()
  throw new Error(`the service was not ready within ${START_TIMEOUT_MS} ms: ${lines.join(' | ')}`)
}

/** Resident set size now and at its peak (VmHWM), from /proc; undefined where /proc is not there. */
export function procMemory (pid: number): { rssBytes: number, peakBytes: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) * 1024
    return { rssBytes: kib('VmRSS'), peakBytes: kib('VmHWM') }
  } catch {
    return undefined
  }
}

const CLOCK_TICKS = (() => { try { return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) } catch { return 100 } })()

/**
 * CPU seconds (user + system) of the service's main thread (task `pid` itself) and of the whole
 * process, from /proc; undefined where /proc is not there.
 */
export function procCpuSeconds (pid: number): { mainThread: number, process: number } | undefined {
  const seconds = (path: string): number => {
    // fields after the command (which may hold spaces): utime and stime are the 14th and 15th
    const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  }
  try {
    return { mainThread: seconds(`/proc/${pid}/task/${pid}/stat`), process: seconds(`/proc/${pid}/stat`) }
  } catch {
    return undefined
  }
}

/** One sample from /metrics (the metrics listener), by metric name; NaN when absent or unreachable. */
export async function metricValue (service: Service, name: string): Promise<number> {
  const answer = await request(`http://127.0.0.1:${service.metricsPort}/metrics`, { timeoutMs: 5000 }).catch(() => undefined)
  const match = answer === undefined ? null : new RegExp(`^${name}(?:\\{[^}]*\\})? ([^\\s]+)`, 'm').exec(answer.body.toString())
  return match === null ? Number.NaN : Number(match[1])
}

/** Resets the process's VmHWM to its current RSS (clear_refs 5, Linux); false where that is not possible. */
function resetPeak (pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/**
 * Samples the service's RSS every `intervalMs` (from /proc, else /metrics' process_resident_memory_bytes)
 * until stopped; stop() gives the peak seen (and VmHWM, the kernel's own peak, where there is /proc).
 */
export function watchMemory (service: Service, intervalMs = 100): { stop: () => Promise<{ peakBytes: number, lastBytes: number }> } {
  // the kernel's peak (VmHWM) is reset to now, so it covers the watch only; where it cannot be, only the samples count
  const kernelPeakReset = resetPeak(service.pid)
  let peak = 0
  let last = Number.NaN
  let busy = false
  const sample = async (): Promise<void> => {
    if (busy) return
    busy = true
    const proc = procMemory(service.pid)
    last = proc?.rssBytes ?? await metricValue(service, 'process_resident_memory_bytes')
    if (Number.isFinite(last)) peak = Math.max(peak, last)
    busy = false
  }
  const timer = setInterval(() => { sample().catch(() => {}) }, intervalMs)
  return {
    stop: async () => {
      clearInterval(timer)
      await sample()
      const kernelPeak = kernelPeakReset ? procMemory(service.pid)?.peakBytes ?? Number.NaN : Number.NaN
      return { peakBytes: Number.isFinite(kernelPeak) ? Math.max(peak, kernelPeak) : peak, lastBytes: last }
    }
  }
}
