/**
 * `npm run mutate`: Stryker mutates the domain folders and runs, for each mutant, only the unit
 * tests that covered its code in the dry run (perTest coverage), one or two at a time on this
 * shared 2-core machine. Reports go to reports/mutation/ (gitignored); it reuses the
 * results of mutants whose code and tests did not change since the last run.
 *
 * `MUTATE=<target>` mutates one folder (the targets below), with a report and a memory of results
 * of its own. A target runs the unit tests minus those that drive a whole poller over the endpoint
 * (`MUTATION_SLOW`): a rule or a parser mutant is covered by them, as they diagnose and parse
 * whatever they read, and each such mutant would run their 20 seconds again (six mutants a minute
 * where the rest run a hundred). They stay in the insights target, whose own behaviour they pin.
 */
const targets = {
	engine: ['source/engine/**/*.ts'],
	flowlog: ['source/flowlog/**/*.ts'],
	diagnosis: ['source/diagnosis/**/*.ts'],
	insights: ['source/sources/insights/**/*.ts'],
	text: ['source/ui/text.ts'],
};
const target = process.env.MUTATE;
if (target !== undefined && !(target in targets)) {
	throw new Error(`MUTATE=${target} is not a target: use one of ${Object.keys(targets).join(', ')}`);
}

if (target !== undefined && target !== 'insights') {
	process.env.MUTATION_SKIP_SLOW = '1';
}

const reports = target === undefined ? 'reports/mutation' : `reports/mutation/${target}`;

export default {
	testRunner: 'vitest',
	plugins: ['@stryker-mutator/vitest-runner'],
	vitest: {configFile: 'test/mutation/vitest.config.ts'},
	coverageAnalysis: 'perTest',
	mutate: target === undefined ? Object.values(targets).flat() : targets[target],
	concurrency: 2,
	// A loaded machine runs a test several times slower than the dry run measured it.
	timeoutMS: 20_000,
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
