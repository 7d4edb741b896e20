// The Aurora bill (issue 28): what AWS invoices for the plan, line by line, on Aurora Standard and
// Aurora I/O-Optimized, the cheaper one recommended with the break-even between them; RDS Proxy by its
// Serverless v2 rule; backup beyond the free allowance; data transfer from the traffic the services
// model computes; a Database Savings Plan on compute. The seed's own Total Monthly Estimate is kept
// beside it (seedEstimate). Every price is the request's (defaults: constants.ts AURORA_PRICES).
import { decimalClean, roundCents } from '../common.js'
import * as C from './constants.js'
import type { ServicesEstimate } from './services.js'

export type AuroraConfiguration = 'standard' | 'io-optimized'

/** The prices a bill takes (AuroraInput's price fields). */
export interface AuroraPrices {
  acuHourUsd: number
  ioOptimizedAcuHourUsd: number
  storageUsdPerGBMonth: number
  ioOptimizedStorageUsdPerGBMonth: number
  ioRequestUsdPerMillion: number
  backupUsdPerGBMonth: number
  rdsProxyAcuHourUsd: number
  interAzUsdPerGB: number
  internetEgressUsdPerGB: number
  hoursPerMonth: number
}

/** What is billed, before prices. */
export interface BilledQuantities {
  averageAcu: number
  /** hour-weighted ACUs the proxy bills: max(8, the cluster's ACUs) each hour; 0 without a proxy */
  rdsProxyAcu: number
  storageGB: number
  ioRequestsPerMonth: number
  backupBilledGB: number
  internetEgressGB: number
  crossAzGB: number
}

export interface ConfigurationBill {
  acuHourUsd: number
  storageUsdPerGBMonth: number
  computeUsdPerMonth: number
  storageUsdPerMonth: number
  ioUsdPerMonth: number
  backupUsdPerMonth: number
  rdsProxyUsdPerMonth: number
  dataTransferUsdPerMonth: number
  totalUsdPerMonth: number
}

const SECONDS_PER_HOUR = 3600

/**
 * I/O requests billed a month: every write, and every read the buffer cache does not answer, is one
 * request, at the workload's rates all month (hoursPerMonth x 3,600 s).
 */
export function ioRequestsPerMonth (writesPerSec: number, readsPerSec: number, readCacheHitPercent: number, hoursPerMonth: number): number {
  return decimalClean((writesPerSec + readsPerSec * (100 - readCacheHitPercent) / 100) * hoursPerMonth * SECONDS_PER_HOUR)
}

/**
 * Backup storage of automated backups kept `retentionDays`: the volume plus each day's changed data
 * (the rows written a day) for the retention. Free up to 100% of the volume, and entirely with one
 * day's retention: what is billed is the changed data beyond it.
 */
export function backupStorage (storageGB: number, dailyChangeGB: number, retentionDays: number): { retentionDays: number, dailyChangeGB: number, backupStorageGB: number, freeGB: number, billedGB: number } {
  const changedGB = decimalClean(dailyChangeGB * retentionDays)
  const oneDay = retentionDays <= C.BACKUP_FREE_RETENTION_DAYS
  return {
    retentionDays,
    dailyChangeGB,
    backupStorageGB: decimalClean(storageGB + changedGB),
    freeGB: oneDay ? decimalClean(storageGB + changedGB) : decimalClean(storageGB * C.BACKUP_FREE_SHARE_OF_VOLUME.value / 100),
    billedGB: oneDay ? 0 : changedGB
  }
}

export interface TransferVolumes {
  networkMonthlyGB: number
  internetEgressGB: number
  internetIngressGB: number
  inVpcGB: number
  crossAzGB: number
}

/**
 * The services model's network rows (the same function, one source): the internet rows' egress share
 * (egress / (ingress + egress) of their Mbit/s) leaves AWS, their ingress is free; the in-VPC rows
 * (broker, database) cross zones for `crossAzSharePercent` of their volume.
 */
export function transferVolumes (network: ServicesEstimate['network'], crossAzSharePercent: number): TransferVolumes {
  let internetEgressGB = 0
  let internetIngressGB = 0
  let inVpcGB = 0
  for (const row of network.rows) {
    if (C.NETWORK_PATHS[row.component] === 'internet') {
      const mbps = row.ingressMbps + row.egressMbps
      const egressShare = mbps > 0 ? row.egressMbps / mbps : 0 // no agents, no traffic
      internetEgressGB += row.monthlyGB * egressShare
      internetIngressGB += row.monthlyGB * (1 - egressShare)
    } else inVpcGB += row.monthlyGB
  }
  return {
    networkMonthlyGB: network.monthlyGB,
    internetEgressGB: decimalClean(internetEgressGB),
    internetIngressGB: decimalClean(internetIngressGB),
    inVpcGB: decimalClean(inVpcGB),
    crossAzGB: decimalClean(inVpcGB * crossAzSharePercent / 100)
  }
}

/** Internet egress a month through AWS's tiers: 100 GB free, the first tier's rate to 10 TB, then 0.085, 0.07, 0.05. */
export function internetEgressUsd (gb: number, firstTierUsdPerGB: number): number {
  const tiers = [{ upToGB: C.INTERNET_EGRESS_FREE_GB, usdPerGB: 0 }, { upToGB: C.INTERNET_EGRESS_FIRST_TIER_UP_TO_GB, usdPerGB: firstTierUsdPerGB }, ...C.INTERNET_EGRESS_LATER_TIERS]
  let usd = 0
  let from = 0
  for (const tier of tiers) {
    usd += Math.max(0, Math.min(gb, tier.upToGB) - from) * tier.usdPerGB
    from = tier.upToGB
  }
  return usd
}

/** RDS Proxy's billed ACUs: each hour max(8, the cluster's ACUs), hour-weighted over the usage points. */
export function rdsProxyAcu (points: Array<{ acu: number, hoursShare: number }>): number {
  const hours = points.reduce((total, point) => total + point.hoursShare, 0)
  return decimalClean(points.reduce((total, point) => total + Math.max(C.RDS_PROXY_MIN_ACU.value, point.acu) * point.hoursShare / hours, 0))
}

/** One configuration's bill, in cents. */
export function configurationBill (prices: AuroraPrices, quantities: BilledQuantities, configuration: AuroraConfiguration): ConfigurationBill {
  const ioOptimized = configuration === 'io-optimized'
  const acuHourUsd = ioOptimized ? prices.ioOptimizedAcuHourUsd : prices.acuHourUsd
  const storageUsdPerGBMonth = ioOptimized ? prices.ioOptimizedStorageUsdPerGBMonth : prices.storageUsdPerGBMonth
  const lines = {
    computeUsdPerMonth: roundCents(quantities.averageAcu * prices.hoursPerMonth * acuHourUsd),
    storageUsdPerMonth: roundCents(quantities.storageGB * storageUsdPerGBMonth),
    ioUsdPerMonth: ioOptimized ? 0 : roundCents(quantities.ioRequestsPerMonth / 1e6 * prices.ioRequestUsdPerMillion),
    backupUsdPerMonth: roundCents(quantities.backupBilledGB * prices.backupUsdPerGBMonth),
    rdsProxyUsdPerMonth: roundCents(quantities.rdsProxyAcu * prices.hoursPerMonth * prices.rdsProxyAcuHourUsd),
    dataTransferUsdPerMonth: roundCents(internetEgressUsd(quantities.internetEgressGB, prices.internetEgressUsdPerGB) + quantities.crossAzGB * 2 * prices.interAzUsdPerGB)
  }
  return { acuHourUsd, storageUsdPerGBMonth, ...lines, totalUsdPerMonth: roundCents(Object.values(lines).reduce((total, usd) => total + usd, 0)) }
}

export interface BreakEven {
  /** I/O requests a month at which both configurations cost the same */
  ioRequestsPerMonth: number
  /** the I/O charge at that point, and its share of the Standard bill */
  ioUsdPerMonth: number
  ioShareOfStandardPercent: number
}

/**
 * Where Standard and I/O-Optimized cost the same: Standard's I/O charge equal to what I/O-Optimized
 * adds to compute and storage (the other lines are the same on both). 0 when I/O-Optimized never costs more.
 * The I/O price is at least 0.001 USD per million (the request schema's minimum).
 */
export function breakEven (standard: ConfigurationBill, ioOptimized: ConfigurationBill, ioRequestUsdPerMillion: number): BreakEven {
  const premium = Math.max(0, roundCents(ioOptimized.computeUsdPerMonth + ioOptimized.storageUsdPerMonth - standard.computeUsdPerMonth - standard.storageUsdPerMonth))
  const standardAtBreakEven = standard.totalUsdPerMonth - standard.ioUsdPerMonth + premium
  return {
    ioRequestsPerMonth: decimalClean(premium / ioRequestUsdPerMillion * 1e6),
    ioUsdPerMonth: premium,
    ioShareOfStandardPercent: standardAtBreakEven > 0 ? decimalClean(100 * premium / standardAtBreakEven) : 0
  }
}

export interface SeedEstimate {
  computeUsdPerMonth: number
  storageUsdPerMonth: number
  backupUsdPerMonth: number
  rdsProxyUsdPerMonth: number
  dataTransferUsdPerMonth: number
  totalUsdPerMonth: number
  reservedDiscount1YearPercent: number
  oneYearCommitmentUsdPerMonth: number
}

/**
 * seed 001's Total Monthly Estimate, its way: compute at the average ACU on Aurora Standard, storage,
 * backup on all of the storage, a flat 50 USD proxy where it runs, a flat 100 USD transfer in
 * production, and its 1-year "reserved" discount on the rounded total.
 */
export function seedEstimate (prices: AuroraPrices & { reservedDiscount1YearPercent: number }, averageAcu: number, storageGB: number, rdsProxy: boolean, production: boolean): SeedEstimate {
  const computeUsdPerMonth = roundCents(averageAcu * prices.hoursPerMonth * prices.acuHourUsd)
  const storageUsdPerMonth = roundCents(storageGB * prices.storageUsdPerGBMonth)
  const backupUsdPerMonth = roundCents(storageGB * prices.backupUsdPerGBMonth)
  const rdsProxyUsdPerMonth = rdsProxy ? C.SEED_FLAT_COSTS.rdsProxyUsdPerMonth : 0
  const dataTransferUsdPerMonth = production ? C.SEED_FLAT_COSTS.dataTransferUsdPerMonth : 0
  const totalUsdPerMonth = roundCents(computeUsdPerMonth + storageUsdPerMonth + backupUsdPerMonth + rdsProxyUsdPerMonth + dataTransferUsdPerMonth)
  return {
    computeUsdPerMonth,
    storageUsdPerMonth,
    backupUsdPerMonth,
    rdsProxyUsdPerMonth,
    dataTransferUsdPerMonth,
    totalUsdPerMonth,
    reservedDiscount1YearPercent: prices.reservedDiscount1YearPercent,
    oneYearCommitmentUsdPerMonth: roundCents(totalUsdPerMonth * (100 - prices.reservedDiscount1YearPercent) / 100)
  }
}

/** A Database Savings Plan (1 year, no upfront) on the compute line only. */
export function savingsPlan (bill: ConfigurationBill, discountPercent: number): { termYears: number, payment: string, discountPercent: number, coveredUsdPerMonth: number, savingsUsdPerMonth: number, totalUsdPerMonth: number } {
  const savingsUsdPerMonth = roundCents(bill.computeUsdPerMonth * discountPercent / 100)
  return {
    termYears: C.SAVINGS_PLAN.termYears,
    payment: C.SAVINGS_PLAN.payment,
    discountPercent,
    coveredUsdPerMonth: bill.computeUsdPerMonth,
    savingsUsdPerMonth,
    totalUsdPerMonth: roundCents(bill.totalUsdPerMonth - savingsUsdPerMonth)
  }
}
