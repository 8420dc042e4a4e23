import {describe, expect, it} from 'vitest';
import {snapshotOf} from '../../source/diagnosis/snapshot.js';
import {FlowStore} from '../../source/engine/store.js';
import {parseFormatString} from '../../source/flowlog/format.js';
import {records} from '../helpers/lines.js';
import {accept, v2Store} from './flows.js';

/** The direction of every conversation in the window, as `src>dst direction`. */
function directions(store: FlowStore): string[] {
	const snapshot = snapshotOf(store);
	const seen: string[] = [];
	for (const flow = snapshot.cursor(); flow.next(); ) {
		seen.push(`${snapshot.text(flow.src)}>${snapshot.text(flow.dst)} ${snapshot.direction(flow) ?? 'unknown'}`);
	}

	return seen;
}

describe('the snapshot', () => {
	it("tells inbound from outbound by the interface's own address, the one in most of its records", () => {
		const store = v2Store([
			accept('eni-0web', '203.0.113.7:50000', '10.0.1.5:443'),
			accept('eni-0web', '10.0.1.5:443', '203.0.113.7:50000'),
			accept('eni-0web', '198.51.100.2:50001', '10.0.1.5:443'),
			accept('eni-0web', '10.0.1.5:44000', '198.51.100.9:443'),
		]);
		expect(store.profiles.get('eni-0web')!.own).toEqual(['10.0.1.5']);
		expect(directions(store)).toEqual([
			'203.0.113.7>10.0.1.5 inbound',
			'10.0.1.5>203.0.113.7 outbound',
			'198.51.100.2>10.0.1.5 inbound',
			'10.0.1.5>198.51.100.9 outbound',
		]);
	});

	it('takes v5 flow-direction over the own address when the record has it', () => {
		const store = new FlowStore();
		store.add(
			records(
				[
					'10.0.1.5 10.0.9.9 ingress eni-0one',
					'10.0.9.9 10.0.1.5 egress eni-0one',
					'10.0.1.5 10.0.9.9 egress eni-0one',
				],
				parseFormatString('srcaddr dstaddr flow-direction interface-id'),
			),
		);
		expect(directions(store)).toEqual([
			'10.0.1.5>10.0.9.9 inbound',
			'10.0.9.9>10.0.1.5 outbound',
			'10.0.1.5>10.0.9.9 outbound',
		]);
	});

	it("says unknown when neither end is the interface's own address", () => {
		const store = v2Store([
			accept('eni-0web', '10.0.1.5:44000', '10.0.2.1:443'),
			accept('eni-0web', '10.0.1.5:44001', '10.0.2.2:443'),
			accept('eni-0web', '10.0.1.5:44002', '10.0.2.3:443'),
			accept('eni-0web', '10.0.7.7:44003', '10.0.8.8:443'),
		]);
		expect(directions(store).at(-1)).toBe('10.0.7.7>10.0.8.8 unknown');
	});
});
