import { slow } from './slow.js'
import { formatTable } from './report.js'
console.log(formatTable(await slow()))
process.exit()
