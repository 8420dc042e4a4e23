import {DEFAULT_FORMAT, formatLine, type FieldValues, type FlowFormat} from '../../source/flowlog/format.js';
import {FlowLogDecoder, parseRecord} from '../../source/flowlog/decoder.js';
import type {FlowRecord} from '../../source/flowlog/record.js';

/** A default-format (v2) line; unspecified fields get ordinary values. */
export function v2(values: FieldValues = {}): string {
	return formatLine(
		{
			version: 2,
			'account-id': '123456789012',
			'interface-id': 'eni-0aaa',
			srcaddr: '10.0.1.5',
			dstaddr: '10.0.2.9',
			srcport: 44_321,
			dstport: 443,
			protocol: 6,
			packets: 10,
			bytes: 1000,
			start: 1_700_000_000,
			end: 1_700_000_060,
			action: 'ACCEPT',
			'log-status': 'OK',
			...values,
		},
		DEFAULT_FORMAT,
	);
}

/** Parse lines the way a file is read (headers, JSON lines and all) into records. */
export function records(lines: readonly string[], format?: FlowFormat): FlowRecord[] {
	const decoder = new FlowLogDecoder(format);
	const out: FlowRecord[] = [];
	for (const line of lines) {
		decoder.decode(line, 0, line.length, parseRecord, out);
	}

	return out;
}
