// Seed 002's HA settings merged over a tier's values file (GET /tiers/{name}?ha=true), and the
// differences between two values documents, path by path.
import { stringify } from 'yaml'
import { replicaCount } from './resources.js'
import { type TierName, TIERS, tierValues, valueAt } from './tiers.js'
import { haOverlay } from './values-files.js'

type Values = Record<string, unknown>

const isMapping = (value: unknown): value is Values => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Helm's merge of values files: mappings merge key by key, anything else (lists too) is replaced. */
export function mergeValues (base: Values, overlay: Values): Values {
  const merged: Values = { ...base }
  for (const [key, value] of Object.entries(overlay)) {
    merged[key] = isMapping(merged[key]) && isMapping(value) ? mergeValues(merged[key] as Values, value) : value
  }
  return merged
}

/** from is left out where the path was not set, to where it is removed. */
export interface ValuesChange { path: string, from?: unknown, to?: unknown, reason: string }

/** Every leaf (or list) whose value differs between two documents. */
export function valuesChanges (before: unknown, after: unknown, reason: (path: string) => string, prefix: string[] = []): ValuesChange[] {
  // a mapping added or removed is listed leaf by leaf
  if ((isMapping(before) || before === undefined) && (isMapping(after) || after === undefined) && (isMapping(before) || isMapping(after))) {
    const from = (before ?? {}) as Values
    const to = (after ?? {}) as Values
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])]
    return keys.flatMap((key) => valuesChanges(from[key], to[key], reason, [...prefix, key]))
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return []
  const path = prefix.join('.')
  return [{ path, ...(before === undefined ? {} : { from: before }), ...(after === undefined ? {} : { to: after }), reason: reason(path) }]
}

export const SMALL_NOT_HA = 'the small tier cannot be highly available: seed 000 sizes it for 1-2 nodes in one zone with single replicas, and seed 002 needs 3+ nodes across 2+ zones with 3 Aeterna, PostgreSQL and Qdrant replicas. Use the medium tier: GET /tiers/medium?ha=true'

export interface HaTier { values: Values, text: string, changes: ValuesChange[] }

/** The tier's values with seed 002's HA settings; the Qdrant budget keeps the tier's Raft majority. */
export function tierWithHa (name: Exclude<TierName, 'small'>): HaTier {
  const base = tierValues(name)
  const merged = mergeValues(base, haOverlay())
  const { replicas } = replicaCount(base, ['qdrant', 'replicaCount'])
  const majority = Math.floor(replicas / 2) + 1
  // the HPA keeps seed 000's range for the tier (never below seed 002's minimum of 3)
  const hpa = TIERS[name].autoscaling
  const values = mergeValues(merged, { qdrant: { pdb: { minAvailable: majority } }, autoscaling: { minReplicas: Math.max(3, hpa.minReplicas), maxReplicas: hpa.maxReplicas } })
  const changes = valuesChanges(base, values, (path) =>
    path === 'qdrant.pdb.minAvailable'
      ? `seed 002's PDB, kept at the Raft majority of ${replicas} Qdrant replicas (${majority})`
      : path === 'postgresql.cloudnativepg.postgresql.synchronous_standby_names'
        ? 'seed 002 says "ANY 2 (standby1, standby2)", which with 3 instances stalls every write when one standby is down (SEED_INCONSISTENCY); ANY 1 survives it'
        : path.startsWith('autoscaling.m')
          ? `seed 000's autoscaling range for the ${name} tier (${hpa.minReplicas}-${hpa.maxReplicas}), at least seed 002's minimum of 3`
          : path.startsWith('qdrant.affinity')
            ? `seed 002's required anti-affinity by zone: at most one Qdrant pod per zone, so its ${replicas} replicas need ${replicas} zones (SEED_INCONSISTENCY: seed 002 asks for 2+)`
            : `seed 002's HA setting (${TIERS[name].name} tier + values-ha-overlay.yaml)`)
  const header = [
    `# values-${name}-ha.yaml: seed 000's values-${name}.yaml with seed 002's HA settings (sizing-service).`,
    '# synchronous_standby_names is "ANY 1 (...)": seed 002\'s "ANY 2" with 3 instances stalls writes when one standby is down.',
    `# Qdrant's PDB keeps the Raft majority of its ${replicas} replicas (minAvailable ${majority}).`,
    `# Seed 002's required Qdrant anti-affinity by zone places one pod per zone: ${replicas} replicas need ${replicas} availability zones.`
  ].join('\n')
  return { values, text: `${header}\n${stringify(values, { version: '1.1' })}`, changes }
}

export function isHaTier (name: TierName): name is Exclude<TierName, 'small'> {
  return name !== 'small' && valueAt(TIERS[name], ['infrastructure', 'haReady']) === true
}
