import {describe, expect, it} from 'vitest';
import {DEMO_LOG_GROUP} from '../../../source/demo/feed/feed.js';
import {ENI} from '../../../source/demo/vpc/default-vpc.js';
import {diagnose} from '../../../source/diagnosis/diagnose.js';
import {EMPTY_FILTER} from '../../../source/engine/filter.js';
import {FlowStore} from '../../../source/engine/store.js';
import {computeViews} from '../../../source/engine/views.js';
import {ParseStats} from '../../../source/flowlog/decoder.js';
import {DEFAULT_FORMAT} from '../../../source/flowlog/format.js';
import {aggregateFields} from '../../../source/sources/insights/aggregate-plan.js';
import {pollAggregateWindow} from '../../../source/sources/insights/aggregate-poll.js';
import {CostMeter} from '../../../source/sources/insights/cost-meter.js';
import {QueryRunner} from '../../../source/sources/insights/query-runner.js';
import {busyWorld, closeWorlds, MINUTE, type World, type WorldOptions} from './world.js';

closeWorlds();

const TOP = 10;

async function aggregateStore(
	w: World,
	knownGateways: readonly string[] = [],
): Promise<{store: FlowStore; queries: number; rows: number}> {
	const fields = aggregateFields(w.format);
	if (typeof fields === 'string') {
		throw new TypeError(fields);
	}

	const context = {logGroups: [DEMO_LOG_GROUP], endpoint: w.endpoint.url, region: undefined, profile: undefined};
	const runner = new QueryRunner({
		client: w.client,
		logGroups: [DEMO_LOG_GROUP],
		timing: w.time,
		cost: new CostMeter(),
		context,
	});
	const stats = new ParseStats();
	const window = await pollAggregateWindow({
		runner,
		range: {from: 0, to: Math.floor(w.time.now() / 1000)},
		fields,
		stats,
		top: TOP,
		endpoint: w.endpoint.url,
		signal: new AbortController().signal,
		retrying() {},
		knownGateways,
	});
	expect(stats.malformed).toBe(0);
	expect(window.cut).toEqual([]);
	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
	store.addAggregated(window.rows);
	return {store, queries: window.queries, rows: window.rowsReceived};
}

function rawStore(w: World): FlowStore {
	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
	store.add(w.visibleRecords());
	return store;
}

/** What the panes and the report show: the first TOP of every list, the totals, the findings. */
function shown(store: FlowStore) {
	const {recentRejects, enis, ...views} = computeViews(store, EMPTY_FILTER, {limit: TOP});
	return {
		views,
		enis: enis.map(({eni, bytes, packets, flows, rejects}) => ({eni, bytes, packets, flows, rejects})),
		findings: diagnose(store).map(({kind, eni, src, dst, port, direction, count, summary}) => ({
			kind,
			eni,
			src,
			dst,
			port,
			direction,
			count,
			summary,
		})),
	};
}

/** What the diagnosis says of a NAT gateway dropping knocks. */
function knocks(store: FlowStore) {
	return diagnose(store)
		.filter(finding => finding.kind === 'nat-unsolicited-inbound')
		.map(({summary, count, eni}) => ({summary, count, eni}));
}

async function bothStores(options: WorldOptions, knownGateways: readonly string[] = []) {
	const w = await busyWorld({rate: 0.5, ...options});
	// Every record delivered, then the queries run on a clock that only their own waits move.
	w.time.clock.advance(17 * MINUTE);
	w.time.runFreely();
	return {w, aggregate: await aggregateStore(w, knownGateways), raw: rawStore(w)};
}

describe('an aggregate poll over the local endpoint', () => {
	it('shows what raw records show, from rows that do not grow with the records: the demo format, parsed on the service', async () => {
		const {w, aggregate, raw} = await bothStores({scenario: 'nacl-return-outbound'});
		expect(shown(aggregate.store)).toEqual(shown(raw));
		expect(aggregate.store.windowCounts()).toEqual(raw.windowCounts());
		expect(shown(raw).findings.map(finding => finding.kind)).toContain('nacl-return-blocked');
		expect(aggregate.rows).toBeLessThan(w.visibleRecords().length / 2);
	}, 60_000);

	for (const scenario of [
		'healthy',
		'nacl-return-inbound',
		'sg-missing-rule',
		'sg-egress-missing',
		'port-scan',
		'ssh-brute-force',
		'misconfigured-client',
		'lateral-sweep',
	]) {
		it(`shows what raw records show in the default format, fields discovered: ${scenario}`, async () => {
			const {aggregate, raw} = await bothStores({format: DEFAULT_FORMAT, scenario});
			expect(shown(aggregate.store)).toEqual(shown(raw));
			expect(aggregate.store.windowCounts()).toEqual(raw.windowCounts());
		}, 60_000);
	}

	it('sees a NAT gateway drop knocks where pkt-* says it translates: its accepted records keep every address', async () => {
		const {aggregate, raw} = await bothStores({scenario: 'nat-unsolicited'});
		expect(knocks(raw)).toHaveLength(1);
		expect(knocks(aggregate.store)).toEqual(knocks(raw));
		expect(shown(aggregate.store)).toEqual(shown(raw));
		expect(aggregate.store.windowCounts()).toEqual(raw.windowCounts());
	}, 60_000);

	it('sees it in the default format where the VPC configuration names the NAT gateway', async () => {
		const {aggregate, raw} = await bothStores({format: DEFAULT_FORMAT, scenario: 'nat-unsolicited'}, [ENI.nat]);
		expect(knocks(raw)).toHaveLength(1);
		expect(knocks(aggregate.store)).toEqual(knocks(raw));
		expect(shown(aggregate.store)).toEqual(shown(raw));
	}, 60_000);

	it('sees it in the default format without the configuration, by the requests the NAT gateway takes from inside hosts and sends on to the internet', async () => {
		const {aggregate, raw} = await bothStores({format: DEFAULT_FORMAT, scenario: 'nat-unsolicited'});
		expect(knocks(raw)).toHaveLength(1);
		expect(knocks(aggregate.store)).toEqual(knocks(raw));
		expect(shown(aggregate.store)).toEqual(shown(raw));
		expect(aggregate.store.windowCounts()).toEqual(raw.windowCounts());
	}, 60_000);
});
