import type {FlowFormat} from '../../source/flowlog/format.js';

/** What a source says a record parses to: canonical strings keyed by AWS (hyphenated) field name. */
export interface FieldExpectation {
	readonly kind: 'fields';
	readonly fields: ReadonlyMap<string, string>;
	/** Fields the source does not emit although the line holds a value for them: not compared. */
	readonly ignore: ReadonlySet<string>;
	/** Fields the source writes in its own letter case (Beats' `accept`, OTel's `ipv4`). */
	readonly foldCase: ReadonlySet<string>;
	/** The source asserts only these fields and says nothing about the others. */
	readonly partial: boolean;
}

/** The source rejects (or skips as unparsable) the line: flowtop must count it as malformed. */
export interface MalformedExpectation {
	readonly kind: 'malformed';
}

export type Expectation = FieldExpectation | MalformedExpectation;

export const malformed: MalformedExpectation = {kind: 'malformed'};

/** One line parsed on its own, with the format the source used for it. */
export interface LinePair {
	readonly kind: 'line';
	readonly source: string;
	readonly id: string;
	readonly line: string;
	readonly format: FlowFormat;
	readonly expect: Expectation;
}

/**
 * A whole file read through flowtop's decoder (header lines, blank lines, JSON wrappers and all),
 * with one expectation per line that is neither a header nor blank, in file order.
 */
export interface FileCase {
	readonly kind: 'file';
	readonly source: string;
	readonly id: string;
	readonly text: string;
	/** The format in force before the first header line (or throughout, when there is none). */
	readonly format: FlowFormat;
	readonly expect: readonly Expectation[];
}

export type Case = LinePair | FileCase;
