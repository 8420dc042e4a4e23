import type {FlowRecord} from '../flowlog/record.js';
import {protocolName, serviceName, servicePortOf} from '../flowlog/protocols.js';
import {isEmptyFilter, matchesFilter, type Filter} from './filter.js';
import type {FlowAgg, FlowStore} from './store.js';

/**
 * The selectors behind the four panes and the `--once` report: one pass over the window's
 * aggregates under the active filter, then sorted and cut. The UI and the report read the same
 * numbers from here.
 */

export type Metric = 'bytes' | 'packets' | 'flows';
export const METRICS: readonly Metric[] = ['bytes', 'packets', 'flows'];
export type Grouping = 'pair' | 'src' | 'dst';
export const GROUPINGS: readonly Grouping[] = ['pair', 'src', 'dst'];

export interface Totals {
	bytes: number;
	packets: number;
	flows: number;
}

export interface TalkerRow extends Totals {
	readonly src: string | undefined;
	readonly dst: string | undefined;
}

export interface RejectSourceRow extends Totals {
	readonly src: string;
	/** Distinct destination ports. */
	ports: number;
	/** Distinct interfaces that rejected it. */
	enis: number;
	lastSeen: number;
}

export interface RejectTargetRow extends Totals {
	readonly dst: string;
	readonly port: number | undefined;
	readonly protocol: number | undefined;
	/** Distinct sources. */
	sources: number;
}

export interface EniRow extends Totals {
	readonly eni: string;
	rejects: number;
}

export interface ProtocolRow extends Totals {
	readonly protocol: number;
	readonly name: string;
}

export interface ServiceRow extends Totals {
	readonly protocol: number;
	readonly port: number;
	readonly name: string | undefined;
}

export interface TrendPoint {
	readonly start: number;
	bytes: number;
	flows: number;
	rejects: number;
}

export interface Views {
	/** Earliest start and latest end of the window's records, Unix seconds, or undefined when empty. */
	readonly window: {start: number; end: number} | undefined;
	readonly metric: Metric;
	/** Everything matching the filter. */
	readonly totals: Totals;
	readonly rejectTotals: Totals;
	readonly talkers: Readonly<Record<Grouping, TalkerRow[]>>;
	readonly rejectsBySource: RejectSourceRow[];
	readonly rejectsByTarget: RejectTargetRow[];
	readonly rejectsByEni: EniRow[];
	readonly recentRejects: FlowRecord[];
	readonly protocols: ProtocolRow[];
	readonly services: ServiceRow[];
	/** One point per bucket from the oldest to the newest of the window, empty buckets included. */
	readonly trend: TrendPoint[];
	readonly bucketSeconds: number;
	/** Every interface with traffic in the window (unfiltered), busiest first: the ENI picker. */
	readonly enis: EniRow[];
}

export interface ViewOptions {
	readonly metric?: Metric;
	/** Rows kept per list. */
	readonly limit?: number;
}

function zero(): Totals {
	return {bytes: 0, packets: 0, flows: 0};
}

function addTo(totals: Totals, flow: FlowAgg): void {
	totals.bytes += flow.bytes;
	totals.packets += flow.packets;
	totals.flows += flow.flows;
}

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
	let value = map.get(key);
	if (value === undefined) {
		value = make();
		map.set(key, value);
	}

	return value;
}

function compareText(a: string | undefined, b: string | undefined): number {
	const x = a ?? '';
	const y = b ?? '';
	return x < y ? -1 : (x > y ? 1 : 0);
}

/** Largest metric first; ties broken by source then destination, so output is deterministic. */
export function byMetric<T extends Totals & {src?: string | undefined; dst?: string | undefined}>(metric: Metric) {
	return (a: T, b: T): number => (b[metric] - a[metric]) || compareText(a.src, b.src) || compareText(a.dst, b.dst);
}

function top<T>(rows: Iterable<T>, compare: (a: T, b: T) => number, limit: number): T[] {
	return [...rows].sort(compare).slice(0, limit);
}

function servicePort(flow: FlowAgg): number | undefined {
	if (flow.srcPort !== undefined && flow.dstPort !== undefined) {
		return servicePortOf(flow.srcPort, flow.dstPort);
	}

	return flow.dstPort ?? flow.srcPort;
}

export function computeViews(store: FlowStore, filter: Filter, options: ViewOptions = {}): Views {
	const metric = options.metric ?? 'bytes';
	const limit = options.limit ?? 10;
	const unfiltered = isEmptyFilter(filter);
	const totals = zero();
	const rejectTotals = zero();
	const pairs = new Map<string, TalkerRow>();
	const sources = new Map<string, TalkerRow>();
	const destinations = new Map<string, TalkerRow>();
	const rejectSources = new Map<string, {row: RejectSourceRow; ports: Set<number>; enis: Set<string>}>();
	const rejectTargets = new Map<string, {row: RejectTargetRow; sources: Set<string>}>();
	const rejectEnis = new Map<string, EniRow>();
	const protocols = new Map<number, ProtocolRow>();
	const services = new Map<string, ServiceRow>();
	const enis = new Map<string, EniRow>();
	const buckets = store.bucketsInWindow();
	const trendByStart = new Map<number, TrendPoint>();
	const width = store.bucketSeconds;
	if (buckets.length > 0) {
		for (let start = buckets[0]!.start; start <= buckets.at(-1)!.start; start += width) {
			trendByStart.set(start, {start, bytes: 0, flows: 0, rejects: 0});
		}
	}

	for (const bucket of buckets) {
		const point = trendByStart.get(bucket.start)!;
		for (const flow of bucket.flows.values()) {
			if (flow.eni !== undefined) {
				const eniRow = getOr(enis, flow.eni, () => ({eni: flow.eni!, ...zero(), rejects: 0}));
				addTo(eniRow, flow);
				if (flow.action === 'REJECT') {
					eniRow.rejects += flow.flows;
				}
			}

			if (!unfiltered && !matchesFilter(filter, flow)) {
				continue;
			}

			addTo(totals, flow);
			point.bytes += flow.bytes;
			point.flows += flow.flows;
			const {src, dst} = flow;
			if (src !== undefined && dst !== undefined) {
				addTo(getOr(pairs, `${src} ${dst}`, () => ({src, dst, ...zero()})), flow);
			}

			if (src !== undefined) {
				addTo(getOr(sources, src, () => ({src, dst: undefined, ...zero()})), flow);
			}

			if (dst !== undefined) {
				addTo(getOr(destinations, dst, () => ({src: undefined, dst, ...zero()})), flow);
			}

			if (flow.protocol !== undefined) {
				const protocol = flow.protocol;
				addTo(getOr(protocols, protocol, () => ({protocol, name: protocolName(protocol), ...zero()})), flow);
				const port = servicePort(flow);
				if (port !== undefined) {
					addTo(getOr(services, `${protocol}/${port}`, () => ({protocol, port, name: serviceName(port), ...zero()})), flow);
				}
			}

			if (flow.action !== 'REJECT') {
				continue;
			}

			addTo(rejectTotals, flow);
			point.rejects += flow.flows;
			if (src !== undefined) {
				const entry = getOr(rejectSources, src, () => ({
					row: {src, ...zero(), ports: 0, enis: 0, lastSeen: 0},
					ports: new Set<number>(),
					enis: new Set<string>(),
				}));
				addTo(entry.row, flow);
				entry.row.lastSeen = Math.max(entry.row.lastSeen, flow.last);
				if (flow.dstPort !== undefined) {
					entry.ports.add(flow.dstPort);
				}

				if (flow.eni !== undefined) {
					entry.enis.add(flow.eni);
				}
			}

			if (dst !== undefined) {
				const port = servicePort(flow);
				const entry = getOr(rejectTargets, `${dst} ${port} ${flow.protocol}`, () => ({
					row: {dst, port, protocol: flow.protocol, ...zero(), sources: 0},
					sources: new Set<string>(),
				}));
				addTo(entry.row, flow);
				if (src !== undefined) {
					entry.sources.add(src);
				}
			}

			if (flow.eni !== undefined) {
				addTo(getOr(rejectEnis, flow.eni, () => ({eni: flow.eni!, ...zero(), rejects: 0})), flow);
			}
		}
	}

	for (const entry of rejectSources.values()) {
		entry.row.ports = entry.ports.size;
		entry.row.enis = entry.enis.size;
	}

	for (const entry of rejectTargets.values()) {
		entry.row.sources = entry.sources.size;
	}

	const compare = byMetric(metric);
	const cutoff = store.windowSeconds === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY : store.now - store.windowSeconds;
	return {
		window: store.dataBounds(),
		metric,
		totals,
		rejectTotals,
		talkers: {
			pair: top(pairs.values(), compare, limit),
			src: top(sources.values(), compare, limit),
			dst: top(destinations.values(), compare, limit),
		},
		rejectsBySource: top([...rejectSources.values()].map(entry => entry.row), (a, b) => (b.flows - a.flows) || compareText(a.src, b.src), limit),
		rejectsByTarget: top([...rejectTargets.values()].map(entry => entry.row), (a, b) => (b.flows - a.flows) || compareText(a.dst, b.dst) || (a.port ?? -1) - (b.port ?? -1), limit),
		rejectsByEni: top(rejectEnis.values(), (a, b) => (b.flows - a.flows) || compareText(a.eni, b.eni), limit),
		recentRejects: store.recentRejects()
			.filter(record => (record.start ?? store.now) >= cutoff && (unfiltered || matchesFilter(filter, record)))
			.slice(0, limit),
		protocols: [...protocols.values()].sort((a, b) => (b[metric] - a[metric]) || a.protocol - b.protocol),
		services: top(services.values(), (a, b) => (b[metric] - a[metric]) || a.protocol - b.protocol || a.port - b.port, limit),
		trend: [...trendByStart.values()],
		bucketSeconds: width,
		enis: [...enis.values()].sort((a, b) => (b.bytes - a.bytes) || compareText(a.eni, b.eni)),
	};
}
