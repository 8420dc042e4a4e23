import {describe, expect, it} from 'vitest';
import {EMPTY_FILTER, parseFilter} from '../../../source/engine/filter.js';
import type {FlowStore} from '../../../source/engine/store.js';
import {computeViews} from '../../../source/engine/views.js';
import {DEFAULT_FORMAT, type FlowFormat, formatLine, parseFormatString} from '../../../source/flowlog/format.js';
import {RERANK_MS} from '../../../source/sources/insights/aggregate-follower.js';
import {type Arrival, closeHandFedGroups, EVERY, type HandFedGroup, handFedGroup} from './hand-fed-group.js';
import {MINUTE, StoreListener, T0} from './world.js';

closeHandFedGroups();

const SECOND = 1000;
const SERVER = '10.0.1.5';

let port = 1000;

/** A record from `source` to the server's HTTPS port (or back, `outbound`), stamped a minute before it reaches CloudWatch. */
function flow(
	source: string,
	options: {bytes?: number; action?: 'ACCEPT' | 'REJECT'; ingested: number; searchable?: number},
): Arrival {
	port++;
	const stamped = options.ingested - MINUTE;
	const start = Math.floor(stamped / SECOND);
	const message = formatLine(
		{
			version: 2,
			'account-id': '123456789012',
			'interface-id': 'eni-0a1',
			srcaddr: source,
			dstaddr: SERVER,
			srcport: port,
			dstport: 443,
			protocol: 6,
			packets: 2,
			bytes: options.bytes ?? 100,
			start,
			end: start + 30,
			action: options.action ?? 'ACCEPT',
			'log-status': 'OK',
		},
		DEFAULT_FORMAT,
	);
	return {port, stamped, ingested: options.ingested, searchable: options.searchable ?? options.ingested, message};
}

/** Twelve clients of different sizes, in the window before the first poll: with `--top 1`, only the biggest are kept by name. */
function clients(ingested: number): Arrival[] {
	return Array.from({length: 12}, (_, i) => flow(`198.51.100.${i + 1}`, {bytes: 1000 * (12 - i), ingested}));
}

function topSources(store: FlowStore, limit = 3) {
	return computeViews(store, EMPTY_FILTER, {limit})
		.talkers.src.slice(0, limit)
		.map(row => ({src: row.src, bytes: row.bytes, flows: row.flows}));
}

async function following(group: HandFedGroup, debug: string[] = [], intervalMs = EVERY) {
	const screen = new StoreListener();
	const poller = group.poller({mode: 'aggregate', top: 1, intervalMs, debug: line => debug.push(line)});
	poller.start(screen);
	return {screen, poller};
}

describe('aggregate polls after the first', () => {
	it('add only what is new to the sums, so a source that grows across polls is summed exactly', async () => {
		const group = await handFedGroup();
		group.arrive(...clients(T0 - 5 * MINUTE));
		const {screen} = await following(group);
		await group.time.runUntil(T0 + 10 * SECOND);
		group.arrive(flow('198.51.100.1', {bytes: 500, ingested: T0 + 20 * SECOND}));
		group.arrive(flow('203.0.113.9', {bytes: 50, ingested: T0 + 25 * SECOND}));
		await group.time.runUntil(T0 + EVERY + 10 * SECOND);
		expect(screen.replaced).toBe(1);
		expect(screen.added).toBe(1);
		expect(topSources(screen.store, 2)).toEqual([
			{src: '198.51.100.1', bytes: 12_500, flows: 2},
			{src: '198.51.100.2', bytes: 11_000, flows: 1},
		]);
		expect(computeViews(screen.store, EMPTY_FILTER).totals.flows).toBe(14);
	});

	it('read the whole window again when an address no list kept rises into a top list', async () => {
		const group = await handFedGroup();
		group.arrive(...clients(T0 - 5 * MINUTE));
		const debug: string[] = [];
		const {screen} = await following(group, debug);
		await group.time.runUntil(T0 + 10 * SECOND);
		group.arrive(flow('203.0.113.77', {bytes: 50_000, ingested: T0 + 20 * SECOND}));
		await group.time.runUntil(T0 + EVERY + 10 * SECOND);
		expect(screen.replaced).toBe(2);
		expect(screen.added).toBe(0);
		expect(debug.at(-1)).toMatch(/^poll: aggregate, the whole window \(203\.0\.113\.77 rose into a top list\);/);
		expect(topSources(screen.store, 2)).toEqual([
			{src: '203.0.113.77', bytes: 50_000, flows: 1},
			{src: '198.51.100.1', bytes: 12_000, flows: 1},
		]);
	});

	it('read the whole window again when a newly refused address had accepted records the sums folded', async () => {
		const group = await handFedGroup();
		group.arrive(...clients(T0 - 5 * MINUTE), flow('192.0.2.50', {bytes: 10, ingested: T0 - 5 * MINUTE}));
		const debug: string[] = [];
		// Polls 20 s apart: the one that finds the refusal asks no top list again, which would see the address rise.
		const {screen} = await following(group, debug, 20 * SECOND);
		await group.time.runUntil(T0 + 10 * SECOND);
		group.arrive(flow('192.0.2.50', {bytes: 20, action: 'REJECT', ingested: T0 + 5 * SECOND}));
		await group.time.runUntil(T0 + 50 * SECOND);
		expect(screen.replaced).toBe(2);
		expect(debug.at(-1)).toMatch(
			/the whole window \(a newly refused address had accepted records the sums had folded\)/,
		);
		const views = computeViews(screen.store, EMPTY_FILTER, {limit: 20});
		expect(views.talkers.src.find(row => row.src === '192.0.2.50')).toMatchObject({bytes: 30, flows: 2});
	});

	it('keep a newly refused address by name from then on, with no re-read when the sums folded nothing of it', async () => {
		const group = await handFedGroup();
		group.arrive(...clients(T0 - 5 * MINUTE));
		const {screen} = await following(group);
		await group.time.runUntil(T0 + 10 * SECOND);
		group.arrive(flow('192.0.2.7', {bytes: 20, action: 'REJECT', ingested: T0 + 20 * SECOND}));
		await group.time.runUntil(T0 + EVERY + 10 * SECOND);
		group.arrive(flow('192.0.2.7', {bytes: 5, ingested: T0 + EVERY + 20 * SECOND}));
		await group.time.runUntil(T0 + 2 * EVERY + 10 * SECOND);
		expect(screen.replaced).toBe(1);
		expect(screen.added).toBe(2);
		const views = computeViews(screen.store, EMPTY_FILTER, {limit: 20});
		expect(views.talkers.src.find(row => row.src === '192.0.2.7')).toMatchObject({bytes: 25, flows: 2});
	});

	it('read the whole window again when a re-check finds records searchable later than the margin, and widen it', async () => {
		const group = await handFedGroup();
		group.arrive(...clients(T0 - 5 * MINUTE));
		const debug: string[] = [];
		const {screen, poller} = await following(group, debug);
		await group.time.runUntil(T0 + 10 * SECOND);
		// Ingested within the next poll's window, but not searchable until long after that poll.
		group.arrive(flow('198.51.100.1', {bytes: 700, ingested: T0 + 5 * SECOND, searchable: T0 + 2 * MINUTE}));
		const marginBefore = poller.lateness.marginMs;
		await group.time.runUntil(T0 + 6 * EVERY + 10 * SECOND);
		expect(
			debug.some(line => line.includes('the whole window (a re-check found records searchable later than the margin')),
		).toBe(true);
		expect(screen.replaced).toBe(2);
		expect(poller.lateness.marginMs).toBeGreaterThan(marginBefore);
		expect(topSources(screen.store, 1)).toEqual([{src: '198.51.100.1', bytes: 12_700, flows: 2}]);
	});

	it('read the whole window every poll from an endpoint whose records carry no @ingestionTime', async () => {
		const group = await handFedGroup({withoutIngestionTime: true});
		group.arrive(...clients(T0 - 5 * MINUTE));
		const debug: string[] = [];
		const {screen} = await following(group, debug);
		await group.time.runUntil(T0 + 10 * SECOND);
		group.arrive(flow('198.51.100.1', {bytes: 500, ingested: T0 + 20 * SECOND}));
		await group.time.runUntil(T0 + EVERY + 10 * SECOND);
		expect(screen.replaced).toBe(2);
		expect(screen.added).toBe(0);
		expect(debug.every(line => line.includes('gives no @ingestionTime to tell what is new'))).toBe(true);
		expect(topSources(screen.store, 1)).toEqual([{src: '198.51.100.1', bytes: 12_500, flows: 2}]);
	});
});

const WITH_PACKET_ADDRESSES = parseFormatString(
	'${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${pkt-srcaddr} ${pkt-dstaddr}',
);
const GATEWAY = 'eni-0nat';
/** The NAT gateway's own address. */
const OWN = '10.0.0.220';
const KNOCKS = ['192.0.2.1', '192.0.2.2', '192.0.2.3'];

/**
 * A request to port 443 on the gateway's interface (or `eni`), in `format`; `original` is the
 * packet's own destination when it was translated.
 */
function onGateway(
	src: string,
	dst: string,
	options: {ingested: number; original?: string; eni?: string; bytes?: number; format?: FlowFormat},
): Arrival {
	port++;
	const start = Math.floor((options.ingested - MINUTE) / SECOND);
	const message = formatLine(
		{
			version: 5,
			'account-id': '123456789012',
			'interface-id': options.eni ?? GATEWAY,
			srcaddr: src,
			dstaddr: dst,
			srcport: 40_000 + port,
			dstport: 443,
			protocol: 6,
			packets: 1,
			bytes: options.bytes ?? 40,
			start,
			end: start + 10,
			action: 'ACCEPT',
			'log-status': 'OK',
			'pkt-srcaddr': src,
			'pkt-dstaddr': options.original ?? dst,
		},
		options.format ?? WITH_PACKET_ADDRESSES,
	);
	return {port, stamped: options.ingested - MINUTE, ingested: options.ingested, message};
}

/**
 * Before the first poll: clients of a web server, each bigger than a knock by every measure (the top
 * lists rank them), and hosts knocking on the gateway.
 */
function webClientsAndKnocks(format = WITH_PACKET_ADDRESSES): Arrival[] {
	const ingested = T0 - 5 * MINUTE;
	const clients = Array.from({length: 8}, (_, i) => `198.51.100.${i + 1}`).flatMap(client =>
		[1, 2].map(() => onGateway(client, '10.0.1.5', {ingested, eni: 'eni-0web', bytes: 5000, format})),
	);
	return [...clients, ...KNOCKS.map(knock => onGateway(knock, OWN, {ingested, format}))];
}

/** The sources the top-sources pane ranks, sorted. */
function sourcesOf(store: FlowStore) {
	return computeViews(store, EMPTY_FILTER, {limit: 20})
		.talkers.src.map(row => row.src)
		.sort();
}

describe('aggregate polls where a NAT gateway may be', () => {
	it('read the whole window again when an interface starts to translate addresses, and keep every address of it from then on', async () => {
		const group = await handFedGroup();
		group.arrive(...webClientsAndKnocks(), onGateway(OWN, '203.0.113.5', {ingested: T0 - 5 * MINUTE}));
		const debug: string[] = [];
		const screen = new StoreListener();
		const poller = group.poller({
			mode: 'aggregate',
			top: 1,
			format: WITH_PACKET_ADDRESSES,
			debug: line => debug.push(line),
		});
		poller.start(screen);
		await group.time.runUntil(T0 + 10 * SECOND);
		// With --top 1 and nothing translated, the knocking hosts are folded.
		expect(sourcesOf(screen.store).filter(src => KNOCKS.includes(String(src)))).toEqual([]);
		group.arrive(onGateway(OWN, '203.0.113.5', {ingested: T0 + 20 * SECOND, original: '10.0.1.5'}));
		await group.time.runUntil(T0 + EVERY + 10 * SECOND);
		expect(debug.at(-1)).toMatch(
			/the whole window \(eni-0nat is now seen to be a NAT gateway \(its records translate addresses, or the VPC's configuration says so\): the addresses of its accepted records are kept by name\)/,
		);
		group.arrive(onGateway('192.0.2.4', OWN, {ingested: T0 + EVERY + 20 * SECOND}));
		await group.time.runUntil(T0 + 2 * EVERY + 10 * SECOND);
		expect(screen.replaced).toBe(2);
		expect(screen.added).toBe(1);
		expect(sourcesOf(screen.store)).toEqual(expect.arrayContaining([...KNOCKS, '192.0.2.4']));
	});
});

describe('aggregate polls where a NAT gateway may be, in the default format', () => {
	/** An instance's request to the internet, as the gateway's interface sees it: taken from the instance, then sent on. */
	const forwarded = (ingested: number) => [
		onGateway('10.0.1.5', OWN, {ingested, format: DEFAULT_FORMAT}),
		onGateway(OWN, '203.0.113.5', {ingested, format: DEFAULT_FORMAT}),
	];

	it('read the whole window again once the requests an interface forwarded add up, over the window, to what makes it a NAT gateway', async () => {
		const group = await handFedGroup();
		group.arrive(...webClientsAndKnocks(DEFAULT_FORMAT));
		const debug: string[] = [];
		const screen = new StoreListener();
		const poller = group.poller({mode: 'aggregate', top: 1, debug: line => debug.push(line)});
		poller.start(screen);
		await group.time.runUntil(T0 + 10 * SECOND);
		// With --top 1 and nothing forwarded, the knocking hosts are folded.
		expect(sourcesOf(screen.store).filter(src => KNOCKS.includes(String(src)))).toEqual([]);
		// Three requests forwarded before each of two polls: too few in either to name a NAT gateway, enough over the window.
		group.arrive(...[1, 2, 3].flatMap(() => forwarded(T0 + 20 * SECOND)));
		await group.time.runUntil(T0 + EVERY + 10 * SECOND);
		expect(debug.join('\n')).not.toMatch(/NAT gateway/);
		group.arrive(...[1, 2, 3].flatMap(() => forwarded(T0 + EVERY + 20 * SECOND)));
		// The top lists are asked again over the window once a minute (RERANK_MS), and so are the forwarders.
		await group.time.runUntil(T0 + EVERY + RERANK_MS + 10 * SECOND);
		expect(debug.join('\n')).toMatch(
			/the whole window \(eni-0nat forwards as a NAT gateway does: the addresses of its accepted records are kept by name\)/,
		);
		expect(sourcesOf(screen.store)).toEqual(expect.arrayContaining(KNOCKS));
	});
});

describe('aggregate polls told of NAT gateways by the VPC configuration', () => {
	it('read the whole window again when the configuration names one, and keep every address of it from then on', async () => {
		const group = await handFedGroup();
		group.arrive(...clients(T0 - 5 * MINUTE));
		const debug: string[] = [];
		const {screen, poller} = await following(group, debug);
		await group.time.runUntil(T0 + 10 * SECOND);
		const named = () => computeViews(screen.store, EMPTY_FILTER, {limit: 20}).talkers.src.length;
		// With --top 1, the small clients of the default format's records are folded.
		expect(named()).toBeLessThan(12);
		poller.natGatewaysKnown(['eni-0a1']);
		await group.time.runUntil(T0 + EVERY + 10 * SECOND);
		expect(debug.at(-1)).toMatch(
			/the whole window \(the VPC's configuration names eni-0a1 as NAT gateway: the addresses of its accepted records are now kept by name\)/,
		);
		expect(named()).toBe(12);
		poller.natGatewaysKnown(['eni-0a1']);
		await group.time.runUntil(T0 + 2 * EVERY + 10 * SECOND);
		expect(screen.replaced).toBe(2);
	});
});

describe('aggregate polls under a filter on addresses', () => {
	/** The sources the filtered panes show: exactly what raw mode would. */
	function filteredSources(store: FlowStore, filter: string) {
		return computeViews(store, parseFilter(filter), {limit: 20})
			.talkers.src.map(row => ({src: row.src, bytes: row.bytes, flows: row.flows}))
			.sort((a, b) => String(a.src).localeCompare(String(b.src)));
	}

	it('read the window again when the filter names a CIDR, keeping its addresses by name from then on', async () => {
		const group = await handFedGroup();
		group.arrive(...clients(T0 - 5 * MINUTE));
		const debug: string[] = [];
		const {screen, poller} = await following(group, debug);
		await group.time.runUntil(T0 + 10 * SECOND);
		// Only the biggest client is kept by name: the small ones were folded, and the filter would count none of them.
		expect(filteredSources(screen.store, '198.51.100.8/30')).toEqual([]);
		poller.filterChanged(parseFilter('198.51.100.8/30'));
		group.arrive(flow('198.51.100.9', {bytes: 7, ingested: T0 + 20 * SECOND}));
		await group.time.runUntil(T0 + EVERY + 10 * SECOND);
		expect(debug.at(-1)).toMatch(
			/the whole window \(the filter names 198\.51\.100\.8\/30: its addresses are now kept by name\)/,
		);
		group.arrive(flow('198.51.100.10', {bytes: 9, ingested: T0 + EVERY + 20 * SECOND}));
		await group.time.runUntil(T0 + 2 * EVERY + 10 * SECOND);
		expect(screen.replaced).toBe(2);
		expect(screen.added).toBe(1);
		expect(filteredSources(screen.store, '198.51.100.8/30')).toEqual([
			{src: '198.51.100.10', bytes: 3009, flows: 2},
			{src: '198.51.100.11', bytes: 2000, flows: 1},
			{src: '198.51.100.8', bytes: 5000, flows: 1},
			{src: '198.51.100.9', bytes: 4007, flows: 2},
		]);
	});

	it('keep what the filter named before without reading again, when it narrows or clears and comes back', async () => {
		const group = await handFedGroup();
		group.arrive(...clients(T0 - 5 * MINUTE));
		const {screen, poller} = await following(group, [], 20 * SECOND);
		poller.filterChanged(parseFilter('198.51.100.12'));
		await group.time.runUntil(T0 + 10 * SECOND);
		poller.filterChanged(EMPTY_FILTER);
		// The biggest client grows most, so the top lists asked again at T0 + 60 s rank no one new.
		group.arrive(
			flow('198.51.100.12', {bytes: 3, ingested: T0 + 5 * SECOND}),
			flow('198.51.100.1', {bytes: 3, ingested: T0 + 5 * SECOND}),
			flow('198.51.100.1', {bytes: 3, ingested: T0 + 5 * SECOND}),
		);
		await group.time.runUntil(T0 + 50 * SECOND);
		poller.filterChanged(parseFilter('198.51.100.12'));
		await group.time.runUntil(T0 + 70 * SECOND);
		expect(screen.replaced).toBe(1);
		expect(filteredSources(screen.store, '198.51.100.12')).toEqual([{src: '198.51.100.12', bytes: 1003, flows: 2}]);
	});

	it('with --once, keeps every address of the NAT gateways the configuration, read beside the poll, names', async () => {
		const group = await handFedGroup();
		group.arrive(...clients(T0 - 5 * MINUTE));
		const screen = new StoreListener();
		const once = group.poller({mode: 'aggregate', top: 1, natGateways: Promise.resolve(['eni-0a1'])});
		group.time.runFreely();
		await once.pollOnce(screen);
		expect(computeViews(screen.store, EMPTY_FILTER, {limit: 20}).talkers.src).toHaveLength(12);
	});

	it('with --once, keeps by name what --filter names', async () => {
		const group = await handFedGroup();
		group.arrive(...clients(T0 - 5 * MINUTE));
		const screen = new StoreListener();
		const once = group.poller({mode: 'aggregate', top: 1, filter: parseFilter('198.51.100.8/30')});
		group.time.runFreely();
		await once.pollOnce(screen);
		expect(filteredSources(screen.store, '198.51.100.8/30').map(row => row.bytes)).toEqual([3000, 2000, 5000, 4000]);
	});
});
