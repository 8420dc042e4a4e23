import type {ResultField} from '@aws-sdk/client-cloudwatch-logs';
import {describe, expect, it} from 'vitest';
import type {AggregatedRecords} from '../../../source/engine/store.js';
import {ParseStats} from '../../../source/flowlog/decoder.js';
import {DEFAULT_FORMAT} from '../../../source/flowlog/format.js';
import {emptyRecord} from '../../../source/flowlog/record.js';
import {type AggregateFields, aggregateFields} from '../../../source/sources/insights/aggregate-plan.js';
import {AggregateRowReader} from '../../../source/sources/insights/aggregate-rows.js';

const fields = aggregateFields(DEFAULT_FORMAT) as AggregateFields;

/** A result row as GetQueryResults returns it: the fields a query grouped by, then its sums. */
function row(values: Record<string, string | undefined>): ResultField[] {
	return Object.entries(values).map(([field, value]) => ({field, value}));
}

/** An accepted flow to a web server, grouped by client address and server port, as the rest queries group it. */
const web = {
	bin: '2026-03-01 09:00:00.000',
	interfaceId: 'eni-0a1',
	accountId: '123456789012',
	srcAddr: '203.0.113.7',
	dstAddr: '10.0.1.5',
	dstPort: '443',
	protocol: '6',
	action: 'ACCEPT',
	logStatus: 'OK',
	sumBytes: '48000',
	sumPackets: '120',
	records: '12',
	firstStart: '1772355600',
	lastEnd: '1772355659',
};

function read(rows: ResultField[][]): {out: AggregatedRecords[]; stats: ParseStats} {
	const stats = new ParseStats();
	const out: AggregatedRecords[] = [];
	new AggregateRowReader(fields.grouped, stats).read(rows, out);
	return {out, stats};
}

describe('rows of the stats queries, as records with totals', () => {
	it('a row is the records it grouped: its fields, its sums as bytes and packets, its span as start and end', () => {
		const {out, stats} = read([row(web)]);
		expect(stats.malformed).toBe(0);
		expect(out).toEqual([
			{
				...emptyRecord(),
				account: '123456789012',
				eni: 'eni-0a1',
				src: '203.0.113.7',
				dst: '10.0.1.5',
				dstPort: 443,
				protocol: 6,
				bytes: 48_000,
				packets: 120,
				start: 1_772_355_600,
				end: 1_772_355_659,
				action: 'ACCEPT',
				status: 'OK',
				records: 12,
			},
		]);
	});

	it('a field the row was not grouped by, or the service left blank, is unknown rather than zero', () => {
		const {out, stats} = read([row({...web, srcPort: '', srcAddr: undefined, protocol: ' '})]);
		expect(stats.malformed).toBe(0);
		expect(out[0]).toMatchObject({
			srcPort: undefined,
			src: undefined,
			protocol: undefined,
			dst: '10.0.1.5',
			dstPort: 443,
		});
	});

	it('values are read as the parser reads a raw record: padding dropped, addresses canonical', () => {
		const {out, stats} = read([row({...web, srcAddr: '2001:DB8:0:0::7', dstPort: ' 443 ', sumBytes: '48000 '})]);
		expect(stats.malformed).toBe(0);
		expect(out[0]).toMatchObject({src: '2001:db8::7', dstPort: 443, bytes: 48_000});
	});

	it('one record is a row; none, a part of one, or no count at all is counted as malformed and left out', () => {
		const {out, stats} = read([
			row({...web, records: '1'}),
			row({...web, records: '0'}),
			row({...web, records: '2.5'}),
			row({...web, records: undefined}),
		]);
		expect(out.map(record => record.records)).toEqual([1]);
		expect(stats.malformed).toBe(3);
		expect([...stats.byReason]).toEqual([['aggregate row: bad record count', 3]]);
	});

	it('a row the parser refuses is counted with its reason and its line, not guessed at', () => {
		const {out, stats} = read([row({...web, sumBytes: '48k'}), row(web)]);
		expect(out).toHaveLength(1);
		expect(stats.malformed).toBe(1);
		expect([...stats.byReason.keys()]).toEqual([expect.stringMatching(/^aggregate row: .*bytes/)]);
		expect(stats.samples[0]!.text).toBe(
			'eni-0a1 203.0.113.7 10.0.1.5 - 443 6 ACCEPT OK 123456789012 48k 120 1772355600 1772355659',
		);
	});
});
