import {describe, expect, it} from 'vitest';
import {parseConfig} from '../../../source/config.js';
import {modeNote, QueryModes, RAW_COMFORT, RAW_RETURN} from '../../../source/sources/insights/query-mode.js';

const MINUTE = 60_000;
const WINDOW = 15 * MINUTE;
const INTERVAL = 10_000;

describe('--mode auto', () => {
	it('counts the window first, and reads it raw when raw pages hold it comfortably', () => {
		const modes = new QueryModes('auto');
		expect(modes.counting).toBe(true);
		expect(modes.current).toEqual({mode: 'raw', reason: 'auto: the window not counted yet'});
		modes.afterCount(RAW_COMFORT);
		expect(modes.counting).toBe(false);
		expect(modes.current).toEqual({mode: 'raw', reason: 'auto: 5.0k records in the window, raw pages hold them'});
	});

	it('reads a bigger window from Insights sums', () => {
		const modes = new QueryModes('auto');
		modes.afterCount(RAW_COMFORT + 1);
		expect(modes.current).toEqual({
			mode: 'aggregate',
			reason: 'auto: 5.0k records in the window (raw is comfortable to 5.0k)',
		});
	});

	it('turns to sums after a raw poll with more new records than is comfortable, or a full page', () => {
		const modes = new QueryModes('auto');
		modes.afterCount(10);
		expect(modes.afterRaw(RAW_COMFORT, false)).toBe(false);
		expect(modes.current.mode).toBe('raw');
		expect(modes.afterRaw(12, true)).toBe(true);
		expect(modes.current).toEqual({
			mode: 'aggregate',
			reason: 'auto: 12 new records in a poll, a page full (raw is comfortable to 5.0k)',
		});
		const busy = new QueryModes('auto');
		expect(busy.afterRaw(RAW_COMFORT + 1, false)).toBe(true);
		expect(busy.current.reason).toBe('auto: 5.0k new records in a poll (raw is comfortable to 5.0k)');
	});

	it('comes back to raw only well below the line, from the records a poll would bring', () => {
		const modes = new QueryModes('auto');
		modes.afterCount(1_000_000);
		// A poll of 10 s brings a ninetieth of a 15-minute window.
		expect(modes.afterAggregate(RAW_RETURN * 90, WINDOW, INTERVAL, undefined)).toBe(false);
		expect(modes.current).toEqual({
			mode: 'aggregate',
			reason: 'auto: about 2.0k new records a poll (raw is comfortable to 5.0k)',
		});
		expect(modes.afterAggregate(RAW_RETURN * 90 - 90, WINDOW, INTERVAL, undefined)).toBe(true);
		expect(modes.current).toEqual({mode: 'raw', reason: 'auto: about 2.0k new records a poll, raw pages hold them'});
	});

	it('rounds the records a poll brings up, and takes the whole count for an unbounded window', () => {
		const modes = new QueryModes('auto');
		modes.afterCount(1_000_000);
		modes.afterAggregate(91, WINDOW, INTERVAL, undefined);
		expect(modes.current.reason).toBe('auto: about 2 new records a poll, raw pages hold them');
		const unbounded = new QueryModes('auto');
		unbounded.afterCount(1_000_000);
		expect(unbounded.afterAggregate(RAW_RETURN, Number.POSITIVE_INFINITY, INTERVAL, undefined)).toBe(false);
		expect(unbounded.current.reason).toBe('auto: about 2.0k new records a poll (raw is comfortable to 5.0k)');
		const empty = new QueryModes('auto');
		empty.afterCount(1_000_000);
		expect(empty.afterAggregate(RAW_RETURN, 0, INTERVAL, undefined)).toBe(false);
		expect(empty.current.reason).toBe('auto: about 2.0k new records a poll (raw is comfortable to 5.0k)');
	});

	it('says what an aggregate poll could not read whole', () => {
		const modes = new QueryModes('auto');
		modes.afterCount(1_000_000);
		modes.afterAggregate(1_000_000, WINDOW, INTERVAL, 'detail cut at 10,000 rows');
		expect(modes.current.reason).toBe(
			'auto: about 11.1k new records a poll (raw is comfortable to 5.0k); detail cut at 10,000 rows',
		);
	});

	it('leaves raw mode for good, whatever the volume, once the endpoint cannot aggregate', () => {
		const modes = new QueryModes('auto');
		expect(modes.cannotAggregate('moto answers fields, sort and limit only')).toBe(true);
		expect(modes.counting).toBe(false);
		expect(modes.cannotAggregate('moto answers fields, sort and limit only')).toBe(false);
		expect(modes.afterRaw(1_000_000, true)).toBe(false);
		expect(modes.current).toEqual({mode: 'raw', reason: 'raw: moto answers fields, sort and limit only'});
	});
});

describe('--mode raw and --mode aggregate', () => {
	it('are what --mode takes, with auto, by name', () => {
		const modeOf = (mode: string) => parseConfig({logGroup: ['/vpc/flows'], region: 'us-east-1', mode}).queryMode;
		expect(['raw', 'aggregate', 'auto'].map(mode => modeOf(mode))).toEqual(['raw', 'aggregate', 'auto']);
		expect(() => modeOf('sideways')).toThrow('--mode sideways: give raw, aggregate or auto');
	});

	it('keep the mode asked for whatever the volume, and never count', () => {
		const raw = new QueryModes('raw');
		expect(raw.counting).toBe(false);
		expect(raw.afterRaw(1_000_000, true)).toBe(false);
		expect(raw.current).toEqual({mode: 'raw', reason: '--mode raw'});
		const aggregate = new QueryModes('aggregate');
		expect(aggregate.counting).toBe(false);
		expect(aggregate.afterAggregate(1, WINDOW, INTERVAL, undefined)).toBe(false);
		expect(aggregate.current).toEqual({mode: 'aggregate', reason: '--mode aggregate'});
	});

	it('add what a poll could not read whole to the reason, and drop it when the next one could', () => {
		const aggregate = new QueryModes('aggregate');
		aggregate.afterAggregate(1, WINDOW, INTERVAL, 'detail cut at 10,000 rows');
		expect(aggregate.current.reason).toBe('--mode aggregate; detail cut at 10,000 rows');
		aggregate.afterAggregate(1, WINDOW, INTERVAL, undefined);
		expect(aggregate.current.reason).toBe('--mode aggregate');
	});

	it('turn aggregate into raw when the endpoint cannot aggregate', () => {
		const aggregate = new QueryModes('aggregate');
		expect(aggregate.cannotAggregate('the log format has no bytes')).toBe(true);
		expect(aggregate.current).toEqual({mode: 'raw', reason: 'raw: the log format has no bytes'});
	});
});

describe('the mode note', () => {
	it('says nothing of the plain cases: raw records auto chose, or the mode a flag asked for and got whole', () => {
		expect(modeNote({mode: 'raw', reason: 'auto: 12 records in the window, raw pages hold them'})).toBeUndefined();
		expect(modeNote({mode: 'raw', reason: '--mode raw'})).toBeUndefined();
		expect(modeNote({mode: 'aggregate', reason: '--mode aggregate'})).toBeUndefined();
	});

	it('says why the group is read from sums, why it could not be, and what a poll could not read whole', () => {
		expect(modeNote({mode: 'aggregate', reason: 'auto: 1.2M records in the window'})).toBe(
			'aggregate mode: 1.2M records in the window',
		);
		expect(modeNote({mode: 'raw', reason: 'raw: moto answers fields only'})).toBe('raw mode: moto answers fields only');
		expect(modeNote({mode: 'aggregate', reason: '--mode aggregate; detail cut'})).toBe(
			'aggregate mode: --mode aggregate; detail cut',
		);
	});
});
