import { yamlMemory } from './yaml-memory.js'
import { formatTable } from './report.js'
console.log(formatTable(await yamlMemory()))
process.exit()
