// Types of scripts/test-tools.mjs for the TypeScript tests (test/tools.ts).
export declare const TOOLS_DIR: string
export declare function toolPaths (env?: NodeJS.ProcessEnv): { prometheus: string, promtool: string, chromium: string, helm: string }
export declare function provideTestTools (options?: { install?: boolean, log?: (line: string) => void }): Record<string, string>
