import {EventEmitter} from 'node:events';
import {render} from 'ink';
import {FlowStore} from '../../source/engine/store.js';
import {ParseStats} from '../../source/flowlog/decoder.js';
import type {FlowRecord} from '../../source/flowlog/record.js';
import type {RecordSource, SourceListener} from '../../source/sources/source.js';
import {App} from '../../source/ui/app.js';
import {initialState} from '../../source/ui/state.js';
import {records, v2} from '../helpers/lines.js';
import {Keyboard} from '../helpers/keyboard.js';

/** A terminal that counts what is written to it, like the far end of an SSH link. */
class CountingTerminal extends EventEmitter {
	readonly isTTY = true;
	bytes = 0;
	last = '';
	constructor(
		readonly columns: number,
		readonly rows: number,
	) {
		super();
	}

	write(chunk: string): boolean {
		this.bytes += Buffer.byteLength(chunk);
		this.last = chunk;
		return true;
	}
}

class PumpSource implements RecordSource {
	readonly label = 'bench';
	readonly stats = new ParseStats();
	listener: SourceListener | undefined;
	start(listener: SourceListener) {
		this.listener = listener;
	}

	async stop() {}
}

function batch(size: number, second: number): FlowRecord[] {
	return records(
		Array.from({length: size}, (_, i) =>
			v2({
				srcaddr: `10.0.${i % 50}.${(i * 7) % 250}`,
				dstaddr: `10.1.${i % 20}.${(i * 3) % 250}`,
				srcport: 32_768 + (i % 20_000),
				dstport: [443, 80, 5432, 22][i % 4],
				bytes: 1000 + ((i * 37) % 100_000),
				action: i % 25 === 0 ? 'REJECT' : 'ACCEPT',
				start: 1_700_000_000 + second,
				end: 1_700_000_000 + second + 59,
			}),
		),
	);
}

const sleep = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

interface RenderRun {
	bytesPerSecond: number;
	keyLatencies: number[];
}

/** Run the live view for `seconds`, `updates` batches a second of `size` records, pressing `s` now and then. */
export async function renderRun(options: {
	incremental: boolean;
	seconds: number;
	updates: number;
	size: number;
}): Promise<RenderRun> {
	const terminal = new CountingTerminal(120, 40);
	const keyboard = new Keyboard();
	const source = new PumpSource();
	const store = new FlowStore({windowSeconds: 3600});
	const instance = render(
		<App
			store={store}
			source={source}
			initial={initialState({windowSeconds: 3600})}
			diagnosis={{update: () => [], isNew: () => false}}
			pricePerGb={0.005}
		/>,
		{
			stdout: terminal as unknown as NodeJS.WriteStream,
			stdin: keyboard as unknown as NodeJS.ReadStream,
			exitOnCtrlC: false,
			patchConsole: false,
			maxFps: 10,
			incrementalRendering: options.incremental,
		},
	);
	await sleep(300);
	const batches = Array.from({length: Math.ceil(options.seconds * options.updates)}, (_, i) => batch(options.size, i));
	const keyLatencies: number[] = [];
	const metrics = ['packets', 'flows', 'bytes'];
	terminal.bytes = 0;
	const began = performance.now();
	for (const [i, records] of batches.entries()) {
		source.listener!.records(records);
		if (i % options.updates === 0) {
			const pressed = performance.now();
			const expected = `by pairs, ${metrics[(i / options.updates) % 3]}`;
			keyboard.write('s');
			while (!terminal.last.includes(expected) && performance.now() - pressed < 2000) {
				await sleep(5);
			}

			keyLatencies.push(performance.now() - pressed);
		}

		await sleep(Math.max(0, began + ((i + 1) * 1000) / options.updates - performance.now()));
	}

	const seconds = (performance.now() - began) / 1000;
	instance.unmount();
	return {bytesPerSecond: terminal.bytes / seconds, keyLatencies};
}
