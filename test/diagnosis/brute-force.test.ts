import {describe, expect, it} from 'vitest';
import {bruteForce} from '../../source/diagnosis/brute-force.js';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {accept, type Flow, range, reject, v2Store} from './flows.js';

const bastion = 'eni-0bastion';
const db = 'eni-0db';

/** `count` SSH sessions in one minute from the given sources, in turn; each one a new client port. */
function sessions(count: number, minute: number, sources: readonly string[], refused = false): Flow[] {
	return range(count).map(index =>
		(refused ? reject : accept)(bastion, `${sources[index % sources.length]}:${33_000 + index}`, '10.0.0.10:22', {
			minute,
		}),
	);
}

const bots = range(10).map(index => `185.220.101.${index + 1}`);
const office = ['81.2.69.142', '81.2.69.160'];

describe('brute-force', () => {
	it('reports SSH open to the world and hammered from the internet, from the first minute', () => {
		const findings = diagnose(v2Store(range(3).flatMap(minute => sessions(40, minute, bots))));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			kind: 'brute-force',
			severity: 'critical',
			eni: bastion,
			port: 22,
			count: 120,
			summary: `${bastion}: TCP 22 (SSH) brute force, 120 attempts from 10 sources`,
			filter: `${bastion} port:22 tcp`,
		});
		expect(findings[0]!.src).toBeUndefined();
		expect(findings[0]!.advice).toBe(
			'Attempts on TCP 22 (SSH) reach 40 a minute from 10 sources, already at that rate when the window begins. ' +
				'The security group lets them reach the service: restrict port 22 to your office or VPN ranges (or use Session Manager for SSH), ' +
				"and check the host's login log for a success.",
		);
	});

	it('names a lone attacker', () => {
		const [finding] = bruteForce(v2Store([...sessions(3, 0, office), ...sessions(60, 1, ['185.220.101.7'])]));
		expect(finding).toMatchObject({
			src: '185.220.101.7',
			summary: `${bastion}: TCP 22 (SSH) brute force, 60 attempts from 185.220.101.7`,
		});
	});

	it('is only a note when every attempt is refused, and not reported again as refused requests', () => {
		const findings = diagnose(v2Store([...sessions(3, 0, office), ...sessions(60, 1, ['185.220.101.7'], true)]));
		expect(findings.map(finding => [finding.kind, finding.severity])).toEqual([['brute-force', 'info']]);
		expect(findings[0]!.advice).toContain('All of them are refused');
	});

	it("measures a surge from inside against the interface's own baseline", () => {
		const quiet = range(4).flatMap(minute => sessions(2, minute, office));
		const [finding] = bruteForce(v2Store([...quiet, ...sessions(50, 4, ['10.0.5.5'])]));
		expect(finding).toMatchObject({port: 22, count: 50, src: '10.0.5.5', severity: 'critical', confidence: 'high'});
		expect(finding!.advice).toContain('reach 50 a minute from 10.0.5.5, up from about 2 a minute');
		expect(finding!.advice).toContain('lateral movement');
	});

	it('is not a busy database: app servers connecting as often as ever', () => {
		const pool = range(6).flatMap(minute =>
			range(80).map(index => accept(db, `10.0.20.${21 + (index % 2)}:${40_000 + index}`, '10.0.30.40:5432', {minute})),
		);
		expect(diagnose(v2Store(pool))).toEqual([]);
	});

	it('is not the on-call team logging in a few times a minute', () => {
		expect(bruteForce(v2Store(range(5).flatMap(minute => sessions(6, minute, office))))).toEqual([]);
	});

	it("is not the interface calling out to someone else's SSH", () => {
		const flows = range(40).map(index =>
			accept(bastion, `10.0.0.10:${33_000 + index}`, `10.0.1.${(index % 5) + 1}:22`),
		);
		expect(bruteForce(v2Store(flows))).toEqual([]);
	});
});

describe("brute-force, told from the interface's own clients", () => {
	it("is not a deploy's reconnect storm: the app's own hosts reconnecting to PostgreSQL at once, all accepted", () => {
		const steady = range(4).flatMap(minute =>
			range(4).map(index => accept(db, `10.0.20.${21 + (index % 2)}:${40_000 + index}`, '10.0.30.40:5432', {minute})),
		);
		const storm = range(2, 4).flatMap(minute =>
			range(300).map(index => accept(db, `10.0.20.${21 + (index % 6)}:${41_000 + index}`, '10.0.30.40:5432', {minute})),
		);
		expect(diagnose(v2Store([...steady, ...storm]))).toEqual([]);
	});

	it('is a brute force on a database port from hosts that are not its clients', () => {
		const clients = range(4).flatMap(minute =>
			range(4).map(index => accept(db, `10.0.20.21:${40_000 + index}`, '10.0.30.40:5432', {minute})),
		);
		const attack = range(2, 4).flatMap(minute =>
			range(60).map(index =>
				accept(db, `45.155.205.${(index % 3) + 1}:${41_000 + index}`, '10.0.30.40:5432', {minute}),
			),
		);
		const [finding] = bruteForce(v2Store([...clients, ...attack]));
		expect(finding).toMatchObject({port: 5432, severity: 'critical', count: 120});
		expect(finding!.summary).toContain('from 3 sources');
	});

	it('flags a bastion whose only traffic is an SSH brute force, though its own address cannot be told by majority', () => {
		const attacker = '185.220.101.7';
		const flows = range(3).flatMap(minute =>
			range(40).flatMap(index => {
				const client = `${attacker}:${33_000 + (minute * 40) + index}`;
				return [accept(bastion, client, '10.0.0.10:22', {minute}), accept(bastion, '10.0.0.10:22', client, {minute})];
			}),
		);
		expect(bruteForce(v2Store(flows))).toMatchObject([{eni: bastion, port: 22, src: attacker, severity: 'critical'}]);
	});
});
