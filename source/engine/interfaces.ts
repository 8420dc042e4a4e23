import type {FlowDirection, FlowRecord} from '../flowlog/record.js';
import {isIpv6} from '../net/address.js';
import {detach} from '../text/detach.js';

/**
 * What the records tell about each network interface: its own address (the one present in nearly
 * all of its records, per address family), the subnet/VPC/instance the record fields name, and
 * how much of its traffic involves neither of its addresses (a NAT gateway forwarding for others).
 */
export interface InterfaceProfile {
	readonly eni: string;
	records: number;
	bytes: number;
	firstSeen: number;
	lastSeen: number;
	subnetId: string | undefined;
	vpcId: string | undefined;
	instanceId: string | undefined;
	interfaceType: string | undefined;
	account: string | undefined;
	/** Records whose pkt-* addresses differ from srcaddr/dstaddr: traffic translated on this ENI. */
	translated: number;
	readonly v4: AddressTally;
	readonly v6: AddressTally;
}

/**
 * Space-saving heavy hitters over the addresses of one family: K counters are enough to find an
 * address present in more than 1/K of the records, with memory fixed however many peers there are.
 */
class AddressTally {
	static readonly slots = 4;
	records = 0;
	private readonly counts = new Map<string, number>();

	add(address: string): void {
		const count = this.counts.get(address);
		if (count !== undefined) {
			this.counts.set(address, count + 1);
			return;
		}

		if (this.counts.size < AddressTally.slots) {
			this.counts.set(detach(address), 1);
			return;
		}

		let minAddress = '';
		let min = Number.POSITIVE_INFINITY;
		for (const [candidate, candidateCount] of this.counts) {
			if (candidateCount < min) {
				min = candidateCount;
				minAddress = candidate;
			}
		}

		this.counts.delete(minAddress);
		this.counts.set(detach(address), min + 1);
	}

	/** [address, count] pairs, most frequent first. */
	top(): Array<[string, number]> {
		return [...this.counts].sort((a, b) => b[1] - a[1]);
	}
}

// An interface's own address appears in every record it logs (srcaddr for egress, dstaddr for
// ingress), except on a NAT gateway, where AWS still writes the gateway's address but pkt-* differ.
// Below half, the top address is just a busy peer.
const OWN_ADDRESS_SHARE = 0.5;
// Enough records that the share means something.
const OWN_ADDRESS_MIN_RECORDS = 3;

export function ownAddresses(profile: InterfaceProfile): string[] {
	const own: string[] = [];
	for (const tally of [profile.v4, profile.v6]) {
		const [first] = tally.top();
		if (first && tally.records >= OWN_ADDRESS_MIN_RECORDS && first[1] >= tally.records * OWN_ADDRESS_SHARE) {
			own.push(first[0]);
		}
	}

	return own;
}

/** Direction of a flow relative to its interface: v5 flow-direction, else its own address. */
export function directionOf(
	flow: {readonly direction: FlowDirection | undefined; readonly src: string | undefined; readonly dst: string | undefined},
	own: readonly string[],
): FlowDirection | undefined {
	if (flow.direction) {
		return flow.direction;
	}

	if (flow.dst !== undefined && own.includes(flow.dst)) {
		return 'ingress';
	}

	if (flow.src !== undefined && own.includes(flow.src)) {
		return 'egress';
	}

	return undefined;
}

function latest(known: string | undefined, seen: string | undefined): string | undefined {
	return seen === undefined || seen === known ? known : detach(seen);
}

// Interfaces in one account number in the thousands at most; past this a flood of made-up ids in
// a hostile file cannot grow memory without bound.
const MAX_INTERFACES = 50_000;

export class InterfaceProfiles {
	private readonly profiles = new Map<string, InterfaceProfile>();

	get(eni: string): InterfaceProfile | undefined {
		return this.profiles.get(eni);
	}

	all(): IterableIterator<InterfaceProfile> {
		return this.profiles.values();
	}

	get size(): number {
		return this.profiles.size;
	}

	add(record: FlowRecord, eni: string): void {
		let profile = this.profiles.get(eni);
		if (!profile) {
			if (this.profiles.size >= MAX_INTERFACES) {
				return;
			}

			profile = {
				eni: detach(eni),
				records: 0,
				bytes: 0,
				firstSeen: record.start ?? 0,
				lastSeen: record.end ?? record.start ?? 0,
				subnetId: undefined,
				vpcId: undefined,
				instanceId: undefined,
				interfaceType: undefined,
				account: undefined,
				translated: 0,
				v4: new AddressTally(),
				v6: new AddressTally(),
			};
			this.profiles.set(profile.eni, profile);
		}

		profile.records++;
		profile.bytes += record.bytes ?? 0;
		if (record.start !== undefined && record.start < profile.firstSeen) {
			profile.firstSeen = record.start;
		}

		const end = record.end ?? record.start;
		if (end !== undefined && end > profile.lastSeen) {
			profile.lastSeen = end;
		}

		profile.subnetId = latest(profile.subnetId, record.subnetId);
		profile.vpcId = latest(profile.vpcId, record.vpcId);
		profile.instanceId = latest(profile.instanceId, record.instanceId);
		profile.interfaceType = latest(profile.interfaceType, record.interfaceType);
		profile.account = latest(profile.account, record.account);
		if ((record.pktSrc !== undefined && record.pktSrc !== record.src) || (record.pktDst !== undefined && record.pktDst !== record.dst)) {
			profile.translated++;
		}

		const {src, dst} = record;
		if (src !== undefined || dst !== undefined) {
			const tally = isIpv6(src ?? dst!) ? profile.v6 : profile.v4;
			tally.records++;
			if (src !== undefined) {
				tally.add(src);
			}

			if (dst !== undefined && dst !== src) {
				tally.add(dst);
			}
		}
	}
}
