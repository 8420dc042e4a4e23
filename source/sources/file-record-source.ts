import {FlowLogDecoder, headerFormatNote} from '../flowlog/decoder.js';
import {FlowColumns} from '../flowlog/flow-columns.js';
import type {FlowFormat} from '../flowlog/format.js';
import {UserError} from '../errors.js';
import {readFlowLog} from './file-source.js';
import type {RecordSource, SourceListener} from './source.js';

/**
 * A file or stdin as a live source: read it all, then, with --follow, keep reading as it grows.
 * Filters are applied by the view, never by the reader, as for every source.
 */
export class FileRecordSource implements RecordSource {
	readonly label: string;
	private readonly decoder: FlowLogDecoder;
	private readonly controller = new AbortController();
	private reading: Promise<void> | undefined;

	constructor(
		private readonly path: string,
		private readonly options: {
			readonly format?: FlowFormat | undefined;
			readonly follow?: boolean | undefined;
			readonly stdin?: AsyncIterable<Uint8Array>;
		} = {},
	) {
		this.label = path === '-' ? 'stdin' : path;
		this.decoder = new FlowLogDecoder(options.format);
	}

	get stats() {
		return this.decoder.stats;
	}

	start(listener: SourceListener): void {
		listener.status({kind: 'reading'});
		let caughtUp = false;
		this.reading = readFlowLog({
			path: this.path,
			decoder: this.decoder,
			into: new FlowColumns(),
			follow: this.options.follow,
			stdin: this.options.stdin,
			signal: this.controller.signal,
			onColumns(batch) {
				listener.columns(batch);
			},
			onCaughtUp: () => {
				if (!caughtUp) {
					caughtUp = true;
					listener.status({kind: 'following', note: this.formatNote()});
				}
			},
		}).then(
			() => {
				if (!this.controller.signal.aborted) {
					listener.status({kind: 'done', note: this.formatNote()});
				}
			},
			(error: unknown) => {
				listener.status({
					kind: 'error',
					message: error instanceof UserError ? error.message : `reading stopped: ${(error as Error).message}`,
				});
			},
		);
	}

	private formatNote(): string | undefined {
		return headerFormatNote(this.options.format !== undefined, this.decoder.stats);
	}

	async stop(): Promise<void> {
		this.controller.abort();
		await this.reading;
	}
}
