import {createHash} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {DEMO_FORMAT} from '../../../source/demo/feed/demo-format.js';
import {flowLine} from '../../../source/demo/vpc/flow-line.js';
import {scenarioNamed} from '../../../source/demo/vpc/scenarios.js';
import {diagnose} from '../../../source/diagnosis/diagnose.js';
import {disagreements, storeOf} from '../../diagnosis/simulated.js';
import {history, recordsOf} from './simulate.js';

const WINDOW_SECONDS = 60;

function digest(lines: readonly string[]): string {
	return createHash('sha256').update(lines.join('\n')).digest('hex');
}

// Tens of thousands of records per test: minutes of a busy VPC.
describe('a busy VPC (--demo --rate N)', {timeout: 120_000}, () => {
	it('writes N records for every simulated second, each window on its own', () => {
		for (const rate of [50, 400]) {
			const batches = history('healthy', 3, {recordsPerSecond: rate});
			expect(batches).toHaveLength(3);
			for (const batch of batches) {
				// The crowd fills what the workloads leave; only an odd count can leave it one short.
				expect(batch.records.length).toBeGreaterThanOrEqual(rate * WINDOW_SECONDS - 1);
				expect(batch.records.length).toBeLessThanOrEqual(rate * WINDOW_SECONDS);
			}
		}
	});

	it('leaves the quiet demo as it was when no rate is given', () => {
		const quiet = recordsOf(history('healthy', 3));
		expect(quiet.length).toBeLessThan(10 * WINDOW_SECONDS * 3);
		expect(quiet.some(record => record.truth.kind === 'flow' && record.truth.workload === 'crowd')).toBe(false);
	});

	it('gives the same records for the same seed, and others for another', () => {
		const lines = (seed: number) =>
			recordsOf(history('healthy', 1, {recordsPerSecond: 100, seed})).map(record =>
				flowLine(record.values, DEMO_FORMAT),
			);
		expect(digest(lines(3))).toBe(digest(lines(3)));
		expect(digest(lines(3))).not.toBe(digest(lines(4)));
	});

	it('comes from a crowd: a client address no other connection has on nearly every record', () => {
		const records = recordsOf(history('healthy', 2, {recordsPerSecond: 500}));
		const crowd = records.filter(record => record.truth.kind === 'flow' && record.truth.workload === 'crowd');
		expect(crowd.length).toBeGreaterThan(0.95 * records.length);
		// A connection is two records, the request and its response, both naming the client.
		const clients = new Set(
			crowd.map(record =>
				record.values['flow-direction'] === 'ingress' ? record.values.srcaddr : record.values.dstaddr,
			),
		);
		expect(clients.size).toBeGreaterThan(0.49 * crowd.length);
		expect(new Set(crowd.map(record => record.values['interface-id'])).size).toBe(2);
	});

	it("is let in by the load balancers' rules, and the responses out, as HTTPS from anywhere is", () => {
		const records = recordsOf(history('healthy', 1, {recordsPerSecond: 200}));
		const crowd = records.filter(record => record.truth.kind === 'flow' && record.truth.workload === 'crowd');
		expect(new Set(crowd.map(record => `${record.values.action} ${record.values['flow-direction']}`))).toEqual(
			new Set(['ACCEPT ingress', 'ACCEPT egress']),
		);
	});

	it.each(['nacl-return-outbound', 'port-scan', 'sg-missing-rule'])(
		'still shows what the %s scenario breaks, and nothing the crowd does is taken for a problem',
		name => {
			const scenario = scenarioNamed(name);
			const records = recordsOf(history(name, 5, {recordsPerSecond: 100, seed: 3}));
			const findings = diagnose(storeOf(records, DEMO_FORMAT));
			expect(disagreements(findings, scenario.expected, scenario.tolerated)).toEqual([]);
		},
	);
});
