// Valid Fargate task sizes (AWS ECS documentation, "Task CPU and memory"): a task's vCPU and
// memory must be one of these pairs, so every task the service recommends is rounded up to one.

interface CpuOption { vCpu: number, memoryGiB: number[] }

const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + i * step)

export const FARGATE_SIZES: readonly CpuOption[] = [
  { vCpu: 0.25, memoryGiB: [0.5, 1, 2] },
  { vCpu: 0.5, memoryGiB: range(1, 4, 1) },
  { vCpu: 1, memoryGiB: range(2, 8, 1) },
  { vCpu: 2, memoryGiB: range(4, 16, 1) },
  { vCpu: 4, memoryGiB: range(8, 30, 1) },
  { vCpu: 8, memoryGiB: range(16, 60, 4) },
  { vCpu: 16, memoryGiB: range(32, 120, 8) }
]

export const FARGATE_MAX = { vCpu: 16, memoryGiB: 120 }

export interface FargateTask {
  requestedVCpu: number
  requestedMemoryGiB: number
  vCpu: number
  memoryGiB: number
  /** false when the request was already a valid pair */
  rounded: boolean
}

/** The smallest valid Fargate size with at least the requested vCPU and memory, or undefined if none fits. */
export function fargateTask (requestedVCpu: number, requestedMemoryGiB: number): FargateTask | undefined {
  for (const option of FARGATE_SIZES) {
    if (option.vCpu < requestedVCpu) continue
    const memoryGiB = option.memoryGiB.find((memory) => memory >= requestedMemoryGiB)
    if (memoryGiB === undefined) continue
    return { requestedVCpu, requestedMemoryGiB, vCpu: option.vCpu, memoryGiB, rounded: option.vCpu !== requestedVCpu || memoryGiB !== requestedMemoryGiB }
  }
  return undefined
}
