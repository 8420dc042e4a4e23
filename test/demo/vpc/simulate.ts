import {ScaledClock} from '../../../source/clock.js';
import type {SimulatedRecord} from '../../../source/demo/vpc/flow-record.js';
import {type CaptureBatch, VpcSimulator, type SimulatorOptions} from '../../../source/demo/vpc/simulator.js';

/** 20 s into a minute, so the clock is mid-window as a real one would be. */
export const START = Date.UTC(2026, 2, 1, 9, 0, 20);
export const MINUTE = 60_000;

/** A simulator on a clock that only moves when told to. */
export function simulator(options: Partial<SimulatorOptions> = {}) {
	const clock = new ScaledClock(0, START);
	const simulation = new VpcSimulator({clock: clock.now, seed: 42, ...options});
	return {clock, simulation};
}

/** The records of `minutes` windows of history for a scenario. */
export function history(scenario: string, minutes = 10, options: Partial<SimulatorOptions> = {}): CaptureBatch[] {
	return simulator({scenario, historyMs: minutes * MINUTE, ...options}).simulation.step();
}

export function recordsOf(batches: readonly CaptureBatch[]): SimulatedRecord[] {
	return batches.flatMap(batch => batch.records);
}

/** A record of the everyday noise under every scenario: a late reply, or an internet scanner passing by. */
export function isNoise(record: SimulatedRecord): boolean {
	return (
		record.truth.kind === 'flow' &&
		(record.truth.leg === 'late-reply' || record.truth.workload === 'internet-background')
	);
}
