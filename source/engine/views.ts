import type {FlowRecord} from '../flowlog/record.js';
import {protocolName, serviceName, servicePortOf} from '../flowlog/protocols.js';
import {BestRows} from './best-rows.js';
import {HeaviestPairs, type PairRows} from './heaviest-pairs.js';
import {ACTION_MASK, ACTION_REJECT} from './conversation-table.js';
import type {FoldedSpill} from './folded-spill.js';
import type {Interner} from './interner.js';
import {isEmptyFilter, matchesFilter, type Filter} from './filter.js';
import {type RowPredicate, rowFilter} from './row-filter.js';
import {SumTable} from './sum-table.js';
import type {Bucket, FlowStore} from './store.js';

/**
 * The selectors behind the four panes and the `--once` report: one pass over the window's
 * conversations under the active filter, summing by interned ids, then sorted and cut; strings
 * are looked up only for the rows shown. The UI and the report read the same numbers from here.
 */

export type Metric = 'bytes' | 'packets' | 'flows';
export const METRICS: readonly Metric[] = ['bytes', 'packets', 'flows'];
export type Grouping = 'pair' | 'src' | 'dst';

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
	readonly ports: number;
	/** Distinct interfaces that rejected it. */
	readonly enis: number;
	readonly lastSeen: number;
}

export interface RejectTargetRow extends Totals {
	readonly dst: string;
	readonly port: number | undefined;
	readonly protocol: number | undefined;
	/** Distinct sources. */
	readonly sources: number;
}

export interface EniRow extends Totals {
	readonly eni: string;
	readonly rejects: number;
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
	readonly bytes: number;
	readonly flows: number;
	readonly rejects: number;
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

export type Section = 'pairs' | 'sources' | 'destinations' | 'rejects' | 'protocols' | 'services' | 'enis';
export const ALL_SECTIONS: ReadonlySet<Section> = new Set([
	'pairs',
	'sources',
	'destinations',
	'rejects',
	'protocols',
	'services',
	'enis',
]);
/** What the `--once` report prints; the rest stays empty, for a million conversations sum fast. */
export const REPORT_SECTIONS: ReadonlySet<Section> = new Set(['pairs', 'rejects', 'protocols']);

export interface ViewOptions {
	readonly metric?: Metric;
	/** Rows kept per list. */
	readonly limit?: number;
	/** The lists to compute; the others come back empty. Totals and the trend are always there. */
	readonly sections?: ReadonlySet<Section>;
	/** Look at the newest this many seconds only (no more than the store keeps). */
	readonly windowSeconds?: number;
	/**
	 * Where that window ends, Unix seconds: the newest record's time, where the clock runs minutes
	 * ahead of late-arriving flow logs and a short window would show nothing. The store's clock by default.
	 */
	readonly windowEnd?: number | undefined;
}

function compareText(x: string, y: string): number {
	return x < y ? -1 : x > y ? 1 : 0;
}

function column(table: SumTable, metric: Metric): Float64Array {
	return metric === 'bytes' ? table.bytes : metric === 'packets' ? table.packets : table.flows;
}

/** The best `limit` rows of a sum table as view rows: largest metric first, equal ones by `tieBreak`. */
function best<R>(
	table: SumTable,
	metric: Metric,
	limit: number,
	toRow: (row: number) => R,
	tieBreak: (x: number, y: number) => number,
): R[] {
	return table.top(column(table, metric), limit, tieBreak).map(row => toRow(row));
}

function servicePort(srcPort: number, dstPort: number): number {
	if (srcPort >= 0 && dstPort >= 0) {
		return servicePortOf(srcPort, dstPort);
	}

	return dstPort >= 0 ? dstPort : srcPort;
}

function distinct(sets: Map<number, Set<number>>, entry: number, value: number): void {
	sets.get(entry)?.add(value);
}

/** An empty set for each entry shown: distinct values are counted for those only. */
function setsFor(entries: readonly number[]): Map<number, Set<number>> {
	return new Map(entries.map(entry => [entry, new Set<number>()]));
}

/**
 * Distinct destination ports and interfaces of the rejected sources shown, and distinct sources of
 * the rejected targets shown: a second pass over the rejected rows, so that a scan from a million
 * sources costs one set per row shown rather than one per source.
 */
function distinctOfShown(
	buckets: readonly Bucket[],
	matches: RowPredicate | undefined,
	rejectSources: SumTable,
	shownSources: readonly number[],
	rejectTargets: SumTable,
	shownTargets: readonly number[],
): {
	sourcePorts: Map<number, Set<number>>;
	sourceEnis: Map<number, Set<number>>;
	targetSources: Map<number, Set<number>>;
} {
	const sourcePorts = setsFor(shownSources);
	const sourceEnis = setsFor(shownSources);
	const targetSources = setsFor(shownTargets);
	if (shownSources.length === 0 && shownTargets.length === 0) {
		return {sourcePorts, sourceEnis, targetSources};
	}

	for (const {table} of buckets) {
		for (let row = 0; row < table.size; row++) {
			if ((table.code[row]! & ACTION_MASK) !== ACTION_REJECT || (matches && !matches(table, row))) {
				continue;
			}

			const src = table.src[row]!;
			const dst = table.dst[row]!;
			const dstPort = table.dstPort[row]!;
			if (src >= 0) {
				const entry = rejectSources.find(src);
				const eni = table.eni[row]!;
				if (dstPort >= 0) {
					distinct(sourcePorts, entry, dstPort);
				}

				if (eni >= 0) {
					distinct(sourceEnis, entry, eni);
				}
			}

			if (dst >= 0 && src >= 0) {
				const entry = rejectTargets.find(dst, servicePort(table.srcPort[row]!, dstPort), table.protocol[row]!);
				distinct(targetSources, entry, src);
			}
		}
	}

	return {sourcePorts, sourceEnis, targetSources};
}

/**
 * Add what the store spilled to disk to the sums of the lists the `--once` report prints (the only
 * reader of a store that spills): pairs and rejected sources. A pair or rejected source the store still
 * holds takes its spilled sums into its entry, which makes it whole (every spilled sum of a key
 * comes in one visit); one only the spill holds is offered to the best rows beside the entries.
 * The two sets are disjoint, so the best of each, merged, are the best of all.
 */
function addSpilled(
	spill: FoldedSpill,
	strings: Interner,
	pairs: SumTable | undefined,
	rejectSources: SumTable | undefined,
	spilledPairs: BestRows<TalkerRow>,
	spilledSources: BestRows<RejectSourceRow>,
): void {
	if (pairs) {
		spill.forEachPair((src, dst, bytes, packets, flows) => {
			const a = strings.find(src);
			const b = strings.find(dst);
			const entry = a < 0 || b < 0 ? -1 : pairs.find(a, b);
			if (entry < 0) {
				spilledPairs.offer({src, dst, bytes, packets, flows});
			} else {
				pairs.add(entry, bytes, packets, flows);
			}
		});
	}

	if (rejectSources) {
		spill.forEachRejecter((src, bytes, packets, flows, last) => {
			const id = strings.find(src);
			const entry = id < 0 ? -1 : rejectSources.find(id);
			if (entry < 0) {
				// Every record of it was folded: no port or interface of it is left to count.
				spilledSources.offer({src, bytes, packets, flows, ports: 0, enis: 0, lastSeen: last});
			} else {
				rejectSources.add(entry, bytes, packets, flows);
				rejectSources.last[entry] = Math.max(rejectSources.last[entry]!, last);
			}
		});
	}
}

export function computeViews(store: FlowStore, filter: Filter, options: ViewOptions = {}): Views {
	const metric = options.metric ?? 'bytes';
	const limit = options.limit ?? 10;
	const {strings} = store;
	const matches = rowFilter(filter, strings);
	const sections = options.sections ?? ALL_SECTIONS;
	const wantPairs = sections.has('pairs');
	const wantSources = sections.has('sources');
	const wantDestinations = sections.has('destinations');
	const wantRejects = sections.has('rejects');
	const wantProtocols = sections.has('protocols');
	const wantServices = sections.has('services');
	const wantEnis = sections.has('enis');
	const totals = {bytes: 0, packets: 0, flows: 0};
	const rejectTotals = {bytes: 0, packets: 0, flows: 0};
	const sources = new SumTable();
	const destinations = new SumTable();
	const rejectSources = new SumTable(256, ['last']);
	const rejectTargets = new SumTable();
	const rejectEnis = new SumTable(256, ['rejects']);
	const protocols = new SumTable(16);
	const services = new SumTable();
	const enis = new SumTable(256, ['rejects']);
	const cutoff =
		options.windowSeconds === undefined
			? store.cutoff()
			: Math.max(store.cutoff(), (options.windowEnd ?? store.now) - options.windowSeconds);
	// A protocol's entry by its number: every row has one, and a look in an array costs less than a hash.
	const protocolEntries = new Int32Array(256).fill(-1);
	const buckets = store.bucketsInWindow().filter(bucket => bucket.start + store.bucketSeconds > cutoff);
	const pairBounds = HeaviestPairs.forRows(
		buckets.reduce((rows, {table, folded}) => rows + table.size + folded.size, 0),
	);
	const trend: TrendPoint[] = [];
	const width = store.bucketSeconds;
	let next = 0;
	for (let start = buckets[0]?.start ?? 0; buckets.length > 0 && start <= buckets.at(-1)!.start; start += width) {
		const bucket = buckets[next]!.start === start ? buckets[next++] : undefined;
		const point = {start, bytes: 0, flows: 0, rejects: 0};
		trend.push(point);
		if (!bucket) {
			continue;
		}

		const {table} = bucket;
		for (let row = 0; row < table.size; row++) {
			const eni = table.eni[row]!;
			const bytes = table.bytes[row]!;
			const packets = table.packets[row]!;
			const flows = table.flows[row]!;
			const rejected = (table.code[row]! & ACTION_MASK) === ACTION_REJECT;
			if (wantEnis && eni >= 0) {
				const entry = enis.row(eni);
				enis.add(entry, bytes, packets, flows);
				if (rejected) {
					enis.rejects[entry]! += flows;
				}
			}

			if (matches && !matches(table, row)) {
				continue;
			}

			totals.bytes += bytes;
			totals.packets += packets;
			totals.flows += flows;
			point.bytes += bytes;
			point.flows += flows;
			const src = table.src[row]!;
			const dst = table.dst[row]!;
			if (wantPairs && src >= 0 && dst >= 0) {
				pairBounds.add(src, dst, metric === 'bytes' ? bytes : metric === 'packets' ? packets : flows);
			}

			if (wantSources && src >= 0) {
				sources.add(sources.row(src), bytes, packets, flows);
			}

			if (wantDestinations && dst >= 0) {
				destinations.add(destinations.row(dst), bytes, packets, flows);
			}

			const protocol = table.protocol[row]!;
			const srcPort = table.srcPort[row]!;
			const dstPort = table.dstPort[row]!;
			if (wantProtocols && protocol >= 0) {
				// A number past 255 (no record has one) reads undefined, and is looked up each time.
				let entry = protocolEntries[protocol] ?? -1;
				if (entry < 0) {
					entry = protocols.row(protocol);
					protocolEntries[protocol] = entry;
				}

				protocols.add(entry, bytes, packets, flows);
			}

			if (wantServices && protocol >= 0) {
				const port = servicePort(srcPort, dstPort);
				if (port >= 0) {
					services.add(services.row(protocol, port), bytes, packets, flows);
				}
			}

			if (!rejected) {
				continue;
			}

			rejectTotals.bytes += bytes;
			rejectTotals.packets += packets;
			rejectTotals.flows += flows;
			point.rejects += flows;
			if (!wantRejects) {
				continue;
			}

			if (src >= 0) {
				const entry = rejectSources.row(src);
				rejectSources.add(entry, bytes, packets, flows);
				rejectSources.last[entry] = Math.max(rejectSources.last[entry]!, table.last[row]!);
			}

			if (dst >= 0) {
				rejectTargets.add(rejectTargets.row(dst, servicePort(srcPort, dstPort), protocol), bytes, packets, flows);
			}

			if (eni >= 0) {
				const entry = rejectEnis.row(eni);
				rejectEnis.add(entry, bytes, packets, flows);
				rejectEnis.rejects[entry]! += flows;
			}
		}

		// What the memory bound folded still counts by address, where no filter asks for the
		// ports or interfaces it gave up. Its records are in the totals already, through the folded rows.
		if (matches) {
			continue;
		}

		bucket.folded.forEach((src, dst, rejected, bytes, packets, flows, last) => {
			if (wantPairs && src >= 0 && dst >= 0) {
				pairBounds.add(src, dst, metric === 'bytes' ? bytes : metric === 'packets' ? packets : flows);
			}

			if (wantSources && src >= 0) {
				sources.add(sources.row(src), bytes, packets, flows);
			}

			if (wantDestinations && dst >= 0) {
				destinations.add(destinations.row(dst), bytes, packets, flows);
			}

			if (wantRejects && rejected && src >= 0) {
				const entry = rejectSources.row(src);
				rejectSources.add(entry, bytes, packets, flows);
				rejectSources.last[entry] = Math.max(rejectSources.last[entry]!, last);
			}
		});
	}

	// The rows the pairs were bounded over, visited again to sum the pairs that may make the list.
	const pairRows: PairRows = visit => {
		for (const {table, folded} of buckets) {
			for (let row = 0; row < table.size; row++) {
				const src = table.src[row]!;
				const dst = table.dst[row]!;
				if (src >= 0 && dst >= 0 && (!matches || matches(table, row))) {
					visit(src, dst, table.bytes[row]!, table.packets[row]!, table.flows[row]!);
				}
			}

			if (!matches) {
				folded.forEach((src, dst, _rejected, bytes, packets, flows) => {
					if (src >= 0 && dst >= 0) {
						visit(src, dst, bytes, packets, flows);
					}
				});
			}
		}
	};
	const spilling = !matches && store.spill !== undefined && store.spill.all().length > 0;
	// A pair's spilled sums come after: then every pair is summed, as any may gain enough to make the list.
	const pairs = wantPairs
		? pairBounds.exact(limit, table => column(table, metric), pairRows, spilling)
		: new SumTable();
	const spilledPairs = new BestRows<TalkerRow>(
		limit,
		(x, y) => y[metric] - x[metric] || compareText(x.src!, y.src!) || compareText(x.dst!, y.dst!),
	);
	const spilledSources = new BestRows<RejectSourceRow>(limit, (x, y) => y.flows - x.flows || compareText(x.src, y.src));
	if (spilling) {
		addSpilled(
			store.spill!,
			strings,
			wantPairs ? pairs : undefined,
			wantRejects ? rejectSources : undefined,
			spilledPairs,
			spilledSources,
		);
	}

	// Equal sums in the order of their text (source, then destination), so output is deterministic.
	const byText = (x: number, y: number) => compareText(strings.text(x), strings.text(y));
	const byPairText = (x: number, y: number) => byText(pairs.a[x]!, pairs.a[y]!) || byText(pairs.b[x]!, pairs.b[y]!);
	const byKeyText = (table: SumTable) => (x: number, y: number) => byText(table.a[x]!, table.a[y]!);
	const shownSources = rejectSources.top(rejectSources.flows, limit, byKeyText(rejectSources));
	const shownTargets = rejectTargets.top(
		rejectTargets.flows,
		limit,
		(x, y) =>
			byText(rejectTargets.a[x]!, rejectTargets.a[y]!) ||
			rejectTargets.b[x]! - rejectTargets.b[y]! ||
			rejectTargets.c[x]! - rejectTargets.c[y]!,
	);
	const {sourcePorts, sourceEnis, targetSources} = distinctOfShown(
		buckets,
		matches,
		rejectSources,
		shownSources,
		rejectTargets,
		shownTargets,
	);
	const totalsOf = (table: SumTable, row: number): Totals => ({
		bytes: table.bytes[row]!,
		packets: table.packets[row]!,
		flows: table.flows[row]!,
	});
	const eniRow = (table: SumTable, row: number): EniRow => ({
		eni: strings.text(table.a[row]!),
		...totalsOf(table, row),
		rejects: table.rejects[row]!,
	});
	const unfiltered = isEmptyFilter(filter);
	let first = Number.POSITIVE_INFINITY;
	let last = Number.NEGATIVE_INFINITY;
	for (const bucket of buckets) {
		first = Math.min(first, bucket.first);
		last = Math.max(last, bucket.last);
	}

	return {
		window: first <= last ? {start: first, end: last} : undefined,
		metric,
		totals,
		rejectTotals,
		talkers: {
			pair: spilledPairs.with(
				best(
					pairs,
					metric,
					limit,
					row => ({src: strings.text(pairs.a[row]!), dst: strings.text(pairs.b[row]!), ...totalsOf(pairs, row)}),
					byPairText,
				),
			),
			src: best(
				sources,
				metric,
				limit,
				row => ({src: strings.text(sources.a[row]!), dst: undefined, ...totalsOf(sources, row)}),
				byKeyText(sources),
			),
			dst: best(
				destinations,
				metric,
				limit,
				row => ({src: undefined, dst: strings.text(destinations.a[row]!), ...totalsOf(destinations, row)}),
				byKeyText(destinations),
			),
		},
		rejectsBySource: spilledSources.with(
			shownSources.map(row => ({
				src: strings.text(rejectSources.a[row]!),
				...totalsOf(rejectSources, row),
				ports: sourcePorts.get(row)!.size,
				enis: sourceEnis.get(row)!.size,
				lastSeen: rejectSources.last[row]!,
			})),
		),
		rejectsByTarget: shownTargets.map(row => ({
			dst: strings.text(rejectTargets.a[row]!),
			port: rejectTargets.b[row]! < 0 ? undefined : rejectTargets.b[row]!,
			protocol: rejectTargets.c[row]! < 0 ? undefined : rejectTargets.c[row]!,
			...totalsOf(rejectTargets, row),
			sources: targetSources.get(row)!.size,
		})),
		rejectsByEni: rejectEnis.top(rejectEnis.flows, limit, byKeyText(rejectEnis)).map(row => eniRow(rejectEnis, row)),
		recentRejects: store
			.recentRejects()
			.filter(
				record => (record.start ?? record.end ?? store.now) >= cutoff && (unfiltered || matchesFilter(filter, record)),
			)
			.slice(0, limit),
		protocols: Array.from({length: protocols.size}, (_, row) => ({
			protocol: protocols.a[row]!,
			name: protocolName(protocols.a[row]!),
			...totalsOf(protocols, row),
		})).sort((a, b) => b[metric] - a[metric] || a.protocol - b.protocol),
		services: best(
			services,
			metric,
			limit,
			row => ({
				protocol: services.a[row]!,
				port: services.b[row]!,
				name: serviceName(services.b[row]!),
				...totalsOf(services, row),
			}),
			(x, y) => services.a[x]! - services.a[y]! || services.b[x]! - services.b[y]!,
		),
		trend,
		bucketSeconds: width,
		enis: Array.from({length: enis.size}, (_, row) => eniRow(enis, row)).sort(
			(a, b) => b.bytes - a.bytes || compareText(a.eni, b.eni),
		),
	};
}
