/**
 * `npm run mutate`: Stryker mutates the domain folders and runs, for each mutant, only the unit
 * tests that covered its code in the dry run (perTest coverage), one or two at a time on this
 * shared 2-core machine. Reports go to reports/mutation/ (gitignored); it reuses the
 * results of mutants whose code and tests did not change since the last run.
 *
 * `MUTATE=<target>` mutates one folder, with a report and a memory of results of its own, against
 * the folder's own unit tests: a parser or a rule is covered by nearly every test (they all parse
 * and diagnose what they read), and each mutant would run them all again (six mutants a minute
 * where the folder's own run a hundred). What the folder does must be pinned by its own tests.
 */
const targets = {
	engine: {
		mutate: ['source/engine/**/*.ts'],
		tests: ['test/engine/**', 'test/fuzz/top-lists.test.ts', 'test/fuzz/filter.test.ts'],
	},
	flowlog: {
		mutate: ['source/flowlog/**/*.ts'],
		tests: ['test/flowlog/**', 'test/fuzz/parser.test.ts', 'test/fuzz/values.test.ts'],
	},
	diagnosis: {mutate: ['source/diagnosis/**/*.ts'], tests: ['test/diagnosis/**', 'test/vpc/**', 'test/report.test.ts']},
	// The poller is pinned by its own tests on a hand-fed log group (poller-*.test.ts), a few records on
	// virtual time each; the whole-poller runs over a simulated VPC and through faults stay out, as for the other targets.
	insights: {mutate: ['source/sources/insights/**/*.ts'], tests: ['test/sources/insights/**']},
	text: {mutate: ['source/ui/text.ts'], tests: ['test/ui/text.test.ts']},
};
const target = process.env.MUTATE;
if (target !== undefined && !(target in targets)) {
	throw new Error(`MUTATE=${target} is not a target: use one of ${Object.keys(targets).join(', ')}`);
}

if (target !== undefined) {
	// Read by vitest.config.ts, in the test runner processes Stryker starts from this one.
	process.env.MUTATION_TESTS = targets[target].tests.join(',');
}

const reports = target === undefined ? 'reports/mutation' : `reports/mutation/${target}`;

export default {
	testRunner: 'vitest',
	plugins: ['@stryker-mutator/vitest-runner'],
	vitest: {configFile: 'test/mutation/vitest.config.ts'},
	coverageAnalysis: 'perTest',
	mutate: target === undefined ? Object.values(targets).flatMap(({mutate}) => mutate) : targets[target].mutate,
	concurrency: 2,
	// A loaded machine runs a test several times slower than the dry run measured it; a mutant that
	// loops forever (a parser's cursor that no longer moves) costs this much each.
	timeoutMS: 10_000,
	timeoutFactor: 3,
	dryRunTimeoutMinutes: 30,
	reporters: ['clear-text', 'progress', 'html', 'json'],
	htmlReporter: {fileName: `${reports}/mutation.html`},
	jsonReporter: {fileName: `${reports}/mutation.json`},
	incremental: true,
	incrementalFile: `${reports}/incremental.json`,
	tempDirName: '.stryker-tmp',
	cleanTempDir: 'always',
};
