import {type FlowColumns, INBOUND, NO_ADDRESS, NO_TEXT, OUTBOUND} from '../flowlog/flow-columns.js';
import {isPrivateAddress} from '../net/address.js';
import type {Interner} from './interner.js';

/**
 * What the records tell about each network interface: its own address (the one present in nearly
 * all of its records, per address family), the subnet/VPC/instance the record fields name, and
 * how much of its traffic was translated (pkt-* addresses differing: a NAT gateway).
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
	/** Own addresses, one per family, once the records make them clear. */
	readonly own: string[];
}

// Four counters: any address in more than a quarter of an interface's records keeps one.
const TALLY_SLOTS = 4;

/**
 * Space-saving heavy hitters over interned addresses of one family: K counters find any address
 * present in more than 1/K of the records, in fixed memory however many peers there are. Each
 * counter carries how much it may overcount (what the counter it took over had counted), so an
 * address is only called dominant when its guaranteed count is: that verdict does not depend on
 * the order records came in, nor on whether the tally was read in one pass or merged from ranges.
 */
class AddressTally {
	records = 0;
	readonly ids = new Int32Array(TALLY_SLOTS).fill(-1);
	readonly counts = new Float64Array(TALLY_SLOTS);
	readonly errors = new Float64Array(TALLY_SLOTS);

	add(id: number, weight: number): void {
		const {ids, counts} = this;
		let min = 0;
		let least = counts[0]!;
		for (let slot = 0; slot < TALLY_SLOTS; slot++) {
			if (ids[slot] === id) {
				counts[slot]! += weight;
				return;
			}

			if (counts[slot]! < least) {
				min = slot;
				least = counts[slot]!;
			}
		}

		this.errors[min] = least;
		ids[min] = id;
		counts[min] = least + weight;
	}

	/**
	 * Fold in another tally of the same interface (mergeable space-saving): an address one tally
	 * lacks may have been evicted there with up to that tally's smallest count, which is added to
	 * both its count and its possible overcount. The heaviest counters stay.
	 */
	absorb(other: TallyPart, ids: Int32Array): void {
		this.records += other.records;
		// Each tally's counters by our ids, and what an address it lacks may still have had.
		const sides = [
			{tally: this as TallyPart, toOurs: undefined},
			{tally: other, toOurs: ids},
		].map(({tally, toOurs}) => {
			const slots = new Map<number, number>();
			for (let slot = 0; slot < TALLY_SLOTS; slot++) {
				const id = tally.ids[slot]!;
				if (id >= 0) {
					slots.set(toOurs ? toOurs[id]! : id, slot);
				}
			}

			return {tally, slots, floor: slots.size === TALLY_SLOTS ? Math.min(...tally.counts) : 0};
		});
		const merged = new Map<number, {count: number; error: number}>();
		for (const id of sides.flatMap(({slots}) => [...slots.keys()])) {
			let count = 0;
			let error = 0;
			for (const {tally, slots, floor} of sides) {
				const slot = slots.get(id);
				count += slot === undefined ? floor : tally.counts[slot]!;
				error += slot === undefined ? floor : tally.errors[slot]!;
			}

			merged.set(id, {count, error});
		}

		const heaviest = [...merged].sort((a, b) => b[1].count - a[1].count || a[0] - b[0]).slice(0, TALLY_SLOTS);
		this.ids.fill(-1);
		this.counts.fill(0);
		this.errors.fill(0);
		for (const [slot, [id, {count, error}]] of heaviest.entries()) {
			this.ids[slot] = id;
			this.counts[slot] = count;
			this.errors[slot] = error;
		}
	}

	/**
	 * The id certainly present in at least `share` of the records, or -1. Two ends of every record
	 * tie (an interface with one peer, and no flow-direction to tell them apart): then the one
	 * `preferred` says could be an interface's (a private address: AWS logs the primary private
	 * one), else the one seen first, the lower id, whatever order the counters are in.
	 */
	dominant(share: number, minRecords: number, preferred: (id: number) => boolean): number {
		let best = -1;
		let bestCount = 0;
		for (let slot = 0; slot < TALLY_SLOTS; slot++) {
			const id = this.ids[slot]!;
			const count = this.counts[slot]! - this.errors[slot]!;
			if (id < 0 || count < bestCount) {
				continue;
			}

			if (count > bestCount || best < 0) {
				best = id;
				bestCount = count;
			} else if (preferred(id) === preferred(best) ? id < best : preferred(id)) {
				best = id;
			}
		}

		return this.records >= minRecords && bestCount >= this.records * share ? best : -1;
	}
}

// An interface's own address appears in every record it logs: srcaddr for egress, dstaddr for
// ingress (AWS writes the interface's primary private address even when the packet was for
// another, which pkt-* then shows). Half is a safe margin below "every"; a busy peer stays under it.
const OWN_ADDRESS_SHARE = 0.5;
// Enough records that the share means something.
const OWN_ADDRESS_MIN_RECORDS = 3;
// Interfaces in one account number in the thousands at most; past this a flood of made-up ids in
// a hostile file cannot grow memory without bound.
const MAX_INTERFACES = 50_000;

/** One interface's profile and tallies as plain data, for InterfaceProfiles.absorb() on another thread. */
export interface ProfilePart {
	readonly eni: number;
	readonly profile: InterfaceProfile;
	readonly v4: TallyPart;
	readonly v6: TallyPart;
}

interface TallyPart {
	readonly records: number;
	readonly ids: Int32Array;
	readonly counts: Float64Array;
	readonly errors: Float64Array;
}

interface Tracked {
	readonly profile: InterfaceProfile;
	readonly v4: AddressTally;
	readonly v6: AddressTally;
}

export class InterfaceProfiles {
	/** By interned ENI id: an array, because this is looked up for every record. */
	private byId: Array<Tracked | undefined> = [];
	private count = 0;

	constructor(private readonly strings: Interner) {}

	get(eni: string): InterfaceProfile | undefined {
		const tracked = this.byId[this.strings.find(eni)];
		return tracked ? this.settle(tracked) : undefined;
	}

	*all(): IterableIterator<InterfaceProfile> {
		for (const tracked of this.byId) {
			if (tracked) {
				yield this.settle(tracked);
			}
		}
	}

	get size(): number {
		return this.count;
	}

	/**
	 * One OK record (a batch's row) on the interface `eni`, its addresses already interned (-1 when
	 * absent); or as many records alike as the row stands for (a row of a Logs Insights `stats` query).
	 */
	add(batch: FlowColumns, row: number, eni: number, src: number, dst: number): void {
		const weight = batch.records[row]!;
		const start = batch.start[row]!;
		// The end, or the start when the record has none; NaN when it has neither.
		const end = Number.isNaN(batch.end[row]!) ? start : batch.end[row]!;
		let tracked = this.byId[eni];
		if (!tracked) {
			if (this.count >= MAX_INTERFACES) {
				return;
			}

			tracked = {
				profile: {
					eni: this.strings.text(eni),
					records: 0,
					bytes: 0,
					firstSeen: Number.isNaN(start) ? 0 : start,
					lastSeen: Number.isNaN(end) ? 0 : end,
					subnetId: undefined,
					vpcId: undefined,
					instanceId: undefined,
					interfaceType: undefined,
					account: undefined,
					translated: 0,
					own: [],
				},
				v4: new AddressTally(),
				v6: new AddressTally(),
			};
			this.byId[eni] = tracked;
			this.count++;
		}

		const {profile} = tracked;
		profile.records += weight;
		const bytes = batch.bytes[row]!;
		profile.bytes += Number.isNaN(bytes) ? 0 : bytes;
		if (start < profile.firstSeen) {
			profile.firstSeen = start;
		}

		if (end > profile.lastSeen) {
			profile.lastSeen = end;
		}

		// A batch's texts are its dictionary's, one string per distinct text, already detached from the
		// input: the profile keeps the latest as it is, with no copy and no comparison per record.
		profile.account = batch.text(batch.account[row]!) ?? profile.account;

		const subnetId = batch.subnetId[row]!;
		const instanceId = batch.instanceId[row]!;
		const pktSrc = batch.pktSrc[row]!;
		const pktDst = batch.pktDst[row]!;
		const interfaceType = batch.interfaceType[row]!;
		const vpcId = batch.vpcId[row]!;
		// v3+ fields, absent from the default format: skip the lot when the record has none.
		if (
			subnetId !== NO_TEXT ||
			instanceId !== NO_TEXT ||
			pktSrc !== NO_ADDRESS ||
			pktDst !== NO_ADDRESS ||
			interfaceType !== NO_TEXT ||
			vpcId !== NO_TEXT
		) {
			profile.subnetId = batch.text(subnetId) ?? profile.subnetId;
			profile.vpcId = batch.text(vpcId) ?? profile.vpcId;
			profile.instanceId = batch.text(instanceId) ?? profile.instanceId;
			profile.interfaceType = batch.text(interfaceType) ?? profile.interfaceType;
			// Addresses are one value per address (IPv6 by its canonical spelling), so equal values are one address.
			if (
				(pktSrc !== NO_ADDRESS && pktSrc !== batch.src[row]) ||
				(pktDst !== NO_ADDRESS && pktDst !== batch.dst[row])
			) {
				profile.translated += weight;
			}
		}

		// v5 flow-direction says which end is the interface's own: count only that one, so an
		// interface with a single peer (whose address is in every record too) is still told apart.
		const direction = batch.direction[row];
		const ownEnd = direction === INBOUND ? dst : direction === OUTBOUND ? src : -1;
		const any = src >= 0 ? src : dst;
		if (any >= 0) {
			const tally = this.strings.ipv4(any) >= 0 ? tracked.v4 : tracked.v6;
			tally.records += weight;
			if (ownEnd >= 0) {
				tally.add(ownEnd, weight);
			} else {
				if (src >= 0) {
					tally.add(src, weight);
				}

				if (dst >= 0 && dst !== src) {
					tally.add(dst, weight);
				}
			}
		}
	}

	clear(): void {
		this.byId = [];
		this.count = 0;
	}

	/** Every profile with its tallies, ids as this store's interner has them. */
	part(): ProfilePart[] {
		const parts: ProfilePart[] = [];
		for (const [eni, tracked] of this.byId.entries()) {
			if (tracked) {
				parts.push({eni, profile: tracked.profile, v4: tracked.v4, v6: tracked.v6});
			}
		}

		return parts;
	}

	/** Profiles another store built from later records; `ids` maps its interned ids to ours. */
	absorb(parts: readonly ProfilePart[], ids: Int32Array): void {
		for (const part of parts) {
			const eni = ids[part.eni]!;
			let tracked = this.byId[eni];
			if (tracked) {
				const {profile} = tracked;
				const other = part.profile;
				profile.records += other.records;
				profile.bytes += other.bytes;
				profile.translated += other.translated;
				profile.firstSeen = Math.min(profile.firstSeen, other.firstSeen);
				profile.lastSeen = Math.max(profile.lastSeen, other.lastSeen);
				profile.subnetId = other.subnetId ?? profile.subnetId;
				profile.vpcId = other.vpcId ?? profile.vpcId;
				profile.instanceId = other.instanceId ?? profile.instanceId;
				profile.interfaceType = other.interfaceType ?? profile.interfaceType;
				profile.account = other.account ?? profile.account;
			} else {
				if (this.count >= MAX_INTERFACES) {
					continue;
				}

				tracked = {profile: {...part.profile, own: []}, v4: new AddressTally(), v6: new AddressTally()};
				this.byId[eni] = tracked;
				this.count++;
			}

			tracked.v4.absorb(part.v4, ids);
			tracked.v6.absorb(part.v6, ids);
		}
	}

	/** Mark the interned ids the profiles hold on to. */
	markLive(live: Uint8Array): void {
		for (const [eni, tracked] of this.byId.entries()) {
			if (!tracked) {
				continue;
			}

			live[eni] = 1;
			for (const id of [...tracked.v4.ids, ...tracked.v6.ids]) {
				if (id >= 0) {
					live[id] = 1;
				}
			}
		}
	}

	remap(ids: Int32Array): void {
		const entries = this.byId;
		this.byId = [];
		for (const [eni, tracked] of entries.entries()) {
			if (!tracked) {
				continue;
			}

			for (const tally of [tracked.v4, tracked.v6]) {
				for (let slot = 0; slot < TALLY_SLOTS; slot++) {
					tally.ids[slot] = tally.ids[slot]! >= 0 ? ids[tally.ids[slot]!]! : -1;
				}
			}

			this.byId[ids[eni]!] = tracked;
		}
	}

	private settle(tracked: Tracked): InterfaceProfile {
		const own = tracked.profile.own;
		own.length = 0;
		for (const tally of [tracked.v4, tracked.v6]) {
			const id = tally.dominant(OWN_ADDRESS_SHARE, OWN_ADDRESS_MIN_RECORDS, candidate =>
				isPrivateAddress(this.strings.text(candidate)),
			);
			if (id >= 0) {
				own.push(this.strings.text(id));
			}
		}

		return tracked.profile;
	}
}
