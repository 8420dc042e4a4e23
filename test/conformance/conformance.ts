import {compareCase, type Comparison} from './compare.js';
import {SourceDirectory} from './corpus.js';
import {covers, deliberateDifferences, type DeliberateDifference} from './deliberate-differences.js';
import type {Case} from './pair.js';
import {awsDocs} from './sources/aws-docs.js';
import {beatsModule} from './sources/beats-module.js';
import {beatsProcessor} from './sources/beats-processor.js';
import {flowlogsReader} from './sources/flowlogs-reader.js';
import {integrations} from './sources/integrations.js';
import {otelAwsLogsEncoding} from './sources/otel-awslogsencoding.js';
import {panther} from './sources/panther.js';
import {vrl} from './sources/vrl.js';

/** Every source of the corpus, by its directory name, with the loader that turns it into cases. */
const loaders: Readonly<Record<string, (directory: SourceDirectory) => Case[]>> = {
	'beats-processor': beatsProcessor,
	'beats-module': beatsModule,
	integrations,
	'otel-awslogsencoding': otelAwsLogsEncoding,
	vrl,
	'flowlogs-reader': flowlogsReader,
	panther,
	'aws-docs': awsDocs,
};

export function loadCases(root: string): Case[] {
	return Object.entries(loaders).flatMap(([source, load]) => load(new SourceDirectory(root, source)));
}

export interface Result extends Comparison {
	readonly verdict: 'pass' | 'fail' | 'deliberate';
	/** For a deliberate result, the entries that explain its differences. */
	readonly explained: readonly DeliberateDifference[];
}

export interface ConformanceReport {
	readonly results: readonly Result[];
	/** Table entries that explain nothing: stale, so they count as failures. */
	readonly unused: readonly DeliberateDifference[];
}

export function runConformance(cases: readonly Case[]): ConformanceReport {
	const used = new Set<DeliberateDifference>();
	const results = cases
		.flatMap(testCase => compareCase(testCase))
		.map((comparison): Result => {
			const explained = comparison.differences.map(difference =>
				deliberateDifferences.find(entry => covers(entry, comparison, difference)),
			);
			for (const entry of explained) {
				if (entry) {
					used.add(entry);
				}
			}

			if (comparison.differences.length === 0) {
				return {...comparison, verdict: 'pass', explained: []};
			}

			return explained.every(entry => entry !== undefined)
				? {...comparison, verdict: 'deliberate', explained: [...new Set(explained)]}
				: {...comparison, verdict: 'fail', explained: []};
		});
	return {results, unused: deliberateDifferences.filter(entry => !used.has(entry))};
}
