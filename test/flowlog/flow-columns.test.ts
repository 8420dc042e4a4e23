import {describe, expect, it} from 'vitest';
import {FlowColumns} from '../../source/flowlog/flow-columns.js';
import {formatOf, formatLine} from '../../source/flowlog/format.js';
import {FIELDS} from '../../source/flowlog/fields.js';
import {records, v2} from '../helpers/lines.js';

const EVERY_FIELD = formatOf(FIELDS.map(spec => spec.name));

describe('a batch of records as columns', () => {
	it('gives back each record it was given, absent fields and all', () => {
		const given = [
			...records([
				v2({action: 'REJECT', 'tcp-flags': 2}),
				v2({
					srcaddr: '-',
					dstaddr: '-',
					srcport: '-',
					dstport: '-',
					protocol: '-',
					packets: '-',
					bytes: '-',
					action: '-',
					'log-status': 'NODATA',
				}),
				v2({'log-status': 'SKIPDATA', start: '-'}),
			]),
			...records(
				[
					formatLine(
						{
							version: 5,
							'interface-id': 'eni-0bbb',
							srcaddr: '2001:db8::1',
							dstaddr: '10.0.0.9',
							'pkt-srcaddr': '203.0.113.7',
							'flow-direction': 'egress',
							'tcp-flags': 4_294_967_296,
							'interface-type': 'nat_gateway',
							'subnet-id': 'subnet-0aaa',
							'vpc-id': 'vpc-0aaa',
							'instance-id': 'i-0aaa',
							action: 'ACCEPT',
							'log-status': 'OK',
						},
						EVERY_FIELD,
					),
				],
				EVERY_FIELD,
			),
		];
		expect(given.map(record => record.status)).toEqual(['OK', 'NODATA', 'SKIPDATA', 'OK']);
		const batch = new FlowColumns(2);
		for (const record of given) {
			batch.add(record);
		}

		expect(Array.from({length: batch.size}, (_, row) => batch.record(row))).toEqual(given);
		batch.clear();
		batch.add(given[1]!);
		expect([batch.size, batch.record(0)]).toEqual([1, given[1]]);
	});

	it('says how many records a stats row stands for, once a batch holds one, and keeps the direction', () => {
		const [inbound, outbound] = records(
			[
				formatLine({version: 5, srcaddr: '10.0.0.1', 'flow-direction': 'ingress', action: 'ACCEPT'}, EVERY_FIELD),
				formatLine({version: 5, srcaddr: '10.0.0.2', 'flow-direction': 'egress', action: 'REJECT'}, EVERY_FIELD),
			],
			EVERY_FIELD,
		);
		const batch = new FlowColumns();
		batch.add(inbound!);
		expect(batch.record(0)).not.toHaveProperty('records');
		batch.add(outbound!, 40);
		expect(batch.record(0)).toMatchObject({direction: 'inbound', action: 'ACCEPT', records: 1});
		expect(batch.record(1)).toMatchObject({direction: 'outbound', action: 'REJECT', records: 40});
		batch.clear();
		batch.add(inbound!);
		expect(batch.record(0)).not.toHaveProperty('records');
	});

	it('keeps a count of zero as zero, not as absent', () => {
		const [empty] = records([v2({packets: 0, bytes: 0, 'tcp-flags': 0})]);
		const batch = new FlowColumns();
		batch.add(empty!);
		expect(batch.record(0)).toMatchObject({packets: 0, bytes: 0});
	});
});
