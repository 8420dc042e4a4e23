import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {unanswered} from '../../source/diagnosis/unanswered.js';
import {accept, type Options, range, reject, T, v2Store, v5Store} from './flows.js';

const app = 'eni-0app';

/** The app's everyday traffic, answered: what tells its own address. */
const everyday = range(15).flatMap(minute => [
	accept(app, `10.0.20.21:${45_000 + minute}`, '10.0.30.40:443', {minute, bytes: 4000, packets: 12}),
	accept(app, '10.0.30.40:443', `10.0.20.21:${45_000 + minute}`, {minute, bytes: 90_000, packets: 70}),
]);

/** SYN-sized requests to 10.8.0.10:5432 every minute for 15 minutes, retried twice each. */
function synsTo(extras: Options = {}) {
	return range(15).map(minute =>
		accept(app, `10.0.20.21:${50_000 + minute}`, '10.8.0.10:5432', {minute, packets: 3, bytes: 180, ...extras}),
	);
}

describe('unanswered', () => {
	it('reports requests let out for 15 minutes with never a packet back, and says where to look', () => {
		const findings = diagnose(v2Store([...everyday, ...synsTo()]));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			kind: 'unanswered',
			severity: 'warning',
			confidence: 'high',
			eni: app,
			dst: '10.8.0.10',
			port: 5432,
			direction: 'outbound',
			count: 15,
			id: 'unanswered|eni-0app|10.8.0.10|5432',
			firstSeen: T,
			lastSeen: T + 14 * 60 + 5,
			why: '15 SYN-sized requests over 14 minutes let out, not one packet back',
			summary: 'eni-0app: no answer from 10.8.0.10:5432 (15 tries)',
			advice:
				'eni-0app sends TCP 5432 (PostgreSQL) requests to 10.8.0.10:5432 and they leave (accepted), but nothing ever comes back: ' +
				'the far end never answered. Check the route table of the subnet of eni-0app for a route to it, the peering connection ' +
				"or transit gateway on the way, the far side's security group and network ACL, and whether that host is up. " +
				"Not this interface's security group or NACL: they let the requests out, and a NACL refusing the answers would log them as REJECT.",
			filter: 'eni-0app dst:10.8.0.10 port:5432 tcp',
		});
	});

	it('reads SYN-only from tcp-flags when the format has them', () => {
		const flows = [...everyday.map(flow => flow), ...synsTo({direction: 'egress', tcpFlags: 2, bytes: 400})];
		expect(unanswered(v5Store(flows))).toMatchObject([{dst: '10.8.0.10', port: 5432}]);
	});

	it('is not a destination that answered, even once', () => {
		const flows = [...everyday, ...synsTo(), accept(app, '10.8.0.10:5432', '10.0.20.21:50003', {minute: 3})];
		expect(unanswered(v2Store(flows))).toEqual([]);
	});

	it('is not a destination whose answers a NACL refused: that is a blocked reply, not silence', () => {
		const flows = [...everyday, ...synsTo(), reject(app, '10.8.0.10:5432', '10.0.20.21:50003', {minute: 3})];
		expect(unanswered(v2Store(flows))).toEqual([]);
	});

	it('is not requests that carried data: something answered them', () => {
		const flows = [...everyday, ...synsTo({bytes: 9000, packets: 20})];
		expect(unanswered(v2Store(flows))).toEqual([]);
	});

	it('is not a single lost SYN', () => {
		expect(unanswered(v2Store([...everyday, ...synsTo().slice(0, 1)]))).toEqual([]);
	});

	it("leaves it to the far end's interface when that one logged the requests arriving", () => {
		const far = range(15).flatMap(minute => [
			reject('eni-0far', `10.0.20.21:${50_000 + minute}`, '10.8.0.10:5432', {minute}),
			accept('eni-0far', `10.0.40.${minute + 1}:${51_000 + minute}`, '10.8.0.10:5432', {minute}),
		]);
		const store = v2Store([...far, ...everyday, ...synsTo()]);
		expect(unanswered(store)).toEqual([]);
		expect(diagnose(store).map(finding => finding.kind)).toEqual(['inbound-rejected']);
	});

	it.each([
		{tries: [0, 1, 1.5], found: true},
		{tries: [0, 1], found: false},
		{tries: [0, 0.3, 0.6], found: false},
	])('needs three tries over two minutes: $tries', ({tries, found}) => {
		const syns = tries.map((minute, index) => accept(app, `10.0.20.21:${50_000 + index}`, '10.8.0.10:5432', {minute}));
		expect(unanswered(v2Store([...everyday, ...syns]))).toHaveLength(found ? 1 : 0);
	});

	it.each([
		{minutes: 4, confidence: 'medium'},
		{minutes: 5, confidence: 'high'},
	])('is sure once the tries span five minutes: $minutes', ({minutes, confidence}) => {
		expect(unanswered(v2Store([...everyday, ...synsTo().slice(0, minutes)]))).toMatchObject([{confidence}]);
	});

	it('names an IPv6 destination in brackets, its SYNs a little larger', () => {
		const v6 = range(3).flatMap(minute => [
			accept(app, `[2600:1f18:6a3:c200::21]:${45_000 + minute}`, '[2600:1f18:6a3:c300::40]:443', {minute, bytes: 4000}),
			accept(app, '[2600:1f18:6a3:c300::40]:443', `[2600:1f18:6a3:c200::21]:${45_000 + minute}`, {minute}),
			accept(app, `[2600:1f18:6a3:c200::21]:${50_000 + minute}`, '[2600:1f18:6a3:c400::10]:5432', {minute, bytes: 300}),
		]);
		expect(unanswered(v2Store(v6))).toMatchObject([
			{dst: '2600:1f18:6a3:c400::10', summary: 'eni-0app: no answer from [2600:1f18:6a3:c400::10]:5432 (3 tries)'},
		]);
	});

	it('is not requests whose tcp-flags show more than a SYN, however small', () => {
		const flows = [...everyday, ...synsTo({direction: 'egress', tcpFlags: 2 | 16 | 8 | 1})];
		expect(unanswered(v5Store(flows))).toEqual([]);
	});

	it('is not UDP datagrams, which need no answer', () => {
		expect(unanswered(v2Store([...everyday, ...synsTo({protocol: 17})]))).toEqual([]);
	});

	it('is not a destination whose path carried data after the SYNs: it came back', () => {
		const flows = [
			...everyday,
			...synsTo(),
			accept(app, '10.0.20.21:51000', '10.8.0.10:5432', {minute: 14, bytes: 9000, packets: 20}),
		];
		expect(unanswered(v2Store(flows))).toEqual([]);
	});

	it('reports a destination that went silent after its path once carried data', () => {
		const flows = [
			...everyday,
			accept(app, '10.0.20.21:49000', '10.8.0.10:5432', {minute: 0, bytes: 9000, packets: 20}),
			...synsTo().slice(1),
		];
		expect(unanswered(v2Store(flows))).toMatchObject([{dst: '10.8.0.10', count: 14}]);
	});
});
