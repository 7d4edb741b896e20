import { overload } from './overload.ts'
import { formatTable } from './report.ts'
console.log(formatTable(await overload()))
process.exit()
