// Per-volume limits of the block storage the plans put data on: Aeterna's stores (issue 27) and
// Engram's instances (issue 28) split their data across more volumes before crossing them.

export interface VolumeLimits {
  /** largest volume, GiB */
  maxSizeGiB: number
  /** most IOPS one volume can be provisioned with */
  maxIops: number
  /** most throughput one volume can be provisioned with, MiB/s */
  maxThroughputMiBps: number
  /** IOPS included in the storage price */
  baselineIops: number
  /** throughput included in the storage price, MiB/s */
  baselineThroughputMiBps: number
  source: string
}

/**
 * Amazon EBS gp3, per volume. AWS raised gp3 from 16 TiB / 16,000 IOPS / 1,000 MiB/s to 64 TiB /
 * 80,000 IOPS / 2,000 MiB/s in September 2025 ("Amazon EBS increases the maximum size and provisioned
 * performance of gp3 volumes", aws.amazon.com/about-aws/whats-new/2025/09/amazon-ebs-size-provisioned-performance-gp3-volumes/;
 * also AWS re:Invent 2025 STG320, and supabase/supabase PRs #41106 and #45611 adopting the new limits).
 * Seed 002 and the issue still say 16 TiB. Baseline 3,000 IOPS and 125 MiB/s are included in the
 * storage price at any size (AWS EBS gp3 documentation and pricing). checked 2026-12-07 (search corpus).
 */
export const GP3_LIMITS: Readonly<VolumeLimits> = {
  maxSizeGiB: 65_536,
  maxIops: 80_000,
  maxThroughputMiBps: 2_000,
  baselineIops: 3_000,
  baselineThroughputMiBps: 125,
  source: 'AWS What\'s New, Sept 2025: gp3 up to 64 TiB, 80,000 IOPS, 2,000 MiB/s per volume (was 16 TiB, 16,000, 1,000); 3,000 IOPS and 125 MiB/s included. checked 2026-12-07 (search corpus).'
}
