/**
 * `npm run mutate`: Stryker mutates the domain folders and runs, for each mutant, only the unit
 * tests that covered its code in the dry run (perTest coverage), one or two at a time on this
 * shared 2-core machine. Reports go to reports/mutation/ (gitignored); it reuses the
 * results of mutants whose code and tests did not change since the last run.
 */
export default {
	testRunner: 'vitest',
	plugins: ['@stryker-mutator/vitest-runner'],
	vitest: {configFile: 'test/mutation/vitest.config.ts'},
	coverageAnalysis: 'perTest',
	mutate: [
		'source/engine/**/*.ts',
		'source/flowlog/**/*.ts',
		'source/diagnosis/**/*.ts',
		'source/sources/insights/**/*.ts',
		'source/ui/text.ts',
	],
	concurrency: 2,
	// A loaded machine runs a test several times slower than the dry run measured it.
	timeoutMS: 20_000,
	timeoutFactor: 3,
	dryRunTimeoutMinutes: 30,
	reporters: ['clear-text', 'progress', 'html', 'json'],
	htmlReporter: {fileName: 'reports/mutation/mutation.html'},
	jsonReporter: {fileName: 'reports/mutation/mutation.json'},
	incremental: true,
	incrementalFile: 'reports/mutation/incremental.json',
	tempDirName: '.stryker-tmp',
	cleanTempDir: 'always',
};
