// Kubernetes resource quantities ("200m", "2", "512Mi", "1Gi") as numbers of cores and GiB.

const MEMORY_SUFFIX_BYTES: Record<string, number> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12
}

const QUANTITY = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/

/** CPU in cores: "200m" is 0.2, "2" is 2; undefined when not a quantity. */
export function cpuCores (quantity: unknown): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) && quantity >= 0 ? quantity : undefined
  const match = typeof quantity === 'string' ? QUANTITY.exec(quantity.trim()) : null
  if (match === null) return undefined
  const value = Number(match[1])
  if (match[2] === 'm') return value / 1000
  return match[2] === '' ? value : undefined
}

/** Memory in GiB: "512Mi" is 0.5, "1Gi" is 1, "1G" is 0.93; undefined when not a quantity. */
export function memoryGiB (quantity: unknown): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) && quantity >= 0 ? quantity / 2 ** 30 : undefined
  const match = typeof quantity === 'string' ? QUANTITY.exec(quantity.trim()) : null
  if (match === null) return undefined
  const bytesPerUnit = MEMORY_SUFFIX_BYTES[match[2]]
  return bytesPerUnit === undefined ? undefined : Number(match[1]) * bytesPerUnit / 2 ** 30
}
