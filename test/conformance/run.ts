import process from 'node:process';
import {corpusPath, corpusPresent} from './corpus.js';
import {loadCases, runConformance} from './conformance.js';
import {counts, deliberateLines, failureLines} from './report.js';

/**
 * `npm run conformance`: flowtop's parser against third-party parsers' expected results. The corpus
 * is optional (it lives beside the repository, not in it), so its absence is not a failure.
 */
const root = corpusPath();
if (corpusPresent(root)) {
	const report = runConformance(loadCases(root));
	const lines = [...failureLines(report), ...deliberateLines(report)];
	const {passed, failed, deliberate} = counts(report);
	console.log([...lines, `${deliberate} deliberate differences (neither passed nor failed; see deliberate-differences.ts)`, `${passed} passed, ${failed} failed`].join('\n'));
	process.exitCode = failed > 0 ? 1 : 0;
} else {
	console.log(`conformance corpus absent at ${root}: nothing to check`);
}
