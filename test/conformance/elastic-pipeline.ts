import {DEFAULT_FORMAT} from '../../source/flowlog/format.js';
import type {SourceDirectory} from './corpus.js';
import {elasticExpectation} from './elastic.js';
import {tokenCountLayout} from './layouts.js';
import {malformed, type Case, type Expectation} from './pair.js';

type PipelineRecord = Readonly<Record<string, unknown>> & {readonly 'event.original': string};

const expectedSuffix = '-expected.trimmed.json';

/** Transit Gateway columns the pipeline has no field for (all `-` in the corpus anyway). */
const unmappedColumns = [
	'tgw-src-vpc-account-id',
	'tgw-dst-vpc-account-id',
	'tgw-src-subnet-id',
	'tgw-dst-subnet-id',
	'tgw-src-az-id',
	'tgw-dst-az-id',
	'tgw-pair-attachment-id',
	'packets-lost-no-route',
	'packets-lost-blackhole',
	'packets-lost-mtu-exceeded',
	'packets-lost-ttl-expired',
];

// A record without any aws.* key is the pipeline giving up on the line (bad.log).
function expectation(origin: string, record: PipelineRecord): Expectation {
	return Object.keys(record).some(key => key.startsWith('aws.'))
		? elasticExpectation(origin, record, unmappedColumns)
		: malformed;
}

// The module and pipeline drop header lines (those starting `version` or `instance-id`) and empty
// lines, and read a CloudWatch export line's `message`; what is left is one event per line.
function isHeader(line: string): boolean {
	return line.startsWith('version') || line.startsWith('instance-id');
}

function eventLines(text: string): string[] {
	return text
		.split('\n')
		.filter(line => line !== '' && !isHeader(line))
		.map(line => (line.startsWith('{') ? (JSON.parse(line) as {message: string}).message : line));
}

/**
 * The deprecated Filebeat module and the Elastic integration: one line pair per expected event,
 * its format picked by token count as the pipeline does. Where the raw log is the one the expected
 * events came from, the whole file is also a case, to exercise headers, blank lines and JSON lines.
 * (beats-module's tcp-flag-sequence.log is from another revision than its expected events.)
 */
export function pipelineCases(directory: SourceDirectory): Case[] {
	const cases: Case[] = [];
	for (const expectedFile of directory.files(expectedSuffix)) {
		const log = expectedFile.slice(0, -expectedSuffix.length);
		const records = directory.json(expectedFile) as PipelineRecord[];
		const expectations = records.map((record, i) => expectation(`${log}#${i + 1}`, record));
		for (const [i, record] of records.entries()) {
			const line = record['event.original'];
			// A line fitting no layout (bad.log) meets flowtop's default format, as it would in use.
			const format = tokenCountLayout(line) ?? DEFAULT_FORMAT;
			cases.push({
				kind: 'line',
				source: directory.source,
				id: `${log}#${i + 1}`,
				line,
				format,
				expect: expectations[i]!,
			});
		}

		const text = directory.text(log);
		const events = eventLines(text);
		if (events.length !== records.length || events.some((line, i) => line !== records[i]!['event.original'])) {
			continue;
		}

		const first = text.split('\n').find(line => line !== '') ?? '';
		const format = isHeader(first) ? DEFAULT_FORMAT : (tokenCountLayout(events[0]!) ?? DEFAULT_FORMAT);
		cases.push({kind: 'file', source: directory.source, id: log, text, format, expect: expectations});
	}

	return cases;
}
