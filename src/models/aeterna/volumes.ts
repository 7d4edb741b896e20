// Per-volume limits of a storage class, and what they mean for Aeterna's stores (issue 27, point 5):
// Qdrant in distributed mode spreads its shards over peers, so it can take more peers; PostgreSQL
// under CloudNativePG cannot (one primary holds all the data), so a volume above the limit is critical.
import { ceilClean, decimalClean, formatNumber } from '../common.js'

import { GP3_LIMITS, type VolumeLimits } from '../aws-volumes.js'

export { GP3_LIMITS, type VolumeLimits }

/** A warning of this module; the code is one of VOLUME_ABOVE_LIMIT, QDRANT_PEERS_RAISED. */
export interface VolumeWarning {
  code: string
  severity: 'info' | 'warning' | 'critical'
  message: string
}

export interface QdrantPeerInput {
  /** vectors (and payload) stored once, GiB */
  dataGiB: number
  /** volume over data, e.g. 1.5 (seed 000's right-sizing checklist) */
  headroom: number
  /** copies of every shard (Qdrant's replication_factor) */
  replicationFactor: number
  /** peers the tier runs (qdrant.replicaCount) */
  minPeers: number
  /** largest volume a peer can have, GiB (GP3_LIMITS.maxSizeGiB) */
  maxVolumeGiB: number
}

export interface QdrantPeerPlan {
  peers: number
  /** shard_number: one shard per peer, Qdrant's default */
  shardNumber: number
  replicationFactor: number
  /** dataGiB x replicationFactor x headroom, all peers together */
  totalGiB: number
  /** totalGiB / peers */
  perPeerGiB: number
  /** perPeerGiB rounded up to whole GiB (at least 1) */
  perPeerVolumeGiB: number
  provisionedGiB: number
  /** whether peers had to grow beyond minPeers */
  peersRaised: boolean
  /** why this many peers, for a person */
  explanation: string
  warnings: VolumeWarning[]
}

function assertRange (name: string, value: number, minimum: number, integer = false): void {
  if (!Number.isFinite(value) || value < minimum || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be a finite ${integer ? 'whole ' : ''}number >= ${minimum}, got ${value}`)
  }
}

const gib = (value: number): string => `${formatNumber(value)} GiB`

/** Peers and the reason for each step above minPeers: volume size, one peer per replica, an odd count. */
function peerCount (input: QdrantPeerInput, totalGiB: number, maxGiB: number): { peers: number, reasons: string[] } {
  const forSize = ceilClean(totalGiB / maxGiB)
  const needed = Math.max(input.minPeers, forSize, input.replicationFactor)
  const peers = needed % 2 === 0 ? needed + 1 : needed
  const reasons = [
    ...(forSize > input.minPeers ? [`${gib(totalGiB)} in volumes of at most ${gib(maxGiB)} needs ${forSize} peers`] : []),
    ...(input.replicationFactor > Math.max(input.minPeers, forSize) ? [`replication factor ${input.replicationFactor} needs a peer per copy`] : []),
    ...(peers > needed ? [`${needed} is even: ${peers} keeps the count odd, so the Raft majority tolerates one more failure`] : [])
  ]
  return { peers, reasons }
}

/**
 * Qdrant in distributed mode: shard_number = peers, each shard replicated replicationFactor times on
 * distinct peers, so each peer holds dataGiB x replicationFactor / peers (x headroom). Peers grow from
 * minPeers until that fits a volume, there is a peer per copy, and the count is odd.
 */
export function qdrantPeerPlan (input: QdrantPeerInput): QdrantPeerPlan {
  assertRange('dataGiB', input.dataGiB, 0)
  assertRange('headroom', input.headroom, 1)
  assertRange('replicationFactor', input.replicationFactor, 1, true)
  assertRange('minPeers', input.minPeers, 1, true)
  assertRange('maxVolumeGiB', input.maxVolumeGiB, 1)
  // volumes come in whole GiB: the largest whole size keeps the rounded-up volume within the limit
  const maxGiB = Math.floor(input.maxVolumeGiB)
  const totalGiB = decimalClean(input.dataGiB * input.replicationFactor * input.headroom)
  const { peers, reasons } = peerCount(input, totalGiB, maxGiB)
  const perPeerGiB = decimalClean(totalGiB / peers)
  const perPeerVolumeGiB = Math.max(1, ceilClean(perPeerGiB))
  const peersRaised = peers > input.minPeers
  const layout = `${peers} peers x ${gib(perPeerVolumeGiB)} (shard_number ${peers}, replication_factor ${input.replicationFactor})`
  const explanation = peersRaised
    ? `Raised from ${input.minPeers} to ${layout}: ${reasons.join('; ')}.`
    : `${layout}: ${gib(totalGiB)} fits ${input.minPeers} peers.`
  const warnings: VolumeWarning[] = peersRaised
    ? [{ code: 'QDRANT_PEERS_RAISED', severity: 'warning', message: `Qdrant needs ${peers} peers, not ${input.minPeers}: ${reasons.join('; ')}. Set qdrant.replicaCount to ${peers} and create the collection with shard_number ${peers}.` }]
    : []
  return { peers, shardNumber: peers, replicationFactor: input.replicationFactor, totalGiB, perPeerGiB, perPeerVolumeGiB, provisionedGiB: perPeerVolumeGiB * peers, peersRaised, explanation, warnings }
}

export interface VolumeLimitInput {
  /** for the message: PostgreSQL, Qdrant, ... */
  component: string
  /** what one volume must hold, GiB */
  volumeGiB: number
  maxVolumeGiB: number
  /** whether the component can spread its data over more volumes (Qdrant shards; PostgreSQL under CloudNativePG cannot) */
  canShard: boolean
  /** for the message, e.g. gp3 */
  volumeType?: string
}

/** No warning when the volume fits; critical when it does not and the component cannot shard. */
export function volumeLimitCheck (input: VolumeLimitInput): VolumeWarning[] {
  assertRange('volumeGiB', input.volumeGiB, 0)
  assertRange('maxVolumeGiB', input.maxVolumeGiB, 1)
  if (input.volumeGiB <= input.maxVolumeGiB) return []
  const volumes = ceilClean(input.volumeGiB / input.maxVolumeGiB)
  const volume = input.volumeType === undefined ? 'a volume' : `a ${input.volumeType} volume`
  const need = `${input.component} needs ${gib(ceilClean(input.volumeGiB))} per instance; ${volume} holds at most ${gib(input.maxVolumeGiB)}, so the data needs at least ${volumes} volumes.`
  return [input.canShard
    ? { code: 'VOLUME_ABOVE_LIMIT', severity: 'warning', message: `${need} Spread it over at least ${volumes} peers (shards) so each volume fits.` }
    : { code: 'VOLUME_ABOVE_LIMIT', severity: 'critical', message: `${need} One primary holds all the data, so more instances do not help: partition it across several clusters (e.g. by tenant), spread tables over tablespaces on more volumes, or use storage without this per-volume limit.` }]
}
