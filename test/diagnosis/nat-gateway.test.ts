import {describe, expect, it} from 'vitest';
import {natGateways} from '../../source/diagnosis/nat-gateway.js';
import {identify, snapshotOf} from '../../source/diagnosis/snapshot.js';
import type {FlowStore} from '../../source/engine/store.js';
import {accept, type Flow, range, reject, v2Store, v5Store} from './flows.js';

const nat = 'eni-0nat';
const gateway = '10.0.0.220';
const api = '54.187.216.72';

/** The interfaces the records show to be NAT gateways, by name. */
function gatewaysIn(store: FlowStore): string[] {
	const snapshot = snapshotOf(store);
	return [...natGateways(snapshot)].map(eni => snapshot.text(eni));
}

/**
 * `count` requests from app servers to `port`, as the gateway's interface records them: addressed to
 * the gateway, sent on from its address to the internet (or to `to`), and the answers back.
 */
function forwarded(count: number, port = 443, to = api): Flow[] {
	return range(count).flatMap(index => {
		const client = `10.0.20.${21 + (index % 2)}`;
		return [
			accept(nat, `${client}:${41_000 + index}`, `${gateway}:${port}`, {minute: index % 6}),
			accept(nat, `${gateway}:${20_000 + index}`, `${to}:${port}`, {minute: index % 6}),
			accept(nat, `${to}:${port}`, `${gateway}:${20_000 + index}`, {minute: index % 6}),
			accept(nat, `${gateway}:${port}`, `${client}:${41_000 + index}`, {minute: index % 6}),
		];
	});
}

/** Requests from app servers to the gateway's address on `port` that go on nowhere. */
function received(count: number, port: number): Flow[] {
	return range(count).map(index => accept(nat, `10.0.20.21:${45_000 + index}`, `${gateway}:${port}`));
}

/** Requests the gateway's interface sends to a host inside the VPC. */
function sentInside(count: number): Flow[] {
	return range(count).map(index => accept(nat, `${gateway}:${46_000 + index}`, '10.0.30.40:443'));
}

describe('NAT gateways, told from default-format records', () => {
	it('is an interface that sends on to the internet what inside hosts send it, from five requests', () => {
		expect(gatewaysIn(v2Store(forwarded(5)))).toEqual([nat]);
		expect(gatewaysIn(v2Store(forwarded(4)))).toEqual([]);
	});

	it('is an interface that sends on the pings inside hosts send it', () => {
		const pings = range(6).flatMap(index => [
			accept(nat, `10.0.20.${21 + index}:0`, `${gateway}:0`, {protocol: 1}),
			accept(nat, `${gateway}:0`, `8.8.8.${index}:0`, {protocol: 1}),
		]);
		expect(gatewaysIn(v2Store(pings))).toEqual([nat]);
	});

	it('sends nine in ten of its own requests to the internet', () => {
		expect(gatewaysIn(v2Store([...forwarded(9), ...sentInside(1)]))).toEqual([nat]);
		expect(gatewaysIn(v2Store([...forwarded(9), ...sentInside(2)]))).toEqual([]);
	});

	it('sends on nine in ten of the requests it receives from inside hosts', () => {
		expect(gatewaysIn(v2Store([...forwarded(9), ...received(1, 22)]))).toEqual([nat]);
		expect(gatewaysIn(v2Store([...forwarded(8), ...received(2, 22)]))).toEqual([]);
	});

	it('is not a server that receives one service and calls another out', () => {
		const flows = range(6).flatMap(index => [
			accept(nat, `10.0.20.21:${41_000 + index}`, `${gateway}:443`),
			accept(nat, `${gateway}:${20_000 + index}`, `${api}:8443`),
		]);
		expect(gatewaysIn(v2Store(flows))).toEqual([]);
	});

	it('is not a proxy that passes HTTPS on to a host inside, however much it calls out on another port', () => {
		const flows = [
			...received(6, 443),
			accept(nat, `${gateway}:46000`, '10.0.30.40:443'),
			...range(9).map(index => accept(nat, `${gateway}:${20_000 + index}`, `${api}:8443`)),
		];
		expect(gatewaysIn(v2Store(flows))).toEqual([]);
	});

	it('counts only what was let through', () => {
		const refused = range(5).map(index => reject(nat, `10.0.20.21:${41_000 + index}`, `${gateway}:443`));
		const calls = range(5).map(index => accept(nat, `${gateway}:${20_000 + index}`, `${api}:443`));
		expect(gatewaysIn(v2Store([...refused, ...calls]))).toEqual([]);
	});
});

describe('NAT gateways, told from what else is known', () => {
	it('is an interface whose traffic is translated a quarter of the time or more (pkt-* fields)', () => {
		const translated = (plain: number) => [
			accept(nat, '10.0.20.21:41000', `${gateway}:443`, {pktDst: api}),
			...range(plain).map(index => accept(nat, `10.0.20.21:${42_000 + index}`, `${gateway}:22`)),
		];
		expect(gatewaysIn(v5Store(translated(3)))).toEqual([nat]);
		expect(gatewaysIn(v5Store(translated(4)))).toEqual([]);
	});

	it("goes by the VPC's configuration where it knows the interface, whatever the records suggest", () => {
		const configured = (kinds: Record<string, string>) => {
			const store = v2Store([...forwarded(6), accept('eni-0other', '10.0.20.21:41000', '10.0.30.40:5432')]);
			identify(store, {
				addressesOf: () => undefined,
				subnetIdOf: () => undefined,
				kindOf: eni => kinds[eni],
				isInside: () => false,
			});
			return gatewaysIn(store);
		};

		expect(configured({[nat]: 'instance', 'eni-0other': 'nat-gateway'})).toEqual(['eni-0other']);
		expect(configured({})).toEqual([nat]);
	});
});
