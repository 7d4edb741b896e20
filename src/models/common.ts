// Shapes and arithmetic helpers shared by every model. No I/O, no fastify.

export type Severity = 'info' | 'warning' | 'critical'

export interface Warning {
  code: string
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

/** Drops float noise (4.0067 * 1.5 = 6.010000000000001) before rounding, so ceil never overshoots. */
function clean (value: number): number {
  return Number(value.toPrecision(12))
}

export function ceilClean (value: number): number {
  return Math.ceil(clean(value))
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
  const { digits, scale } = decimalParts(factor)
  const product = BigInt(count) * digits * BigInt(multiplier)
  return Number(product / 10n ** BigInt(scale))
}
