import type {FlowAgg} from '../engine/store.js';
import type {Evidence} from './finding.js';
import type {Snapshot} from './snapshot.js';

// A pane shows three or four rows under a finding at 80x24; more would only be scrolled past.
const EVIDENCE_ROWS = 4;

function evidenceOf(flow: FlowAgg): Evidence {
	return {
		eni: flow.eni,
		src: flow.src,
		dst: flow.dst,
		srcPort: flow.srcPort,
		dstPort: flow.dstPort,
		protocol: flow.protocol,
		action: flow.action,
		flows: flow.flows,
		packets: flow.packets,
		bytes: flow.bytes,
	};
}

/** Evidence about an interface as a whole (its SKIPDATA or NODATA records), not one conversation. */
export function interfaceEvidence(eni: string, records: number): Evidence {
	return {
		eni,
		src: undefined,
		dst: undefined,
		srcPort: undefined,
		dstPort: undefined,
		protocol: undefined,
		action: undefined,
		flows: records,
		packets: 0,
		bytes: 0,
	};
}

/**
 * The few rows worth showing out of however many a finding rests on: the heaviest by weight
 * (records, usually), the earliest offered winning ties so the choice is stable between updates.
 */
export class EvidenceSample {
	private readonly buckets: number[] = [];
	private readonly rows: number[] = [];
	private readonly weights: number[] = [];

	constructor(private readonly limit = EVIDENCE_ROWS) {}

	offer(bucket: number, row: number, weight: number): void {
		let at = this.weights.length;
		while (at > 0 && this.weights[at - 1]! < weight) {
			at--;
		}

		// Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: inserting at the limit then popping keeps the same rows
		if (at >= this.limit) {
			return;
		}

		this.buckets.splice(at, 0, bucket);
		this.rows.splice(at, 0, row);
		this.weights.splice(at, 0, weight);
		if (this.weights.length > this.limit) {
			this.buckets.pop();
			this.rows.pop();
			this.weights.pop();
		}
	}

	evidence(snapshot: Snapshot): Evidence[] {
		return this.rows.map((row, index) => evidenceOf(snapshot.flow(this.buckets[index]!, row)));
	}
}
