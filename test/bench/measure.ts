import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';

export interface Measured {
	seconds: number;
	peakRssMb: number;
	stdout: string;
}

/** A process's peak resident memory so far (VmHWM), in MB; 0 once it is gone. */
export function peakRssOf(pid: number | undefined): number {
	try {
		const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return Number(match?.[1] ?? 0) / 1024;
	} catch {
		return 0;
	}
}

/** Run a command, timing it and sampling its peak resident memory from /proc. */
export async function measure(command: string, args: string[]): Promise<Measured> {
	return (await measureWithin(Number.POSITIVE_INFINITY, command, args))!;
}

/**
 * measure(), but past `timeoutMs` the command is killed and undefined returned: a baseline too slow
 * to finish is reported as such, not waited for.
 */
export async function measureWithin(
	timeoutMs: number,
	command: string,
	args: string[],
	env: NodeJS.ProcessEnv = process.env,
): Promise<Measured | undefined> {
	const began = performance.now();
	const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'inherit'], env});
	let timedOut = false;
	const timer = Number.isFinite(timeoutMs)
		? setTimeout(() => {
				timedOut = true;
				child.kill();
			}, timeoutMs)
		: undefined;
	let stdout = '';
	let peak = 0;
	child.stdout.setEncoding('utf8').on('data', (text: string) => {
		stdout += text;
	});
	const sample = setInterval(() => {
		peak = Math.max(peak, peakRssOf(child.pid));
	}, 20);
	const code = await new Promise<number | null>(resolve => child.on('close', resolve));
	clearInterval(sample);
	clearTimeout(timer);
	if (timedOut) {
		return undefined;
	}

	if (code !== 0) {
		throw new Error(`${command} ${args.join(' ')} exited ${code}`);
	}

	return {seconds: (performance.now() - began) / 1000, peakRssMb: peak, stdout};
}
