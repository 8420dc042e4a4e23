import {describe, expect, it} from 'vitest';
import {FlowStore} from '../../source/engine/store.js';
import {FlowColumns} from '../../source/flowlog/flow-columns.js';
import {DEFAULT_FORMAT} from '../../source/flowlog/format.js';
import {LineParser} from '../../source/flowlog/parser.js';
import {v2} from '../helpers/lines.js';

const parser = new LineParser(DEFAULT_FORMAT);

function parsed(batch: FlowColumns, lines: string[]): FlowColumns {
	batch.clear();
	for (const line of lines) {
		expect(parser.parseInto(batch, line, 0, line.length)).toBeUndefined();
	}

	return batch;
}

describe('a store fed columns straight from the parser', () => {
	it('reads a code again once the dictionary behind it has started afresh', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		const batch = new FlowColumns();
		store.addColumns(parsed(batch, [v2({'interface-id': 'eni-0aaa', srcaddr: '2001:db8::1'})]));
		batch.dictionary.clearIfOver(0);
		store.addColumns(parsed(batch, [v2({'interface-id': 'eni-0bbb', srcaddr: '2001:db8::2'})]));
		expect([...store.flows()].map(flow => [flow.eni, flow.src])).toEqual([
			['eni-0aaa', '2001:db8::1'],
			['eni-0bbb', '2001:db8::2'],
		]);
	});

	it('takes every spelling of an address for the one address, and IPv4 and IPv6 apart', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		store.addColumns(
			parsed(new FlowColumns(), [
				v2({srcaddr: 'FE80:0:0:0:0:0:0:2', bytes: 1}),
				v2({srcaddr: 'fe80::2', bytes: 2}),
				v2({srcaddr: '10.0.0.1', bytes: 4}),
				v2({srcaddr: '::ffff:10.0.0.1', bytes: 8}),
			]),
		);
		expect([...store.flows()].map(flow => [flow.src, flow.bytes])).toEqual([
			['fe80::2', 3],
			['10.0.0.1', 4],
			['::ffff:a00:1', 8],
		]);
	});
});
