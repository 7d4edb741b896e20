import { prometheus } from './prometheus.js'
import { formatTable } from './report.js'
console.log(formatTable(await prometheus()))
process.exit()
