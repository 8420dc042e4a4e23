import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';

export interface Measured {
	seconds: number;
	peakRssMb: number;
	stdout: string;
}

/** Run a command, timing it and sampling its peak resident memory (VmHWM) from /proc. */
export async function measure(command: string, args: string[]): Promise<Measured> {
	const began = performance.now();
	const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'inherit']});
	let stdout = '';
	let peak = 0;
	child.stdout.setEncoding('utf8').on('data', (text: string) => {
		stdout += text;
	});
	const sample = setInterval(() => {
		try {
			const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
			peak = Math.max(peak, Number(match?.[1] ?? 0) / 1024);
		} catch {}
	}, 20);
	const code = await new Promise<number>(resolve => child.on('close', resolve));
	clearInterval(sample);
	if (code !== 0) {
		throw new Error(`${command} ${args.join(' ')} exited ${code}`);
	}

	return {seconds: (performance.now() - began) / 1000, peakRssMb: peak, stdout};
}
