import {describe, expect, it} from 'vitest';
import {FIELDS} from '../../../source/flowlog/fields.js';
import {DEFAULT_FORMAT, type FlowFormat, formatOf, parseFormatString} from '../../../source/flowlog/format.js';
import {LineParser} from '../../../source/flowlog/parser.js';
import {flowLine} from '../../../source/demo/vpc/flow-line.js';
import type {SimulatedRecord} from '../../../source/demo/vpc/flow-record.js';
import {SCENARIOS} from '../../../source/demo/vpc/scenarios.js';
import {history, recordsOf} from './simulate.js';

/** Every field up to v5, in the catalog's order: what a "log everything" custom format holds. */
const FULL_V5 = formatOf(FIELDS.filter(spec => spec.version <= 5).map(spec => spec.name));
const V5_WITH_INTERFACE_TYPE = formatOf([...FULL_V5.fields, 'interface-type']);
/** AWS's own "TCP flag sequence" example order. */
const AWS_EXAMPLE = parseFormatString(
	'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status',
);

const records: SimulatedRecord[] = SCENARIOS.flatMap(scenario =>
	recordsOf(history(scenario.name, 2, {noDataProbability: 1})),
);

function roundTrip(format: FlowFormat, version: number) {
	const parser = new LineParser(format);
	for (const record of records) {
		const line = flowLine(record.values, format);
		const parsed = parser.fields(line);
		const expected: Record<string, string | number> = {};
		for (const name of format.fields) {
			const value = name === 'version' ? version : record.values[name];
			if (value !== undefined) {
				expected[name] = value;
			}
		}

		expect({line, parsed}).toEqual({line, parsed: expected});
		expect(parser.parse(line)).toMatchObject({eni: record.eni});
	}
}

describe('rendering the simulated records', () => {
	it('has traffic of every protocol and a NODATA record to render', () => {
		expect(new Set(records.map(record => record.values.protocol))).toEqual(new Set([1, 6, 17, undefined]));
		expect(records.some(record => record.values.type === 'IPv6')).toBe(true);
	});

	it('round-trips every record through the default format', () => {
		roundTrip(DEFAULT_FORMAT, 2);
	});

	it('round-trips every record through a full v5 custom format', () => {
		roundTrip(FULL_V5, 5);
	});

	it('round-trips with interface-type, which makes the records version 11', () => {
		roundTrip(V5_WITH_INTERFACE_TYPE, 11);
	});

	it("round-trips through AWS's own example field order", () => {
		roundTrip(AWS_EXAMPLE, 3);
	});

	it("writes NODATA the way AWS's documentation shows it", () => {
		const noData = records.find(record => record.values['log-status'] === 'NODATA')!;
		expect(flowLine(noData.values, DEFAULT_FORMAT)).toMatch(
			/^2 123456789012 eni-[\da-f]{17} - - - - - - - \d{10} \d{10} - NODATA$/,
		);
	});
});
