// The three Helm values files of seed 000, kept as data in data/aeterna/ and read once, when first
// needed (the only file reads of the models; everything after is pure): parsing them is a tenth of
// a cold start that may never ask for them.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

export const TIER_NAMES = ['small', 'medium', 'large'] as const
export type TierName = typeof TIER_NAMES[number]

export interface ValuesFile {
  /** The file as the seed gives it, comments included: what `helm install -f` is handed. */
  text: string
  /** The same, parsed. */
  values: Record<string, unknown>
}

function readValuesFile (tier: TierName): ValuesFile {
  const text = readFileSync(new URL(`../../../data/aeterna/values-${tier}.yaml`, import.meta.url), 'utf8')
  return { text, values: parse(text) as Record<string, unknown> }
}

/** A function's value, computed on its first call and kept. */
function once<T> (compute: () => T): () => T {
  let value: { computed: T } | undefined
  return () => (value ??= { computed: compute() }).computed
}

const valuesFiles: Readonly<Record<TierName, () => ValuesFile>> = {
  small: once(() => readValuesFile('small')),
  medium: once(() => readValuesFile('medium')),
  large: once(() => readValuesFile('large'))
}

/** A tier's values file, read and parsed on first use. */
export const valuesFile = (tier: TierName): ValuesFile => valuesFiles[tier]()

/** Seed 002's HA settings, merged over a tier's values by GET /tiers/{name}?ha=true. */
export const haOverlay = once(() => parse(readFileSync(new URL('../../../data/aeterna/values-ha-overlay.yaml', import.meta.url), 'utf8')) as Record<string, unknown>)

/** A tree of the keys the chart reads; 'open' where any key or value is the chart's business (Kubernetes blocks, PostgreSQL parameters). */
export type LayoutNode = 'open' | { [key: string]: LayoutNode }

/** Blocks whose inside is Kubernetes' or PostgreSQL's schema, passed through by the chart. */
const OPEN_BLOCKS = new Set(['resources', 'affinity', 'pdb', 'config', 'backup', 'postgresql.cloudnativepg.postgresql', 'autoscaling', 'aeterna.autoscaling', 'topologySpreadConstraints'])

function layoutOf (documents: unknown[], path: string[] = []): LayoutNode {
  const objects = documents.filter((document): document is Record<string, unknown> => typeof document === 'object' && document !== null && !Array.isArray(document))
  if (objects.length === 0 || OPEN_BLOCKS.has(path.join('.')) || OPEN_BLOCKS.has(path.at(-1) ?? '')) return 'open'
  const keys = [...new Set(objects.flatMap((document) => Object.keys(document)))]
  return Object.fromEntries(keys.map((key) => [key, layoutOf(objects.map((document) => document[key]), [...path, key])]))
}

/**
 * The chart layout the validator knows: every key of the three tier files and of seed 002's HA
 * settings, and the places seed 002 allows alternatives (aeterna.autoscaling) or CloudNativePG
 * reads (postgresql.cloudnativepg.affinity, and its deprecated minSyncReplicas / maxSyncReplicas).
 */
export const knownLayout = once(() => layoutOf([
  ...TIER_NAMES.map((tier) => valuesFile(tier).values),
  haOverlay(),
  { aeterna: { topologySpreadConstraints: [], autoscaling: {} }, postgresql: { cloudnativepg: { affinity: {}, minSyncReplicas: 0, maxSyncReplicas: 0 } } }
]))
