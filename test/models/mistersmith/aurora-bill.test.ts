// The Aurora bill (issue 28) at the agent counts, every line by hand: the arithmetic is written
// out as numbers, not computed with the model's helpers. us-east-1 prices of the fact sheet (2026-12-07):
// Standard 0.12 USD/ACU-h, 0.10 USD/GB-month, 0.20 USD per 1M I/O; I/O-Optimized 0.156 USD/ACU-h,
// 0.225 USD/GB-month; backup 0.021 USD/GB-month beyond the volume; RDS Proxy 0.015 USD/ACU-h, 8 ACU at
// least; inter-AZ 0.01 USD/GB each way; internet egress 100 GB free, 0.09 to 10 TB, 0.085 to 50 TB,
// 0.07 to 150 TB, 0.05 beyond. 730 h a month = 2,628,000 s.
import t from 'tap'
import { backupStorage, breakEven, internetEgressUsd, transferVolumes } from '../../../src/models/mistersmith/aurora-bill.js'
import { estimateAurora } from '../../../src/models/mistersmith/aurora.js'
import { estimateServices } from '../../../src/models/mistersmith/services.js'

t.test('100 agents: the proxy at its 8-ACU minimum, I/O-Optimized the cheaper', async (t) => {
  const { cost, warnings } = estimateAurora({ agents: 100 })
  // usage points 2, 2, 2, 3, 6 ACU (a 6 ACU peak): average 15 / 5 = 3
  t.equal(cost.averageAcu, 3)
  // storage: 10 GB + 100 agents x (0.0432 + 0.0432 + 0.0035 + 0.216) GB = 40.59 GB
  t.equal(cost.storageGB, 40.59)
  // I/O: (50 writes + 200 reads) a second x 2,628,000 s = 657,000,000 requests
  t.equal(cost.ioRequestsPerMonth, 657_000_000)
  t.same(cost.standard, {
    acuHourUsd: 0.12,
    storageUsdPerGBMonth: 0.1,
    computeUsdPerMonth: 262.8, // 3 x 730 x 0.12
    storageUsdPerMonth: 4.06, // 40.59 x 0.10 = 4.059
    ioUsdPerMonth: 131.4, // 657 x 0.20
    backupUsdPerMonth: 0.14, // 28.86 GB written a month / 30 = 0.962 GB a day x 7 days = 6.734 GB x 0.021 = 0.1414
    rdsProxyUsdPerMonth: 87.6, // every point below 8 ACU: 8 x 730 x 0.015
    dataTransferUsdPerMonth: 0.7, // internet 100 GB x 2/3 = 66.7 GB egress, within the free 100; in-VPC (50 + 20) GB x 50% = 35 GB x 0.02
    totalUsdPerMonth: 486.7
  })
  t.same(cost.ioOptimized, {
    acuHourUsd: 0.156,
    storageUsdPerGBMonth: 0.225,
    computeUsdPerMonth: 341.64, // 3 x 730 x 0.156
    storageUsdPerMonth: 9.13, // 40.59 x 0.225 = 9.13275
    ioUsdPerMonth: 0,
    backupUsdPerMonth: 0.14,
    rdsProxyUsdPerMonth: 87.6,
    dataTransferUsdPerMonth: 0.7,
    totalUsdPerMonth: 439.21
  })
  t.equal(cost.configuration, 'io-optimized')
  t.match(cost, { totalUsdPerMonth: 439.21, computeUsdPerMonth: 341.64, ioUsdPerMonth: 0, rdsProxyAcu: 8 }, 'the headline is the cheaper configuration\'s bill')
  // break-even: I/O-Optimized adds (341.64 + 9.13) - (262.80 + 4.06) = 83.91 USD; / 0.20 x 1M = 419,550,000 requests;
  // the Standard bill is then 486.70 - 131.40 + 83.91 = 439.21, I/O 83.91 / 439.21 = 19.1048% of it
  t.equal(cost.breakEven.ioRequestsPerMonth, 419_550_000)
  t.equal(cost.breakEven.ioUsdPerMonth, 83.91)
  t.equal(Math.round(cost.breakEven.ioShareOfStandardPercent * 1e4) / 1e4, 19.1048)
  // a Savings Plan: 35% of 341.64 = 119.574 -> 119.57; 439.21 - 119.57 = 319.64
  t.match(cost.savingsPlan, { termYears: 1, payment: 'no upfront', discountPercent: 35, coveredUsdPerMonth: 341.64, savingsUsdPerMonth: 119.57, totalUsdPerMonth: 319.64 })
  // the seed's way: 262.80 + 4.06 + 40.59 x 0.021 (0.85) + 50 + 100 = 417.71; x 0.70 = 292.397
  t.same(cost.seedEstimate, { computeUsdPerMonth: 262.8, storageUsdPerMonth: 4.06, backupUsdPerMonth: 0.85, rdsProxyUsdPerMonth: 50, dataTransferUsdPerMonth: 100, totalUsdPerMonth: 417.71, reservedDiscount1YearPercent: 30, oneYearCommitmentUsdPerMonth: 292.4 })
  t.notOk('threeYearCommitmentUsdPerMonth' in cost)
  t.match(warnings.find((w) => w.code === 'RDS_PROXY_PRICING')?.message, /at least 8 ACU: 8 ACU on average at 0\.015 USD .* is 87\.6 USD a month/)
  t.match(warnings.find((w) => w.code === 'RDS_PROXY_NO_AUTO_PAUSE'), { severity: 'info', message: /scales to 0 ACU \(auto-pause\) only without it/ })
  t.match(warnings.find((w) => w.code === 'AURORA_CONFIGURATION')?.message, /^Aurora I\/O-Optimized is the cheaper configuration: Standard 486\.7 USD a month \(I\/O 131\.4: 657M requests\), I\/O-Optimized 439\.21 \(no I\/O charge; compute and storage 83\.91 dearer\)\. They cost the same at 419\.6M I\/O requests a month, I\/O then 19\.1% of the Standard bill/)
})

t.test('2,500 agents: the writes alone are 657 USD of I/O', async (t) => {
  const { cost, capacity } = estimateAurora({ agents: 2500 })
  // 2 x 20 + ceil(2,500 / 16) = 157 x 10 + max(2, ceil(2,500 / 800)) = 4 x 30 = 1,730 connections / 30 = 57.67 -> 58 ACU
  t.equal(capacity.requiredAcu, 58)
  // points 58 x 2/32 = 3.625 -> 4, x 4/32 = 7.25 -> 7.5, 14.5, 29, 58: average 113 / 5 = 22.6
  t.equal(cost.averageAcu, 22.6)
  // writes 1,250/s x 2,628,000 s = 3,285,000,000 requests = 657 USD; reads 5,000/s = 13,140,000,000 = 2,628 USD
  t.equal(cost.ioRequestsPerMonth, 3_285_000_000 + 13_140_000_000)
  t.ok(cost.standard.ioUsdPerMonth >= 657, 'the issue\'s lower bound')
  t.same(cost.standard, {
    acuHourUsd: 0.12,
    storageUsdPerGBMonth: 0.1,
    computeUsdPerMonth: 1979.76, // 22.6 x 730 x 0.12
    storageUsdPerMonth: 77.48, // (10 + 2,500 x 0.3059) = 774.75 GB x 0.10 = 77.475
    ioUsdPerMonth: 3285, // 16,425 x 0.20
    backupUsdPerMonth: 3.54, // 2,500 x 0.2886 = 721.5 GB a month / 30 = 24.05 a day x 7 = 168.35 GB x 0.021 = 3.53535
    rdsProxyUsdPerMonth: 257.33, // max(8, point): 8, 8, 14.5, 29, 58 -> 23.5 x 730 x 0.015 = 257.325
    dataTransferUsdPerMonth: 158.5, // 2,500 GB x 2/3 = 1,666.67 GB: (1,666.67 - 100) x 0.09 = 141.00; (1,250 + 500) x 50% = 875 GB x 0.02 = 17.50
    totalUsdPerMonth: 5761.61
  })
  // I/O-Optimized: 22.6 x 730 x 0.156 = 2,573.688; 774.75 x 0.225 = 174.31875; 2,573.69 + 174.32 + 3.54 + 257.33 + 158.50
  t.match(cost.ioOptimized, { computeUsdPerMonth: 2573.69, storageUsdPerMonth: 174.32, ioUsdPerMonth: 0, totalUsdPerMonth: 3167.38 })
  t.match(cost, { configuration: 'io-optimized', totalUsdPerMonth: 3167.38 })
  // break-even: 2,573.69 + 174.32 - 1,979.76 - 77.48 = 690.77 USD = 3,453,850,000 requests; 690.77 / 3,167.38 = 21.8089%
  t.match(cost.breakEven, { ioRequestsPerMonth: 3_453_850_000, ioUsdPerMonth: 690.77 })
  t.equal(Math.round(cost.breakEven.ioShareOfStandardPercent * 1e4) / 1e4, 21.8089)
  t.match(cost.backup, { retentionDays: 7, dailyChangeGB: 24.05, freeGB: 774.75, billedGB: 168.35 })
})

t.test('316,228 agents: every line, the transfer through every egress tier', async (t) => {
  const { cost, capacity, recommendations } = estimateAurora({ agents: 316_228 })
  // 40 + ceil(316,228 / 16) = 19,765 x 10 + ceil(316,228 / 800) = 396 x 30 = 209,570 connections / 30 = 6,985.67 -> 6,986 ACU on 28 instances
  t.match(capacity, { requiredAcu: 6986, instances: 28 })
  t.match(recommendations, { maxAcu: 256, instances: 28, storageGB: 145_117 })
  // points 436.625 -> 437, 873.25 -> 873.5, 1,746.5, 3,493, 6,986 (minimum 2 x 28 = 56): 13,536 / 5 = 2,707.2
  t.equal(cost.averageAcu, 2707.2)
  t.same(cost.standard, {
    acuHourUsd: 0.12,
    storageUsdPerGBMonth: 0.1,
    computeUsdPerMonth: 237_150.72, // 2,707.2 x 730 x 0.12
    storageUsdPerMonth: 9674.41, // 10 + 316,228 x 0.3059 = 96,744.1452 GB x 0.10
    ioUsdPerMonth: 415_523.59, // 316,228 x 2.5 = 790,570/s x 2,628,000 = 2,077,617,960,000 / 1M x 0.20 = 415,523.592
    backupUsdPerMonth: 447.19, // 316,228 x 0.2886 / 30 = 3,042.11336 GB a day x 7 = 21,294.79352 GB x 0.021 = 447.1907
    rdsProxyUsdPerMonth: 29_643.84, // every point above 8: 2,707.2 x 730 x 0.015
    // internet: 316,228 GB x 2/3 = 210,818.67 GB: 9,900 x 0.09 = 891 + 40,000 x 0.085 = 3,400 + 100,000 x 0.07 = 7,000
    // + 60,818.67 x 0.05 = 3,040.93 -> 14,331.93; in-VPC: 316,228 x 0.7 = 221,359.6 GB x 50% = 110,679.8 x 0.02 = 2,213.60
    dataTransferUsdPerMonth: 16_545.53,
    totalUsdPerMonth: 708_985.28
  })
  // 2,707.2 x 730 x 0.156 = 308,295.936; 96,744.1452 x 0.225 = 21,767.4327; + 447.19 + 29,643.84 + 16,545.53
  t.match(cost.ioOptimized, { computeUsdPerMonth: 308_295.94, storageUsdPerMonth: 21_767.43, totalUsdPerMonth: 376_699.93 })
  t.match(cost, { configuration: 'io-optimized', totalUsdPerMonth: 376_699.93 })
  // 308,295.94 + 21,767.43 - 237,150.72 - 9,674.41 = 83,238.24 USD = 416,191,200,000 requests
  t.match(cost.breakEven, { ioRequestsPerMonth: 416_191_200_000, ioUsdPerMonth: 83_238.24 })
})

t.test('transfer is the services model\'s network, priced', async (t) => {
  for (const agents of [100, 2500, 10_000, 316_228]) {
    const { cost } = estimateAurora({ agents })
    const { network } = estimateServices({ agents })
    t.equal(cost.dataTransfer.networkMonthlyGB, network.monthlyGB, `${agents} agents: the same monthly GB`)
    t.equal(Math.round(cost.dataTransfer.internetEgressGB + cost.dataTransfer.internetIngressGB + cost.dataTransfer.inVpcGB), Math.round(network.monthlyGB), 'every row priced or said free')
  }
  // 10,000 agents: the 17 TB a month; 6,666.67 GB out: 6,566.67 x 0.09 = 591.00; 7,000 GB x 50% x 0.02 = 70.00
  const tenThousand = estimateAurora({ agents: 10_000 }).cost
  t.equal(tenThousand.dataTransfer.networkMonthlyGB, 17_000)
  t.equal(tenThousand.dataTransferUsdPerMonth, 661)
  t.equal(estimateAurora({ agents: 10_000, crossAzSharePercent: 0, internetEgressUsdPerGB: 0.1 }).cost.dataTransferUsdPerMonth, 656.67, '6,566.67 x 0.10, nothing crosses zones')
  // the tiers: 100 GB free, then 0.09 to 10 TB, 0.085 to 50 TB, 0.07 to 150 TB, 0.05 beyond
  t.equal(internetEgressUsd(100, 0.09), 0)
  t.equal(Math.round(internetEgressUsd(10_000, 0.09) * 100) / 100, 891)
  t.equal(Math.round(internetEgressUsd(50_000, 0.09) * 100) / 100, 891 + 3400)
  t.equal(Math.round(internetEgressUsd(150_001, 0.09) * 100) / 100, 891 + 3400 + 7000 + 0.05)
  t.same(transferVolumes(estimateServices({ agents: 0 }).network, 50), { networkMonthlyGB: 0, internetEgressGB: 0, internetIngressGB: 0, inVpcGB: 0, crossAzGB: 0 })
})

t.test('backup: free up to the volume, and with one day\'s retention', async (t) => {
  // 500 GB volume, 10 GB changed a day, 7 days: 570 GB of backup, 500 free, 70 billed
  t.same(backupStorage(500, 10, 7), { retentionDays: 7, dailyChangeGB: 10, backupStorageGB: 570, freeGB: 500, billedGB: 70 })
  t.same(backupStorage(500, 10, 1), { retentionDays: 1, dailyChangeGB: 10, backupStorageGB: 510, freeGB: 510, billedGB: 0 })
  t.equal(estimateAurora({ backupRetentionDays: 1 }).cost.backupUsdPerMonth, 0)
  // 1,000 agents, 35 days: 9.62 GB a day x 35 = 336.7 GB x 0.021 = 7.0707
  t.equal(estimateAurora({ backupRetentionDays: 35 }).cost.backupUsdPerMonth, 7.07)
  t.match(estimateAurora().warnings.find((w) => w.code === 'BACKUP_STORAGE_FREE_ALLOWANCE')?.message, /seed bills backup on all of the storage \(6\.63 USD.*67\.3 GB beyond it \(7 days of 9\.6 GB changed a day\), 1\.41 USD/)
})

t.test('cache hits, prices and the break-even move the recommendation', async (t) => {
  // 1,000 agents: 500 writes + 2,000 reads; with 95% of reads cached: (500 + 100) x 2,628,000 = 1,576,800,000 requests = 315.36 USD
  const cached = estimateAurora({ readCacheHitPercent: 95 }).cost
  t.equal(cached.ioRequestsPerMonth, 1_576_800_000)
  t.equal(cached.standard.ioUsdPerMonth, 315.36)
  // break-even: (9.8 x 730 x 0.156 = 1,116.02 + 315.9 x 0.225 = 71.08) - (858.48 + 31.59) = 297.03 USD: 1,485,150,000 requests; 1,576,800,000 is above it
  t.match(cached.breakEven, { ioRequestsPerMonth: 1_485_150_000, ioUsdPerMonth: 297.03 })
  t.equal(cached.configuration, 'io-optimized')
  // 96% cached: (500 + 80) x 2,628,000 = 1,524,240,000, still above; 97%: 1,471,680,000, below: Standard
  t.equal(estimateAurora({ readCacheHitPercent: 96 }).cost.configuration, 'io-optimized')
  t.equal(estimateAurora({ readCacheHitPercent: 97 }).cost.configuration, 'standard')
  t.match(estimateAurora({ readCacheHitPercent: 97 }).warnings.find((w) => w.code === 'AURORA_CONFIGURATION')?.message, /^Aurora Standard is the cheaper configuration/)
  // a tie keeps Standard; I/O-Optimized priced as Standard never costs more: break-even 0
  const same = breakEven({ acuHourUsd: 0.12, storageUsdPerGBMonth: 0.1, computeUsdPerMonth: 10, storageUsdPerMonth: 1, ioUsdPerMonth: 0, backupUsdPerMonth: 0, rdsProxyUsdPerMonth: 0, dataTransferUsdPerMonth: 0, totalUsdPerMonth: 11 },
    { acuHourUsd: 0.12, storageUsdPerGBMonth: 0.1, computeUsdPerMonth: 10, storageUsdPerMonth: 1, ioUsdPerMonth: 0, backupUsdPerMonth: 0, rdsProxyUsdPerMonth: 0, dataTransferUsdPerMonth: 0, totalUsdPerMonth: 11 }, 0.2)
  t.same(same, { ioRequestsPerMonth: 0, ioUsdPerMonth: 0, ioShareOfStandardPercent: 0 })
  t.equal(estimateAurora({ agents: 0, acuHourUsd: 0.156, storageUsdPerGBMonth: 0.225, connectionPools: [] }).cost.configuration, 'standard', 'equal bills: Standard')
  // a stated average: the proxy bills max(8, it)
  t.equal(estimateAurora({ averageAcu: 4 }).cost.rdsProxyAcu, 8)
  t.equal(estimateAurora({ averageAcu: 12 }).cost.rdsProxyAcu, 12)
})

t.test('averageAcu is the cluster\'s: several instances widen its range', async (t) => {
  // 10,000 agents with a 1,000 GiB working set: 500 ACU on 2 instances of 250 (their maximum), minimum 2 each: 4-500 ACU
  const codes = (averageAcu: number) => estimateAurora({ agents: 10_000, workingSetGiB: 1000, averageAcu }).warnings.map((w) => w.code)
  t.notOk(codes(300).includes('AVERAGE_ACU_OUTSIDE_RANGE'), '300 ACU on two instances')
  t.notOk(codes(500).includes('AVERAGE_ACU_OUTSIDE_RANGE'))
  t.match(estimateAurora({ agents: 10_000, workingSetGiB: 1000, averageAcu: 500.5 }).warnings.find((w) => w.code === 'AVERAGE_ACU_OUTSIDE_RANGE')?.message, /averageAcu 500\.5 is outside the 4-500 ACU \(2 instances of 2-250\)/)
  t.ok(codes(3.5).includes('AVERAGE_ACU_OUTSIDE_RANGE'))
  t.equal(estimateAurora({ averageAcu: 9.8 }).cost.computeUsdPerMonth, estimateAurora().cost.computeUsdPerMonth, 'an average need not be a 0.5 step')
})
