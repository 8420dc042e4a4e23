import {defineConfig} from 'vitest/config';

/**
 * The tests `npm run mutate` runs against each mutant: the unit tests, in process. Left out: what
 * drives the built CLI (dist/ is not mutated, so those tests cannot see a mutant, only slow it),
 * tmux and moto_server (e2e), the benchmarks, and what runs the simulated VPC, the whole app or the
 * whole --once pipeline (the demo, the diagnosis scenarios, the whole-app UI tests, --once over a
 * log group, the poller over a simulated VPC and through faults): each takes seconds to minutes, and
 * every mutant they cover would run them again (instrumented, on a busy machine, the poller's longest
 * test outlasts even a minute). The folders' own unit tests are what must catch their mutants; the
 * insights target runs the poller's and the fault tests too (stryker.config.mjs says why).
 */
const targetTests = process.env.MUTATION_TESTS?.split(',');

export default defineConfig({
	test: {
		// Under mutation the machine is busy and the code instrumented: a test's own timeouts still
		// apply, but the per-test limit is not what a mutant is judged by (Stryker times mutants itself).
		testTimeout: 60_000,
		// One target's own tests (stryker.config.mjs), else every unit test.
		include: targetTests?.map(glob => (glob.endsWith('**') ? `${glob}/*.test.{ts,tsx}` : glob)) ?? [
			'test/**/*.test.{ts,tsx}',
		],
		// A file a target names is run for it, even when it is too slow for the other targets.
		exclude: [
			'test/e2e/**',
			'test/bench/**',
			'test/conformance/**',
			'test/cli.test.ts',
			'test/pack.test.ts',
			'test/parallel-read.test.ts',
			'test/readme.test.ts',
			'test/run-serve.test.ts',
			'test/demo/**',
			'test/sources/insights/run-insights-once.test.ts',
			'test/sources/insights/poller.test.ts',
			'test/sources/insights/faults.test.ts',
			'test/diagnosis/scenarios.test.ts',
			'test/diagnosis/scenario-switch.test.ts',
			'test/vpc/demo-rules.test.ts',
			'test/vpc/explained-diagnosis.test.ts',
			'test/ui/app.test.tsx',
			'test/ui/honest-screen.test.tsx',
		].filter(file => !targetTests?.includes(file)),
	},
});
