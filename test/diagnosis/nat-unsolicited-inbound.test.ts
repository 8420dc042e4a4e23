import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {natUnsolicitedInbound} from '../../source/diagnosis/nat-unsolicited-inbound.js';
import {matchesFilter, parseFilter} from '../../source/engine/filter.js';
import {accept, type Extras, type Flow, range, reject, T, v2Store, v5Store} from './flows.js';

const nat = 'eni-0nat';
const gateway = '10.0.0.220';
const api = '54.187.216.72';

/**
 * App servers call an API through the NAT gateway, as its interface records it (AWS's own NAT
 * example): the instance's request addressed to the gateway, sent on from the gateway's address,
 * the answer back to the gateway, and on to the instance. `translated` adds the pkt-* fields.
 */
function forwarding(translated: boolean, extras: Extras = {}): Flow[] {
	return range(6).flatMap(minute => {
		const client = `10.0.20.${21 + (minute % 2)}`;
		const pkt = (pktSrc: string, pktDst: string) => (translated ? {pktSrc, pktDst} : {});
		return [
			accept(nat, `${client}:${41_000 + minute}`, `${gateway}:443`, {minute, ...extras, ...pkt(client, api)}),
			accept(nat, `${gateway}:${20_000 + minute}`, `${api}:443`, {minute, ...extras}),
			accept(nat, `${api}:443`, `${gateway}:${20_000 + minute}`, {minute, ...extras}),
			accept(nat, `${gateway}:443`, `${client}:${41_000 + minute}`, {minute, ...extras, ...pkt(api, client)}),
		];
	});
}

/** Strangers knocking on the gateway's public address, let in by the NACL, answered by no one. */
const knocks = range(5).map(index =>
	accept(nat, `45.155.205.${index + 1}:${50_000 + index}`, `${gateway}:3389`, {minute: index}),
);

describe('nat-unsolicited-inbound', () => {
	it('explains knocks on a NAT gateway recognised in default-format records by what it forwards', () => {
		const findings = diagnose(v2Store([...forwarding(false), ...knocks]));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			kind: 'nat-unsolicited-inbound',
			severity: 'info',
			eni: nat,
			count: 5,
			summary: `${nat}: NAT gateway drops 5 knocks from 5 internet hosts`,
			filter: `${nat} port:3389 accept`,
		});
		expect(findings[0]!.advice).toMatch(
			/^Expected and harmless, nothing to fix\. 5 internet hosts knocked on the NAT gateway's public address \(TCP 3389\)\./,
		);
	});

	it('narrows to the interface alone when a knock on a random high port lost its port in the store', () => {
		// From 33000 to 50000, neither a known service: the store keeps the lower as the service and folds 50000 away.
		const random = accept(nat, '45.155.205.99:33000', `${gateway}:50000`, {minute: 5});
		const [finding] = natUnsolicitedInbound(v2Store([...forwarding(false), ...knocks, random]));
		expect(finding).toMatchObject({count: 6, filter: `${nat} accept`});
		const filter = parseFilter(finding!.filter);
		expect(finding!.evidence.every(evidence => matchesFilter(filter, evidence))).toBe(true);
	});

	it('recognises the gateway by the traffic translated on it (pkt-* fields)', () => {
		// Only the legs to and from the instances: the forwarding is not there to see, the translation is.
		const insideLegs = forwarding(true).filter(
			({values}) => values['pkt-srcaddr'] !== values.srcaddr || values['pkt-dstaddr'] !== values.dstaddr,
		);
		const [finding] = natUnsolicitedInbound(v5Store([...insideLegs, ...knocks]));
		expect(finding).toMatchObject({eni: nat, count: 5});
		expect(natUnsolicitedInbound(v2Store([...insideLegs, ...knocks]))).toEqual([]);
	});

	it('recognises the gateway by interface-type, knocks alone', () => {
		const typed = knocks.map(({values}) => ({values: {...values, 'interface-type': 'nat_gateway'}}));
		expect(natUnsolicitedInbound(v5Store(typed))).toHaveLength(1);
	});

	it('takes answers from hosts the gateway called for what they are', () => {
		expect(diagnose(v2Store(forwarding(false)))).toEqual([]);
	});

	it('is not an interface whose type says it is an instance, translated records or not', () => {
		const flows = [
			...forwarding(true, {interfaceType: 'interface'}),
			...knocks.map(({values}) => ({values: {...values, 'interface-type': 'interface'}})),
		];
		expect(natUnsolicitedInbound(v5Store(flows))).toEqual([]);
	});

	it('is not a server that serves HTTPS and also calls an HTTPS API and its database', () => {
		const app = 'eni-0app';
		const flows = [
			...range(6).flatMap(minute => [
				accept(app, `10.0.10.${11 + (minute % 2)}:${41_000 + minute}`, '10.0.20.21:443', {minute}),
				accept(app, `10.0.20.21:${42_000 + minute}`, `${api}:443`, {minute}),
				accept(app, `10.0.20.21:${43_000 + minute}`, '10.0.30.40:5432', {minute}),
			]),
			...range(5).map(index => accept(app, `45.155.205.${index + 1}:50000`, '10.0.20.21:3389', {minute: index})),
		];
		expect(natUnsolicitedInbound(v2Store(flows))).toEqual([]);
	});
});

describe('nat-unsolicited-inbound, in the words the on-call engineer reads', () => {
	const stranger = '45.155.205.1';
	/** A knock of the stranger on the gateway's address, at `port`, in `minute`. */
	const knock = (port: number, minute: number) =>
		accept(nat, `${stranger}:${50_000 + minute}`, `${gateway}:${port}`, {minute});

	it('says in full who knocked on what, the most knocked-on service first', () => {
		const flows = [...forwarding(false), knock(22, 0), knock(3389, 1), knock(3389, 2)];
		expect(natUnsolicitedInbound(v2Store(flows))).toEqual([
			{
				id: `nat-unsolicited-inbound|${nat}`,
				kind: 'nat-unsolicited-inbound',
				severity: 'info',
				eni: nat,
				src: stranger,
				count: 3,
				confidence: 'high',
				why: '3 records from 1 host the gateway never sent to, and nothing went on from them',
				summary: `${nat}: NAT gateway drops 3 knocks from ${stranger}`,
				advice:
					`Expected and harmless, nothing to fix. ${stranger} knocked on the NAT gateway's public address (TCP 3389 and TCP 22). ` +
					"The subnet's network ACL admits the unprivileged ports because return traffic needs them, and a NAT gateway has no security group, " +
					'so flow logs say ACCEPT; but the gateway forwards only answers to connections it opened, and nothing went on from these.',
				firstSeen: T,
				lastSeen: T + 2 * 60 + 5,
				evidence: expect.any(Array),
				filter: `${nat} port:22,3389 accept`,
			},
		]);
	});

	it('names pings for what they are', () => {
		const pings = range(3).map(index => accept(nat, `${stranger}:0`, `${gateway}:0`, {protocol: 1, minute: index}));
		const [finding] = natUnsolicitedInbound(v2Store([...forwarding(false), ...pings]));
		expect(finding!.advice).toContain(`${stranger} knocked on the NAT gateway's public address (ICMP).`);
	});

	it('needs three knocks', () => {
		expect(natUnsolicitedInbound(v2Store([...forwarding(false), knock(22, 0), knock(3389, 1)]))).toEqual([]);
	});

	it('names no port when every knock lost its port in the store', () => {
		const random = range(3).map(index => accept(nat, `${stranger}:33000`, `${gateway}:${50_000 + index}`));
		const [finding] = natUnsolicitedInbound(v2Store([...forwarding(false), ...random]));
		expect(finding!.advice).toContain("knocked on the NAT gateway's public address. The subnet's");
	});

	it('lists up to eight ports in the filter, and past that narrows to the interface alone', () => {
		const onPorts = (count: number) => range(count).map(index => knock(1000 + index, index % 6));
		expect(natUnsolicitedInbound(v2Store([...forwarding(false), ...onPorts(8)]))[0]!.filter).toBe(
			`${nat} port:${range(8, 1000).join(',')} accept`,
		);
		expect(natUnsolicitedInbound(v2Store([...forwarding(false), ...onPorts(9)]))[0]!.filter).toBe(`${nat} accept`);
	});

	it('is not what the network ACL refused, nor an inside host whose requests went unanswered', () => {
		const refused = range(5).map(index => reject(nat, `${stranger}:${50_000 + index}`, `${gateway}:3389`));
		const unanswered = range(5).map(index => accept(nat, `10.0.20.99:${50_000 + index}`, `${gateway}:443`));
		expect(natUnsolicitedInbound(v2Store([...forwarding(false), ...refused, ...unanswered]))).toEqual([]);
	});
});
