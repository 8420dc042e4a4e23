import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {LogGroupList} from '../../source/ui/log-group-picker.js';
import {waitForFrame} from './wait-for-frame.js';

let unmount: (() => void) | undefined;
afterEach(() => {
	unmount?.();
});

const groups = [
	{name: '/vpc/prod/flow-logs', storedBytes: 5_368_709_120},
	{name: '/vpc/staging/flow-logs', storedBytes: 1_073_741_824},
	{name: '/vpc/dev/flow-logs', storedBytes: undefined},
];

/** The picker, and a promise of what it chose. */
function pick() {
	let resolve: (name: string | undefined) => void = () => undefined;
	const chosen = new Promise<string | undefined>(done => {
		resolve = done;
	});
	const view = render(
		<LogGroupList
			groups={groups}
			prefix="/vpc/"
			onDone={name => {
				resolve(name);
			}}
		/>,
	);
	unmount = view.unmount;
	return {...view, chosen};
}

describe('the log group picker (--log-group-prefix)', () => {
	it('lists the groups with their size; typing narrows, and enter in the same chunk chooses from the narrowed list', async () => {
		const {lastFrame, stdin, chosen} = pick();
		const frame = await waitForFrame(lastFrame, text => text.includes('/vpc/staging/flow-logs'));
		expect(frame).toMatch(/\/vpc\/prod\/flow-logs\s+5\.0 GiB/);
		stdin.write('stag');
		await waitForFrame(lastFrame, text => !text.includes('/vpc/prod/flow-logs'));
		stdin.write('\u007Fg\r');
		expect(await chosen).toBe('/vpc/staging/flow-logs');
	});

	it('arrows move, and esc leaves without a choice', async () => {
		const {lastFrame, stdin, chosen} = pick();
		await waitForFrame(lastFrame, text => text.includes('/vpc/dev/flow-logs'));
		stdin.write('\u001B[B');
		await waitForFrame(lastFrame, text => /› \/vpc\/staging/.test(text));
		stdin.write('\u001B');
		expect(await chosen).toBeUndefined();
	});
});
