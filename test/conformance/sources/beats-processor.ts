import {parse} from 'yaml';
import {parseFormatString} from '../../../source/flowlog/format.js';
import type {SourceDirectory} from '../corpus.js';
import {elasticExpectation} from '../elastic.js';
import {fromUnderscoreNames} from '../expected-fields.js';
import type {LinePair} from '../pair.js';

interface ProcessorCase {
	readonly format: string;
	readonly samples: readonly string[];
	readonly mode?: 'ecs' | 'original' | 'ecs_and_original';
}

interface Golden {
	readonly message: string;
	readonly aws?: {readonly vpcflow?: Readonly<Record<string, unknown>>};
}

/**
 * Golden tests of Beats' Go processor: explicit format strings, one golden record per sample. The
 * `-ecs`/`-ecs_and_original` variants repeat the original-mode samples and have no golden copied.
 */
export function beatsProcessor(directory: SourceDirectory): LinePair[] {
	// Merge keys (`<<: *v5-fields`) are YAML 1.1, as Go's parser reads them.
	const cases = parse(directory.text('aws-vpc-flow-logs.yml'), {merge: true}) as Record<string, ProcessorCase>;
	const pairs: LinePair[] = [];
	for (const [name, testCase] of Object.entries(cases)) {
		if (name.endsWith('-ecs') || name.endsWith('-ecs_and_original')) {
			continue;
		}

		const format = parseFormatString(testCase.format);
		const goldens = directory.json(`${name}.golden.json`) as Golden[];
		if (goldens.length !== testCase.samples.length) {
			throw new Error(`beats-processor ${name}: ${testCase.samples.length} samples, ${goldens.length} golden records`);
		}

		for (const [i, line] of testCase.samples.entries()) {
			const id = `${name}#${i + 1}`;
			const golden = goldens[i]!;
			if (golden.message !== line) {
				throw new Error(`beats-processor ${id}: the golden record is for another sample`);
			}

			// Original mode keeps the flow-log names under aws.vpcflow, plus tcp_flags_array derived from tcp_flags.
			const {tcp_flags_array: _derived, ...original} = golden.aws?.vpcflow ?? {};
			const expect =
				testCase.mode === 'original'
					? fromUnderscoreNames(id, original)
					: elasticExpectation(id, golden as unknown as Record<string, unknown>);
			pairs.push({kind: 'line', source: directory.source, id, line, format, expect});
		}
	}

	return pairs;
}
