import {describe, expect, it} from 'vitest';
import {
	filterText,
	listOf,
	percent,
	plural,
	portLabel,
	portsTerm,
	protocolTerm,
	serviceLabel,
	subnetOf,
	targetPort,
	targetText,
} from '../../source/diagnosis/wording.js';
import type {InterfaceProfile} from '../../source/engine/interfaces.js';

/** What the records told of eni-0app: v2 records carry no subnet-id. */
function profile(subnetId: string | undefined): InterfaceProfile {
	return {
		eni: 'eni-0app',
		records: 10,
		bytes: 1800,
		firstSeen: 0,
		lastSeen: 60,
		subnetId,
		vpcId: undefined,
		instanceId: undefined,
		interfaceType: undefined,
		account: undefined,
		translated: 0,
		own: ['10.0.20.21'],
	};
}

describe('the words findings are written in', () => {
	it('labels a port with its protocol, and a protocol without ports alone', () => {
		expect(portLabel(6, 5432)).toBe('TCP 5432');
		expect(portLabel(17, 53)).toBe('UDP 53');
		expect(portLabel(6, undefined)).toBe('TCP');
		// An ICMP record's port fields carry type and code, not a port.
		expect(portLabel(1, 8)).toBe('ICMP');
	});

	it('writes a target that answered a sweep as nmap does: TCP bare, other ports with their protocol, ICMP by host', () => {
		expect(targetText('10.0.0.10', 6, 22)).toBe('10.0.0.10:22');
		expect(targetText('10.0.0.10', 17, 53)).toBe('10.0.0.10:53/udp');
		expect(targetText('2600:1f18::10', 6, 443)).toBe('[2600:1f18::10]:443');
		expect(targetText('2600:1f18::10', 58, 0)).toBe('2600:1f18::10 (ICMPv6)');
		expect(targetText('10.0.0.10', 1, 0)).toBe('10.0.0.10 (ICMP)');
		expect([targetPort(6, 22), targetPort(17, 53), targetPort(132, 38412), targetPort(1, 0)]).toEqual([
			'22',
			'53/udp',
			'38412/sctp',
			'ICMP',
		]);
	});

	it("adds a well-known port's service name, never to a protocol without ports", () => {
		expect(serviceLabel(6, 5432)).toBe('TCP 5432 (PostgreSQL)');
		expect(serviceLabel(6, 5701)).toBe('TCP 5701');
		expect(serviceLabel(6, undefined)).toBe('TCP');
		expect(serviceLabel(1, 22)).toBe('ICMP');
	});

	it('names the subnet by id when the records carry it, else by the interface in it', () => {
		expect(subnetOf(profile('subnet-0app'), 'eni-0app')).toBe('subnet-0app');
		expect(subnetOf(profile(undefined), 'eni-0app')).toBe('the subnet of eni-0app');
		expect(subnetOf(undefined, 'eni-0app')).toBe('the subnet of eni-0app');
	});

	it('counts in the singular for one', () => {
		expect(plural(1, 'try', 'tries')).toBe('1 try');
		expect(plural(3, 'try', 'tries')).toBe('3 tries');
		expect(plural(0, 'host')).toBe('0 hosts');
	});

	it('writes a share as a whole percentage, and <1% for a sliver that is not nothing', () => {
		expect(percent(0)).toBe('0%');
		expect(percent(0.004)).toBe('<1%');
		expect(percent(0.01)).toBe('1%');
		expect(percent(0.426)).toBe('43%');
	});

	it('lists up to three things in a sentence, and how many more past that', () => {
		expect(listOf([])).toBe('');
		expect(listOf(['TCP 22'])).toBe('TCP 22');
		expect(listOf(['TCP 22', 'TCP 443'])).toBe('TCP 22 and TCP 443');
		expect(listOf(['TCP 22', 'TCP 443', 'UDP 53'])).toBe('TCP 22, TCP 443 and UDP 53');
		expect(listOf(['TCP 22', 'TCP 443', 'UDP 53', 'ICMP', 'TCP 80'])).toBe('TCP 22, TCP 443 and 3 more');
		expect(listOf(['a', 'b', 'c', 'd', 'e'], 4)).toBe('a, b, c and 2 more');
	});

	it('writes filter terms in the form the filter bar shows, leaving out the ones a finding lacks', () => {
		expect(filterText(['eni-0db', undefined, protocolTerm(6), 'reject'])).toBe('eni-0db tcp reject');
		expect(filterText(['eni-0db', portsTerm([8080, 443, 22, 3306]), 'reject'])).toBe(
			'eni-0db port:22,443,3306,8080 reject',
		);
	});

	it('has no port term for no ports', () => {
		expect(portsTerm([])).toBeUndefined();
		expect(portsTerm([8080, 443, 22, 3306])).toBe('port:22,443,3306,8080');
	});
});
