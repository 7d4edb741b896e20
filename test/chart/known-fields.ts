// Unknown fields in rendered Kubernetes objects. kubernetes-models validates types, enums, formats
// and required fields, but its schemas leave additionalProperties open, so a misspelt field
// (`readinessprobe`, `runAsNonroot`) passes it, and the API server would drop it silently. The same
// package ships a TypeScript interface for every definition, generated from the same OpenAPI
// document: this walks a rendered object against those interfaces with the TypeScript checker and
// reports every key the interface does not declare. Maps (labels, annotations, resources' limits)
// are index signatures there, so any key passes; a union of object types (none in the kinds the
// chart renders) would be skipped rather than guessed.
import ts from 'typescript'
import { fileURLToPath } from 'node:url'

/** The interface of each kind the chart can render, by "apiVersion/kind". */
const KINDS: Record<string, { module: string, type: string }> = {
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'v1/Service': { module: 'kubernetes-models/v1/Service', type: 'IService' },
  'v1/ServiceAccount': { module: 'kubernetes-models/v1/ServiceAccount', type: 'IServiceAccount' },
  'autoscaling/v2/HorizontalPodAutoscaler': { module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', type: 'IHorizontalPodAutoscaler' },
  'policy/v1/PodDisruptionBudget': { module: 'kubernetes-models/policy/v1/PodDisruptionBudget', type: 'IPodDisruptionBudget' },
  'networking.k8s.io/v1/NetworkPolicy': { module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy', type: 'INetworkPolicy' },
  'networking.k8s.io/v1/Ingress': { module: 'kubernetes-models/networking.k8s.io/v1/Ingress', type: 'IIngress' },
  'monitoring.coreos.com/v1/ServiceMonitor': { module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor', type: 'IServiceMonitor' }
}

export const KNOWN_KINDS = Object.keys(KINDS)

export type FieldChecker = (object: { apiVersion: string, kind: string }) => string[]

/**
 * A checker over the interfaces above: one TypeScript program (about a second to build), then a
 * walk per object. Returns the JSON paths of the keys no interface declares.
 */
export function knownFieldChecker (): FieldChecker {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const entry = `${root}test/chart/__kinds__.ts`
  const source = Object.entries(KINDS).map(([, { module, type }], index) => `import type { ${type} as K${index} } from '${module}'`).join('\n') +
    `\nexport interface Kinds {\n${Object.keys(KINDS).map((key, index) => `  '${key}': K${index}`).join('\n')}\n}\n`
  const options: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, lib: ['lib.es5.d.ts'], types: [], skipLibCheck: true, noEmit: true, strict: true }
  const host = ts.createCompilerHost(options)
  const { getSourceFile, fileExists, readFile } = host
  host.getSourceFile = (name, languageVersion, ...rest) => name === entry ? ts.createSourceFile(name, source, languageVersion) : getSourceFile.call(host, name, languageVersion, ...rest)
  host.fileExists = (name) => name === entry || fileExists.call(host, name)
  host.readFile = (name) => name === entry ? source : readFile.call(host, name)
  const program = ts.createProgram([entry], options, host)
  const checker = program.getTypeChecker()
  const file = program.getSourceFile(entry) as ts.SourceFile
  const kinds = file.statements.find(ts.isInterfaceDeclaration) as ts.InterfaceDeclaration
  const kindsType = checker.getTypeAtLocation(kinds)
  const unresolved = Object.keys(KINDS).filter((key) => {
    const symbol = kindsType.getProperty(key)
    return symbol === undefined || checker.getTypeOfSymbol(symbol).getProperties().length === 0
  })
  if (unresolved.length > 0) throw new Error(`the interfaces of ${unresolved.join(', ')} did not resolve`)

  /** The object type(s) a value of `type` can be, undefined and null removed. */
  const objectTypes = (type: ts.Type): ts.Type[] => {
    const members = type.isUnion() ? type.types : [type]
    return members.filter((member) => (member.flags & ts.TypeFlags.Object) !== 0)
  }

  const walk = (value: unknown, type: ts.Type, path: string, unknown: string[]): void => {
    if (value === null || typeof value !== 'object') return
    const candidates = objectTypes(checker.getNonNullableType(type))
    if (candidates.length !== 1) return
    const [shape] = candidates
    if (Array.isArray(value)) {
      const element = checker.getIndexTypeOfType(shape, ts.IndexKind.Number)
      if (element !== undefined) value.forEach((item, index) => { walk(item, element, `${path}[${index}]`, unknown) })
      return
    }
    const map = checker.getIndexTypeOfType(shape, ts.IndexKind.String)
    for (const [key, item] of Object.entries(value)) {
      const property = shape.getProperty(key)
      if (property !== undefined) walk(item, checker.getTypeOfSymbol(property), `${path}.${key}`, unknown)
      else if (map !== undefined) walk(item, map, `${path}.${key}`, unknown)
      else unknown.push(`${path}.${key}`)
    }
  }

  return (object) => {
    const key = `${object.apiVersion}/${object.kind}`
    const symbol = kindsType.getProperty(key)
    if (symbol === undefined) return [`${key}: no interface for this kind`]
    const unknown: string[] = []
    walk(object, checker.getTypeOfSymbol(symbol), object.kind, unknown)
    return unknown
  }
}
