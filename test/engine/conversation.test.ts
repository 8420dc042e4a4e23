import {describe, expect, it} from 'vitest';
import {Conversation} from '../../source/engine/conversation.js';
import {FlowStore} from '../../source/engine/store.js';
import {formatLine, parseFormatString} from '../../source/flowlog/format.js';
import type {FieldValues} from '../../source/flowlog/format.js';
import {records} from '../helpers/lines.js';

/**
 * The diagnosis rules read the store's window through one Conversation cursor: what it reads for a
 * row must be what the records said, and its walk must visit each row once, oldest bucket first.
 */

const FORMAT = parseFormatString(
	'version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction tcp-flags reject-reason',
);
const T = 1_700_000_040;

function line(values: FieldValues = {}, minute = 0): string {
	return formatLine(
		{
			version: 8,
			'interface-id': 'eni-0web',
			srcaddr: '10.0.1.5',
			dstaddr: '10.0.2.9',
			srcport: 443,
			dstport: 5432,
			protocol: 6,
			packets: 10,
			bytes: 1000,
			start: T + minute * 60,
			end: T + minute * 60 + 10,
			action: 'ACCEPT',
			'log-status': 'OK',
			...values,
		},
		FORMAT,
	);
}

function storeOf(lines: readonly string[], options: ConstructorParameters<typeof FlowStore>[0] = {}): FlowStore {
	const store = new FlowStore(options);
	store.add(records(lines, FORMAT));
	return store;
}

function tables(store: FlowStore) {
	return store.bucketsInWindow().map(bucket => bucket.table);
}

/** What a rule reads of the row the cursor stands on, with ids turned back into text. */
function read(store: FlowStore, flow: Conversation) {
	const text = (id: number) => (id < 0 ? undefined : store.strings.text(id));
	return {
		eni: text(flow.eni),
		src: text(flow.src),
		dst: text(flow.dst),
		srcPort: flow.srcPort,
		dstPort: flow.dstPort,
		protocol: flow.protocol,
		action: flow.action,
		accepted: flow.accepted,
		rejected: flow.rejected,
		direction: flow.direction,
		blockedByBpa: flow.blockedByBpa,
		exact: flow.exact,
		bytes: flow.bytes,
		packets: flow.packets,
		flows: flow.flows,
		first: flow.first,
		last: flow.last,
		tcpFlags: flow.tcpFlags,
	};
}

function readAll(store: FlowStore, flow = new Conversation(tables(store))) {
	const rows = [];
	while (flow.next()) {
		rows.push({bucket: flow.bucket, row: flow.row, ...read(store, flow)});
	}

	return rows;
}

describe('a conversation read through the cursor', () => {
	it('names every field of an accepted outbound request, summed over its records', () => {
		const store = storeOf([
			line({'flow-direction': 'egress', 'tcp-flags': 2, srcport: 5432, dstport: 443, bytes: 300, packets: 3}),
			line({
				'flow-direction': 'egress',
				'tcp-flags': 16,
				srcport: 5432,
				dstport: 443,
				bytes: 200,
				packets: 2,
				end: T + 50,
			}),
		]);
		expect(readAll(store)).toEqual([
			{
				bucket: 0,
				row: 0,
				eni: 'eni-0web',
				src: '10.0.1.5',
				dst: '10.0.2.9',
				srcPort: 5432,
				dstPort: 443,
				protocol: 6,
				action: 'ACCEPT',
				accepted: true,
				rejected: false,
				direction: 'outbound',
				blockedByBpa: false,
				exact: true,
				bytes: 500,
				packets: 5,
				flows: 2,
				first: T,
				last: T + 50,
				tcpFlags: 18,
			},
		]);
	});

	it('tells a rejected inbound record refused by Block Public Access', () => {
		const store = storeOf([
			line({action: 'REJECT', 'flow-direction': 'ingress', 'reject-reason': 'BPA', srcaddr: '198.51.100.7'}),
		]);
		expect(readAll(store)[0]).toMatchObject({
			src: '198.51.100.7',
			action: 'REJECT',
			accepted: false,
			rejected: true,
			direction: 'inbound',
			blockedByBpa: true,
		});
	});

	it('leaves what the record did not carry absent: no action, no direction, no protocol, no flags', () => {
		const store = storeOf([
			line({action: undefined, 'flow-direction': undefined, protocol: undefined, 'tcp-flags': undefined}),
		]);
		expect(readAll(store)[0]).toMatchObject({
			action: undefined,
			accepted: false,
			rejected: false,
			direction: undefined,
			blockedByBpa: false,
			protocol: -1,
			tcpFlags: 0,
		});
	});

	it('marks a conversation the memory bound summarized as not exact, its folded fields absent', () => {
		const store = storeOf(
			[1, 2, 3, 4].map(i => line({srcaddr: `10.0.0.${i}`, dstport: 22, bytes: 100 * i, action: 'REJECT'})),
			{maxFlows: 2},
		);
		const rows = readAll(store);
		expect(rows.map(row => [row.src, row.srcPort, row.exact])).toEqual([
			[undefined, -1, false],
			['10.0.0.3', -1, false],
			['10.0.0.4', -1, false],
		]);
	});
});

describe('walking the window', () => {
	const threeMinutes = [
		line({srcport: 1}, 0),
		line({srcport: 2}, 0),
		line({srcport: 3}, 2),
		line({srcport: 4}, 3),
		line({srcport: 5}, 3),
	];

	it('visits every row once, oldest bucket first, skipping a bucket with no rows', () => {
		const store = storeOf(threeMinutes);
		const flow = new Conversation(tables(store));
		expect(flow.buckets).toBe(3);
		expect([0, 1, 2, 3].map(bucket => flow.rowsIn(bucket))).toEqual([2, 1, 2, 0]);
		expect(readAll(store).map(row => [row.bucket, row.row, row.srcPort])).toEqual([
			[0, 0, 1],
			[0, 1, 2],
			[1, 0, 3],
			[2, 0, 4],
			[2, 1, 5],
		]);
	});

	it('skips a bucket that holds only NODATA records', () => {
		const store = storeOf([line({srcport: 1}, 0), line({'log-status': 'NODATA'}, 1), line({srcport: 3}, 2)]);
		const flow = new Conversation(tables(store));
		expect([flow.buckets, flow.rowsIn(1)]).toEqual([3, 0]);
		expect(readAll(store).map(row => [row.bucket, row.srcPort])).toEqual([
			[0, 1],
			[2, 3],
		]);
	});

	it('starts from a later bucket when asked', () => {
		const store = storeOf(threeMinutes);
		expect(readAll(store, new Conversation(tables(store), undefined, 1)).map(row => row.srcPort)).toEqual([3, 4, 5]);
	});

	it('reads nothing from an empty window', () => {
		const flow = new Conversation([]);
		expect(flow.next()).toBe(false);
		expect(flow.buckets).toBe(0);
		expect(flow.rowsIn(0)).toBe(0);
	});

	it('visits only the listed positions, in their order, when given them', () => {
		const store = storeOf(threeMinutes);
		const flow = new Conversation(tables(store), {buckets: [2, 0], rows: [1, 1]});
		expect(readAll(store, flow).map(row => [row.bucket, row.row, row.srcPort])).toEqual([
			[2, 1, 5],
			[0, 1, 2],
		]);
		expect(flow.next()).toBe(false);
	});

	it('stands anywhere with at(), for a read to follow', () => {
		const store = storeOf(threeMinutes);
		const flow = new Conversation(tables(store));
		expect(flow.at(2, 0).srcPort).toBe(4);
		expect([flow.bucket, flow.row]).toEqual([2, 0]);
		expect(flow.at(0, 1).srcPort).toBe(2);
	});
});

describe('finding the reverse of a conversation', () => {
	/** A database's reply the NACL refused (both ports kept, as for every REJECT), and requests it may answer. */
	const refusedReply = line({
		srcaddr: '10.0.2.9',
		dstaddr: '10.0.1.5',
		srcport: 5432,
		dstport: 40_001,
		action: 'REJECT',
	});
	const request = (values: FieldValues) =>
		line({srcaddr: '10.0.1.5', dstaddr: '10.0.2.9', srcport: 40_001, dstport: 5432, ...values});

	/** From the refused reply at row 0, look for its request; what the cursor then reads, or undefined. */
	function find(
		store: FlowStore,
		srcPort: number,
		accepted: boolean,
		direction?: 'inbound' | 'outbound',
		bucket = 0,
	): ReturnType<typeof read> | undefined {
		const of = new Conversation(tables(store)).at(0, 0);
		const reverse = new Conversation(tables(store));
		return reverse.findReverse(bucket, srcPort, accepted, direction, of) ? read(store, reverse) : undefined;
	}

	it('stands on the request whose client port the store folded away', () => {
		const store = storeOf([refusedReply, request({bytes: 7})]);
		expect(find(store, -1, true)).toMatchObject({src: '10.0.1.5', srcPort: -1, dstPort: 5432, bytes: 7});
		expect(find(store, 40_001, true)).toBeUndefined();
	});

	it('tells the request by its action', () => {
		const store = storeOf([refusedReply, request({action: 'REJECT', bytes: 3}), request({bytes: 7})]);
		expect(find(store, 40_001, false)).toMatchObject({srcPort: 40_001, action: 'REJECT', bytes: 3});
		expect(find(store, -1, true)).toMatchObject({action: 'ACCEPT', bytes: 7});
		expect(find(store, -1, false)).toBeUndefined();
	});

	it('matches the asked flow-direction', () => {
		const store = storeOf([
			line({
				srcaddr: '10.0.2.9',
				dstaddr: '10.0.1.5',
				srcport: 5432,
				dstport: 40_001,
				action: 'REJECT',
				'flow-direction': 'ingress',
			}),
			request({'flow-direction': 'ingress', bytes: 1}),
			request({'flow-direction': 'egress', bytes: 2}),
		]);
		expect(find(store, -1, true, 'inbound')).toMatchObject({direction: 'inbound', bytes: 1});
		expect(find(store, -1, true, 'outbound')).toMatchObject({direction: 'outbound', bytes: 2});
		expect(find(store, -1, true, undefined)).toBeUndefined();
	});

	it('looks only in the bucket asked, and finds nothing past the window', () => {
		const store = storeOf([refusedReply, request({start: T + 60, end: T + 70})]);
		expect(find(store, -1, true, undefined, 0)).toBeUndefined();
		expect(find(store, -1, true, undefined, 1)).toMatchObject({first: T + 60});
		expect(find(store, -1, true, undefined, 2)).toBeUndefined();
	});

	it('leaves the cursor where it stood when there is no such row', () => {
		const store = storeOf([refusedReply, request({})]);
		const of = new Conversation(tables(store)).at(0, 0);
		const reverse = new Conversation(tables(store)).at(0, 1);
		expect(reverse.findReverse(0, -1, false, undefined, of)).toBe(false);
		expect([reverse.bucket, reverse.row]).toEqual([0, 1]);
		expect(reverse.findReverse(5, -1, true, undefined, of)).toBe(false);
		expect([reverse.bucket, reverse.row]).toEqual([0, 1]);
	});

	it('finds a request at the first row of its bucket', () => {
		const store = storeOf([request({}), refusedReply]);
		const of = new Conversation(tables(store)).at(0, 1);
		const reverse = new Conversation(tables(store)).at(0, 1);
		expect(reverse.findReverse(0, -1, true, undefined, of)).toBe(true);
		expect([reverse.bucket, reverse.row, reverse.dstPort]).toEqual([0, 0, 5432]);
	});
});
