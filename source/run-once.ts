import {once} from 'node:events';
import type {Writable} from 'node:stream';
import type {Config} from './config.js';
import {FlowLogDecoder, headerFormatNote, parseFields, type ParseStats} from './flowlog/decoder.js';
import type {FlowStore} from './engine/store.js';
import {computeViews, REPORT_SECTIONS, type Views} from './engine/views.js';
import {SpillDirectory} from './spill-directory.js';
import {buildReport, renderReportText, type Report} from './report.js';
import {readFlowLog} from './sources/file-source.js';
import {readInParallel} from './sources/parallel-read.js';
import {readIntoStore, type StoreRead} from './sources/file-range.js';
import {debugLine} from './debug-log.js';
import {jsonPieces, jsonText} from './text/json-text.js';
import {safeText} from './text/safe-text.js';
import type {Finding} from './diagnosis/finding.js';

export interface Output {
	readonly stdout: Writable;
	readonly stderr: Writable;
}

/** One line on what was not a record, so a script's user knows the JSON left lines out. */
export function malformedNote(stats: ParseStats): string | undefined {
	if (stats.malformed === 0) {
		return undefined;
	}

	const reasons = [...stats.byReason]
		.sort((a, b) => b[1] - a[1])
		.map(([reason, count]) => `${count}× ${reason}`)
		.join('; ');
	return `${stats.malformed} malformed line${stats.malformed === 1 ? '' : 's'} skipped (${reasons}); first at line ${stats.samples[0]!.line}`;
}

/** One line when the memory bound summarized detail, so nobody takes a folded list for the whole. */
export function summarizedNote(store: FlowStore): string | undefined {
	if (store.summarized === 0) {
		return undefined;
	}

	return (
		`${store.summarized} record${store.summarized === 1 ? '' : 's'} summarized past the memory bound (${store.flowLimit} conversations): ` +
		"the smallest conversations lost their ports or addresses; totals and the top lists' sums are exact"
	);
}

// The JSON report goes out in pieces of about this many characters, not as one string.
const WRITE_CHARACTERS = 1 << 16;

/**
 * Print the report, JSON or tables, with the notes a person should read beside the numbers: on
 * stderr next to JSON (stdout stays one document), under the tables otherwise. Notes quote input
 * (a malformed line's reason), so they are made inert as the panes are.
 */
export function printReport(report: Report, notes: readonly string[], json: boolean, output: Output): void {
	if (json) {
		let text = '';
		for (const piece of jsonPieces(report, 2)) {
			text += piece;
			if (text.length >= WRITE_CHARACTERS) {
				output.stdout.write(text);
				text = '';
			}
		}

		output.stdout.write(`${text}\n`);
		output.stderr.write(notes.map(note => `flowtop: ${safeText(note)}\n`).join(''));
	} else {
		output.stdout.write(renderReportText(report));
		if (notes.length > 0) {
			output.stdout.write(`\n${notes.map(note => `${safeText(note)}\n`).join('')}`);
		}
	}
}

/**
 * Read a whole file or stdin into a store: on several threads when it is a large plain file. A store
 * that keeps everything spills what the memory bound folded to `spill`, so memory stays flat.
 */
async function readWhole(config: Config, path: string, spill: SpillDirectory): Promise<StoreRead> {
	// A sliding window depends on the newest record of the whole file, which no range knows.
	if (path !== '-' && config.windowSeconds === Number.POSITIVE_INFINITY && config.threads > 1) {
		const began = performance.now();
		const parallel = await readInParallel(path, config.format, config.threads, spill);
		if (typeof parallel !== 'string') {
			debugLine(
				config.debugLog,
				`read ${path} on ${parallel.threads} threads in ${Math.round(performance.now() - began)} ms`,
			);
			return parallel;
		}

		debugLine(config.debugLog, `read ${path} on one thread: ${parallel}`);
	}

	return readIntoStore(path, config.format, {
		windowSeconds: config.windowSeconds,
		spill:
			config.windowSeconds === Number.POSITIVE_INFINITY ? {directory: () => spill.path, writer: 'whole'} : undefined,
	});
}

/** `--once` over a file or stdin: read it all, then print the report. */
export async function runFileOnce(
	config: Config,
	path: string,
	output: Output,
	diagnose: (store: FlowStore) => Finding[],
): Promise<void> {
	const spill = new SpillDirectory();
	let read: StoreRead;
	let views: Views;
	try {
		read = await readWhole(config, path, spill);
		views = computeViews(read.store, config.filter, {limit: config.top, sections: REPORT_SECTIONS});
	} finally {
		spill.remove();
	}

	const {store, decoder} = read;
	const report = buildReport(store, decoder.stats, views, diagnose(store), undefined, config.filter);
	const notes = [
		malformedNote(decoder.stats),
		headerFormatNote(config.format !== undefined, decoder.stats),
		summarizedNote(store),
		report.inexactSums
			? 'a sum passed 2^53 (9,007,199,254,740,991): sums that large are right to about one part in 10^16, not exact'
			: undefined,
	].filter(note => note !== undefined);
	printReport(report, notes, config.json, output);
}

/** `--ndjson`: every record as one JSON object per line, malformed lines on stderr as they come. */
export async function runNdjson(config: Config, path: string, output: Output): Promise<void> {
	const decoder = new FlowLogDecoder(config.format, sample => {
		output.stderr.write(`line ${sample.line}: ${safeText(sample.reason)}\n`);
	});
	await readFlowLog({
		path,
		decoder,
		parse: parseFields,
		async onBatch(records) {
			let text = '';
			for (const record of records) {
				text += `${jsonText(record)}\n`;
			}

			if (!output.stdout.write(text)) {
				await once(output.stdout, 'drain');
			}
		},
	});
	const note = headerFormatNote(config.format !== undefined, decoder.stats);
	if (note) {
		output.stderr.write(`flowtop: ${note}\n`);
	}
}
