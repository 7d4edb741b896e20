import { sweeps } from './sweeps.js'
import { formatTable } from './report.js'
console.log(formatTable(await sweeps()))
process.exit()
