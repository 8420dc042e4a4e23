import {Conversation} from '../engine/conversation.js';
import type {ConversationTable} from '../engine/conversation-table.js';
import type {InterfaceProfile} from '../engine/interfaces.js';
import type {Bucket, FlowAgg, FlowStore} from '../engine/store.js';
import type {Direction} from '../net/direction.js';
import {addressMatcher, isLinkLocalAddress, isPrivateAddress, ipv4ToInt} from '../net/address.js';

const INSIDE = 1;
const OUTSIDE = 2;
const LINK_LOCAL = 3;

// A VPC's IPv6 block is a /56; its IPv4 block at most a /16. An address in the block of an
// interface the records show is inside, though a VPC's IPv6 addresses are global.
const VPC_V6_PREFIX = 56;
const VPC_V4_PREFIX = 16;
// A connection's records reach the log within a capture window (at most ten minutes) of each other:
// its request and its answers are looked for that close in time, not across the whole window.
const CAPTURE_SECONDS = 600;

/** The VPC block around an address, as a CIDR: the key under which the blocks seen are kept. */
function vpcBlock(address: string): string | undefined {
	const v4 = ipv4ToInt(address);
	if (v4 >= 0) {
		const base = Math.floor(v4 / 2 ** (32 - VPC_V4_PREFIX)) * 2 ** (32 - VPC_V4_PREFIX);
		return `${[24, 16, 8, 0].map(shift => Math.floor(base / 2 ** shift) % 256).join('.')}/${VPC_V4_PREFIX}`;
	}

	return addressMatcher(`${address}/${VPC_V6_PREFIX}`)?.cidr;
}

/**
 * What the VPC's configuration says of the interfaces (read through EC2), where it is known: it
 * replaces what the records only suggest. Immutable: a new read is a new identity.
 */
export interface InterfaceIdentity {
	/** The interface's own addresses, primary IPv4 first; undefined for an interface it does not know. */
	addressesOf(eni: string): readonly string[] | undefined;
	subnetIdOf(eni: string): string | undefined;
	/** `nat-gateway`, `load-balancer`, `instance`, ...; undefined for an interface it does not know. */
	kindOf(eni: string): string | undefined;
	/** Whether the address lies in a VPC it knows. */
	isInside(address: string): boolean;
}

/**
 * What every rule reads of the store, worked out once per store version: the window's buckets,
 * each interface's own addresses (to tell ingress from egress without flow-direction), which
 * addresses are outside, and the REJECT rows. Rules share their intermediate results through
 * derive(), so calling one rule alone or all of them through diagnose() costs the same work once.
 *
 * Everything is keyed by interned id and read through one Conversation cursor per pass: the store
 * may hold a million conversations, and an object per row would cost more than the rules themselves.
 */
export class Snapshot {
	readonly version: number;
	readonly buckets: readonly Bucket[];
	private readonly tables: readonly ConversationTable[];
	/** The window's REJECT rows as two parallel lists: bucket index, row. */
	readonly rejectBuckets: number[] = [];
	readonly rejectRows: number[] = [];
	private readonly ownV4: Int32Array;
	private readonly ownV6: Int32Array;
	/** The interfaces the records told about, by interned ENI id. */
	readonly profiles = new Map<number, InterfaceProfile>();
	/** A dense number per interface (0 .. profiles.size - 1) by interned ENI id, -1 for other ids: for per-interface typed arrays. */
	readonly interfaceIndex: Int32Array;
	private readonly subnets = new Map<number, string>();
	private readonly places: Uint8Array;
	/** The VPC blocks (CIDR text) the interfaces seen sit in, IPv4 and IPv6, outside the private ranges. */
	readonly vpcBlocks: ReadonlySet<string>;
	private readonly derived = new Map<unknown, unknown>();

	constructor(
		readonly store: FlowStore,
		readonly identity?: InterfaceIdentity,
	) {
		const {strings} = store;
		this.version = store.version;
		this.buckets = store.bucketsInWindow();
		this.ownV4 = new Int32Array(strings.size).fill(-1);
		this.ownV6 = new Int32Array(strings.size).fill(-1);
		this.places = new Uint8Array(strings.size);
		this.interfaceIndex = new Int32Array(strings.size).fill(-1);
		const blocks = new Set<string>();
		for (const profile of store.profiles.all()) {
			const eni = strings.find(profile.eni);
			if (eni < 0) {
				continue;
			}

			this.interfaceIndex[eni] = this.profiles.size;
			this.profiles.set(eni, profile);
			const known = identity?.addressesOf(profile.eni);
			const subnetId = identity?.subnetIdOf(profile.eni) ?? profile.subnetId;
			for (const address of known ?? profile.own) {
				const id = strings.find(address);
				if (id < 0) {
					continue;
				}

				const own = strings.ipv4(id) >= 0 ? this.ownV4 : this.ownV6;
				// The primary address is the one an interface writes as its own.
				if (own[eni] === -1) {
					own[eni] = id;
				}

				this.places[id] = INSIDE;
				const block = isPrivateAddress(address) ? undefined : vpcBlock(address);
				if (block !== undefined) {
					blocks.add(block);
				}

				if (subnetId !== undefined) {
					this.subnets.set(id, subnetId);
				}
			}
		}

		this.vpcBlocks = blocks;
		this.tables = this.buckets.map(bucket => bucket.table);
		const flow = this.cursor();
		while (flow.next()) {
			if (flow.rejected) {
				this.rejectBuckets.push(flow.bucket);
				this.rejectRows.push(flow.row);
			}
		}
	}

	/**
	 * A cursor over the window's conversations from bucket `from` on, oldest first: `while
	 * (flow.next())` visits each, and at() moves it anywhere.
	 */
	cursor(from = 0): Conversation {
		return new Conversation(this.tables, undefined, from);
	}

	/** A cursor that visits the window's REJECT conversations only, oldest first. */
	rejects(): Conversation {
		return new Conversation(this.tables, {buckets: this.rejectBuckets, rows: this.rejectRows});
	}

	/**
	 * Which way a row crossed its interface: v5 flow-direction when the record had it, else the
	 * interface's own address; undefined when neither tells.
	 */
	direction(flow: Conversation): Direction | undefined {
		const {direction} = flow;
		if (direction !== undefined) {
			return direction;
		}

		const {eni} = flow;
		if (eni < 0) {
			return undefined;
		}

		const {dst} = flow;
		if (dst >= 0 && (dst === this.ownV4[eni] || dst === this.ownV6[eni])) {
			return 'inbound';
		}

		const {src} = flow;
		return src >= 0 && (src === this.ownV4[eni] || src === this.ownV6[eni]) ? 'outbound' : undefined;
	}

	/**
	 * An address on the internet side: not in a private range, and not in the VPC block of any
	 * interface seen (a VPC's IPv6 addresses are global, so the range alone cannot say).
	 */
	isOutside(id: number): boolean {
		return this.placeOf(id) === OUTSIDE;
	}

	/** Link-local: the Amazon DNS resolver, metadata and time services, where no SG or NACL rule applies. */
	isLinkLocal(id: number): boolean {
		return this.placeOf(id) === LINK_LOCAL;
	}

	/** The buckets (first and last index) a conversation's other records can be in: within a capture window of it. */
	nearBuckets(first: number, last: number): [number, number] {
		const {buckets} = this;
		const width = this.store.bucketSeconds;
		let low = 0;
		let high = buckets.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (buckets[middle]!.start + width < first - CAPTURE_SECONDS) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		let end = low;
		while (end < buckets.length && buckets[end]!.start <= last + CAPTURE_SECONDS) {
			end++;
		}

		return [low, end - 1];
	}

	private placeOf(id: number): number {
		if (id < 0) {
			return 0;
		}

		let place = this.places[id]!;
		if (place === 0) {
			const text = this.store.strings.text(id);
			place = isLinkLocalAddress(text)
				? LINK_LOCAL
				: isPrivateAddress(text) ||
						this.identity?.isInside(text) ||
						(this.vpcBlocks.size > 0 && this.vpcBlocks.has(vpcBlock(text) ?? ''))
					? INSIDE
					: OUTSIDE;
			this.places[id] = place;
		}

		return place;
	}

	profile(eni: number): InterfaceProfile | undefined {
		return this.profiles.get(eni);
	}

	/** What the configuration says the interface is, when it is known. */
	kindOf(eni: number): string | undefined {
		return this.identity?.kindOf(this.store.strings.text(eni));
	}

	/** Both addresses belong to interfaces the records place in one subnet, where no network ACL applies. */
	sameSubnet(a: number, b: number): boolean {
		const subnet = this.subnets.get(a);
		return subnet !== undefined && subnet === this.subnets.get(b);
	}

	text(id: number): string {
		return this.store.strings.text(id);
	}

	flow(bucket: number, row: number): FlowAgg {
		return this.store.flowAt(this.buckets[bucket]!.table, row);
	}

	/** The result of `compute` for this snapshot, computed on first use. */
	derive<T>(compute: (snapshot: Snapshot) => T): T {
		if (!this.derived.has(compute)) {
			this.derived.set(compute, compute(this));
		}

		return this.derived.get(compute) as T;
	}
}

const snapshots = new WeakMap<FlowStore, Snapshot>();
const identities = new WeakMap<FlowStore, InterfaceIdentity>();

/** What is known of the store's interfaces from now on (undefined: only what the records say). */
export function identify(store: FlowStore, identity: InterfaceIdentity | undefined): void {
	if (identity) {
		identities.set(store, identity);
	} else {
		identities.delete(store);
	}
}

/** The snapshot of the store as it stands; the same one until the store or what is known of its interfaces changes. */
export function snapshotOf(store: FlowStore): Snapshot {
	let snapshot = snapshots.get(store);
	const identity = identities.get(store);
	if (snapshot?.version !== store.version || snapshot.identity !== identity) {
		snapshot = new Snapshot(store, identity);
		snapshots.set(store, snapshot);
	}

	return snapshot;
}
