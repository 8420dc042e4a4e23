import {EventEmitter} from 'node:events';

/** Standard input as Ink reads it (raw mode, `readable` then `read()`), typed on by a test. */
export class Keyboard extends EventEmitter {
	readonly isTTY = true;
	private data: string | undefined;

	write(data: string): void {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	}

	read = () => {
		const {data} = this;
		this.data = undefined;
		return data ?? null;
	};

	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}
