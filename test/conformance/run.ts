import process from 'node:process';
import {corpusPath, corpusPresent} from './corpus.js';
import {loadCases, runConformance} from './conformance.js';
import {counts, deliberateLines, failureLines} from './report.js';

/**
 * `npm run conformance`: flowtop's parser against third-party parsers' expected results. The corpus
 * lives beside the repository, not in it; asked to check it, its absence is a failure (exit 2), as
 * "nothing to check" would pass for "all conforms". `--allow-missing` makes the absence a pass, for a
 * clone that has no corpus on purpose.
 */
const root = corpusPath();
if (corpusPresent(root)) {
	const report = runConformance(loadCases(root));
	const lines = [...failureLines(report), ...deliberateLines(report)];
	const {passed, failed, deliberate} = counts(report);
	console.log(
		[
			...lines,
			`${deliberate} deliberate differences (neither passed nor failed; see deliberate-differences.ts)`,
			`${passed} passed, ${failed} failed`,
		].join('\n'),
	);
	process.exitCode = failed > 0 ? 1 : 0;
} else if (process.argv.includes('--allow-missing')) {
	console.log(`conformance corpus absent at ${root}: nothing checked (--allow-missing)`);
} else {
	console.error(
		`conformance: no corpus at ${root}: set FLOWTOP_PEER_DATA to its directory, or pass --allow-missing to skip`,
	);
	process.exitCode = 2;
}
