// The chart through a real Helm: `helm template` and `helm lint` on values written to a file, the
// rendered documents parsed. Helm comes from `node scripts/test-tools.mjs` (which `npm test` runs
// first) at .tools/bin/helm, or HELM_PATH; without it the chart tests skip with `helmMissing`.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments, stringify } from 'yaml'
import { TOOL_PATHS, missingTools } from '../tools.js'

export const CHART = fileURLToPath(new URL('../../charts/sizing-service', import.meta.url))
export const HELM = TOOL_PATHS.helm
/** Why helm cannot run here (the tests' skip reason), or undefined. */
export const helmMissing: string | undefined = missingTools('helm')

export const RELEASE = 'sizing'
export const NAMESPACE = 'capacity'

export interface HelmResult { code: number, stdout: string, stderr: string }

/** A rendered Kubernetes object (as parsed: plain JSON values). */
export interface K8sObject { apiVersion: string, kind: string, metadata: { name: string, labels?: Record<string, string>, annotations?: Record<string, string>, [key: string]: unknown }, spec?: any, [key: string]: any }

const scratch = mkdtempSync(join(tmpdir(), 'sizing-chart-'))
process.on('exit', () => { rmSync(scratch, { recursive: true, force: true }) })
let files = 0

/** Values written to a YAML file for `-f` (a null removes the key from the chart's defaults, as in Helm). */
export function valuesFile (values: unknown): string {
  const path = join(scratch, `values-${files++}.yaml`)
  writeFileSync(path, stringify(values))
  return path
}

/** Helm's calls run at most this many at a time (each is a process of about 0.2 s). */
const LIMIT = Math.max(2, Math.min(6, availableParallelism() * 2))
let running = 0
const waiting: Array<() => void> = []

export async function helm (...args: string[]): Promise<HelmResult> {
  if (running >= LIMIT) await new Promise<void>((resolve) => waiting.push(resolve))
  running++
  try {
    return await new Promise((resolve) => {
      execFile(HELM, args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, HELM_CACHE_HOME: join(scratch, 'cache'), HELM_CONFIG_HOME: join(scratch, 'config'), HELM_DATA_HOME: join(scratch, 'data'), KUBECONFIG: join(scratch, 'no-cluster') } }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr })
      })
    })
  } finally {
    running--
    waiting.shift()?.()
  }
}

/** `helm template` of the chart with these values (over the chart's defaults). */
export async function template (values: unknown = {}, release = RELEASE): Promise<HelmResult> {
  return await helm('template', release, CHART, '--namespace', NAMESPACE, '-f', valuesFile(values))
}

/** `helm lint --strict` of the chart with these values. */
export async function lint (values: unknown = {}): Promise<HelmResult> {
  return await helm('lint', '--strict', CHART, '--namespace', NAMESPACE, '-f', valuesFile(values))
}

/** The NOTES.txt `helm install` would print, from a client-only dry run (no cluster is asked: KUBECONFIG names no file). */
export async function notes (values: unknown = {}): Promise<string> {
  const result = await helm('install', RELEASE, CHART, '--dry-run=client', '--namespace', NAMESPACE, '-f', valuesFile(values))
  if (result.code !== 0) throw new Error(`helm install --dry-run=client failed: ${result.stderr}`)
  return result.stdout.slice(result.stdout.indexOf('NOTES:'))
}

/** The objects `helm template` renders for these values; throws with Helm's message when it fails. */
export async function render (values: unknown = {}, release = RELEASE): Promise<K8sObject[]> {
  const result = await template(values, release)
  if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`)
  return parseAllDocuments(result.stdout).map((document) => {
    if (document.errors.length > 0) throw new Error(`rendered YAML: ${document.errors[0].message}`)
    return document.toJS() as K8sObject | null
  }).filter((object): object is K8sObject => object !== null)
}

/** The only object of a kind. */
export function one (objects: readonly K8sObject[], kind: string): K8sObject {
  const found = objects.filter((object) => object.kind === kind)
  if (found.length !== 1) throw new Error(`${found.length} ${kind} objects rendered`)
  return found[0]
}
