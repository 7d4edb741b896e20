// The three Helm values files of seed 000, kept as data in data/aeterna/ and read once when the
// service starts (the only file reads of the models; everything after is pure).
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

export const VALUES_FILES: Readonly<Record<TierName, ValuesFile>> = {
  small: readValuesFile('small'),
  medium: readValuesFile('medium'),
  large: readValuesFile('large')
}
