/** The sub-benchmarks `npm run bench` knows, by name. Each resolves to a process exit code. */
export type Benchmark = (args: string[]) => Promise<number>;

export const benchmarks: Record<string, Benchmark> = {
  engine: async (args) => (await import('./engine/run-engine-bench.js')).runEngineBench(args),
  app: async (args) => (await import('./app/run-app-bench.js')).runAppBench(args),
  real: async (args) => (await import('./engine/run-real-bench.js')).runRealBench(args),
  load: async (args) => (await import('./load/run-load-bench.js')).runLoadBench(args),
};
