import { fuzz } from './fuzz.js'
import { formatTable } from './report.js'
console.log(formatTable(await fuzz()))
process.exit()
