import {afterEach, describe, expect, it} from 'vitest';
import {LogGroupList} from '../../source/ui/log-group-picker.js';
import {renderInk, type InkScreen} from './harness.js';

let screen: InkScreen | undefined;
afterEach(() => {
	screen?.unmount();
});

const groups = [
	{name: '/vpc/prod/flow-logs', storedBytes: 5_368_709_120},
	{name: '/vpc/staging/flow-logs', storedBytes: 1_073_741_824},
	{name: '/vpc/dev/flow-logs', storedBytes: undefined},
];

describe('the log group picker (--log-group-prefix)', () => {
	it('lists the groups with their size; typing narrows, enter chooses', async () => {
		let chosen: string | undefined = 'none';
		screen = renderInk(<LogGroupList groups={groups} prefix='/vpc/' onDone={name => {
			chosen = name;
		}}/>);
		const frame = await screen.waitFor(text => text.includes('/vpc/staging/flow-logs'));
		expect(frame).toMatch(/\/vpc\/prod\/flow-logs\s+5\.0 GiB/);
		await screen.press('stag');
		await screen.waitFor(text => !text.includes('/vpc/prod/flow-logs'));
		await screen.press('\r');
		await screen.exited;
		expect(chosen).toBe('/vpc/staging/flow-logs');
	});

	it('esc leaves without a choice', async () => {
		let chosen: string | undefined = 'none';
		screen = renderInk(<LogGroupList groups={groups} prefix='/vpc/' onDone={name => {
			chosen = name;
		}}/>);
		await screen.waitFor(text => text.includes('/vpc/dev/flow-logs'));
		await screen.press('\u001B');
		await screen.exited;
		expect(chosen).toBeUndefined();
	});
});
