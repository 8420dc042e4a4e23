import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {EMPTY_FILTER, FilterError, formatFilter, matchesFilter, parseFilter} from '../../source/engine/filter.js';
import {drillTo} from '../../source/ui/drill.js';
import {FlowStore} from '../../source/engine/store.js';
import {computeViews, type Views} from '../../source/engine/views.js';
import type {FlowRecord} from '../../source/flowlog/record.js';
import {PANE_VIEWS} from '../../source/ui/state.js';
import {protocolRows, rejectRows, talkerRows, type PaneContent} from '../../source/ui/pane-rows.js';
import {records, v2} from '../helpers/lines.js';
import {type InterfaceNames, NO_NAMES} from '../../source/vpc/interface-names.js';

const T = 1_700_000_000;

function viewsOf(flows: readonly FlowRecord[]): Views {
	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
	store.add(flows);
	return computeViews(store, EMPTY_FILTER, {limit: 20});
}

const traffic = records([
	v2({
		'interface-id': 'eni-0web',
		srcaddr: '10.0.1.10',
		dstaddr: '10.0.2.20',
		dstport: 5432,
		bytes: 9_000_000,
		start: T,
		end: T + 60,
	}),
	v2({
		'interface-id': 'eni-0web',
		srcaddr: '2600:1f18:abcd:1234:5678:9abc:def0:1234',
		dstaddr: '10.0.2.20',
		dstport: 22,
		action: 'REJECT',
		start: T + 60,
		end: T + 120,
	}),
	v2({
		'interface-id': 'eni-0web',
		srcaddr: '203.0.113.9',
		dstaddr: '10.0.1.10',
		srcport: 0,
		dstport: 0,
		protocol: 1,
		bytes: 84,
		start: T + 60,
		end: T + 120,
	}),
]);

/** What the VPC's configuration would say of the traffic above: a long name, to be cut. */
const names: InterfaceNames = {
	interface: eni => (eni === 'eni-0web' ? 'instance · web-1 of the checkout service, blue deployment' : undefined),
	address: address => ({'10.0.1.10': 'web-1 of the checkout service', '10.0.2.20': 'database'})[address],
};

function allContents(views: Views, width: number, named = NO_NAMES): PaneContent[] {
	return [
		...PANE_VIEWS.talkers.map(mode => talkerRows(views, mode, width, named)),
		...PANE_VIEWS.rejects.map(mode => rejectRows(views, mode, width, T + 180, named)),
		...PANE_VIEWS.protocols.map(mode => protocolRows(views, mode, width)),
	];
}

describe('pane rows', () => {
	it('no row or header is wider than its pane, at any width a layout gives (40 columns and up)', () => {
		const views = viewsOf(traffic);
		fc.assert(
			fc.property(fc.integer({min: 38, max: 200}), width => {
				for (const content of [...allContents(views, width), ...allContents(views, width, names)]) {
					for (const line of [content.header ?? '', ...content.rows.map(row => row.text)]) {
						expect([...line].length, `${content.title}: ${line}`).toBeLessThanOrEqual(width);
					}
				}
			}),
			{seed: 16},
		);
	});

	it('names interfaces and addresses where the configuration knows them, cutting the name, never the id', () => {
		const views = viewsOf(traffic);
		const text = (content: PaneContent) => content.rows.map(row => row.text).join('\n');
		expect(text(rejectRows(views, 'interfaces', 60, T, names))).toMatch(/^eni-0web instance · web-1 of the \S*…\s+1 /);
		expect(text(rejectRows(views, 'interfaces', 32, T, names))).toMatch(/^eni-0web\s+1 /);
		expect(text(rejectRows(views, 'targets', 80, T, names))).toMatch(/^10\.0\.2\.20 database\s+22\/tcp/);
		expect(text(rejectRows(views, 'recent', 160, T, names))).toContain(
			'eni-0web instance · web-1 of the checko… 2600:',
		);
		expect(text(talkerRows(views, 'sources', 80, names))).toMatch(/^10\.0\.1\.10 web-1 of the checkout service /m);
		expect(text(talkerRows(views, 'pairs', 80, names))).toMatch(
			/^10\.0\.1\.10 web-1 of the chec… → 10\.0\.2\.20 database /,
		);
		expect(text(talkerRows(views, 'pairs', 80))).toMatch(/^10\.0\.1\.10\s+→ 10\.0\.2\.20\s/);
	});

	it('ICMP, whose records carry no ports, shows as icmp, not as port 0', () => {
		const services = protocolRows(viewsOf(traffic), 'services', 60);
		expect(services.rows.map(row => row.text).join('\n')).toMatch(/^icmp\s/m);
		expect(services.rows.map(row => row.text).join('\n')).not.toContain('0/icmp');
	});

	it('a service keeps its whole name when its port does not fit beside it', () => {
		const narrow = protocolRows(viewsOf(traffic), 'services', 30).rows.map(row => row.text);
		expect(narrow.some(text => text.startsWith('PostgreSQL '))).toBe(true);
		const wide = protocolRows(viewsOf(traffic), 'services', 60).rows.map(row => row.text);
		expect(wide.some(text => text.startsWith('PostgreSQL 5432/tcp'))).toBe(true);
	});

	it('titles read as English, and the trend ends the title line whatever the title', () => {
		const views = viewsOf(traffic);
		expect(rejectRows(views, 'recent', 80, T).title).toBe('1 rejected, latest first');
		expect(rejectRows(views, 'sources', 80, T).title).toBe('1 rejected, by source');
		const trends = PANE_VIEWS.rejects.map(mode => rejectRows(views, mode, 80, T).trend);
		expect(new Set(trends).size).toBe(1);
	});
});

describe('drilling into a row', () => {
	it('narrows to the values of the row, even those the filter prompt would refuse', () => {
		const odd = records([
			v2({'interface-id': 'eni-weird.1', srcaddr: '10.0.0.7', dstaddr: '10.0.0.2', action: 'REJECT'}),
			v2({'interface-id': 'eni-0ok', srcaddr: '10.0.0.9', dstaddr: '10.0.0.2', action: 'REJECT'}),
		]);
		expect(() => parseFilter('eni-weird.1')).toThrow(FilterError);
		const views = viewsOf(odd);
		const byEni = rejectRows(views, 'interfaces', 80, T).rows.find(row => row.key === 'eni-weird.1')!;
		expect(odd.filter(record => matchesFilter(byEni.drill!, record))).toEqual([odd[0]]);
	});

	it('narrows to an address however the record spelled it', () => {
		const filter = drillTo({src: '010.000.000.001', action: 'REJECT'});
		expect(formatFilter(filter)).toBe('src:10.0.0.1 reject');
		expect(
			matchesFilter(filter, {
				eni: undefined,
				src: '10.0.0.1',
				dst: '10.0.0.2',
				srcPort: 1,
				dstPort: 2,
				protocol: 6,
				action: 'REJECT',
			}),
		).toBe(true);
		const strange = drillTo({address: 'not-an-address'});
		expect(
			matchesFilter(strange, {
				eni: undefined,
				src: 'not-an-address',
				dst: '10.0.0.2',
				srcPort: 1,
				dstPort: 2,
				protocol: 6,
				action: 'REJECT',
			}),
		).toBe(true);
	});

	it('a pair narrows to that direction only', () => {
		const views = viewsOf(traffic);
		const first = talkerRows(views, 'pairs', 80).rows[0]!;
		expect(formatFilter(first.drill!)).toBe('src:10.0.1.10 dst:10.0.2.20');
	});
});
