// The hot path's JSON: an Engram estimate serialized by fast-json-stringify, except its assumptions,
// which are the same on every request but for the six inputs the service chose defaults for. Those
// 5 KB are serialized once per distinct set of values instead of once per request (28 us -> 6 us).
import { Type } from 'typebox'
import type { Serializer } from '../compiled-schemas.js'
import type { Assumption } from '../models/common.js'
import type { EngramEstimate } from '../models/engram/capacity.js'
import { EngramEstimateSchema } from '../schemas/engram.js'

/** The estimate but its assumptions: compiled ahead of time (generated/) under ENGRAM_SECTIONS_KEY like a route's answer. */
export const ENGRAM_SECTIONS_SCHEMA = Type.Omit(EngramEstimateSchema, ['assumptions'], { additionalProperties: false })
export const ENGRAM_SECTIONS_KEY = 'SERIALIZE engram-sections 200'

const MAX_CACHED = 256
const assumptionsJson = new Map<string, string>()

/** JSON of the assumptions list, cached by content (a few distinct lists in practice). */
function serializeAssumptions (assumptions: Assumption[]): string {
  const key = assumptions.slice(-6).map((assumption) => `${assumption.name}=${assumption.value}:${assumption.source}`).join('|')
  let json = assumptionsJson.get(key)
  if (json === undefined) {
    json = JSON.stringify(assumptions)
    if (assumptionsJson.size >= MAX_CACHED) assumptionsJson.clear()
    assumptionsJson.set(key, json)
  }
  return json
}

/** The Engram estimate's JSON, given the serializer of ENGRAM_SECTIONS_SCHEMA (app.serializerFor). */
export function engramEstimateSerializer (serializeSections: Serializer): (estimate: EngramEstimate) => string {
  return (estimate) => `${serializeSections(estimate).slice(0, -1)},"assumptions":${serializeAssumptions(estimate.assumptions)}}`
}
