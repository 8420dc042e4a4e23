import {describe, expect, it} from 'vitest';
import {bruteForce} from '../../source/diagnosis/brute-force.js';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {accept, type Flow, range, reject, T, v2Store} from './flows.js';

const bastion = 'eni-0bastion';
const db = 'eni-0db';

/** `count` SSH sessions in one minute from the given sources, in turn; each one a new client port. */
function sessions(count: number, minute: number, sources: readonly string[], refused = false, port = 22): Flow[] {
	return range(count).map(index =>
		(refused ? reject : accept)(bastion, `${sources[index % sources.length]}:${33_000 + index}`, `10.0.0.10:${port}`, {
			minute,
		}),
	);
}

/** The same number of sessions from `sources` each minute from minute 0 on: the interface's usual rate. */
function usual(perMinute: readonly number[], sources: readonly string[]): Flow[] {
	return perMinute.flatMap((count, minute) => sessions(count, minute, sources));
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

	it('is not the interface calling out to SSH far more often than it used to', () => {
		const calls = (count: number, minute: number) =>
			range(count).map(index =>
				accept(bastion, `10.0.0.10:${33_000 + index}`, `10.0.1.${(index % 5) + 1}:22`, {minute}),
			);
		expect(bruteForce(v2Store([...range(4).flatMap(minute => calls(2, minute)), ...calls(40, 4)]))).toEqual([]);
	});

	it('is not SSH servers answering a NAT gateway that drew a login port as its source port', () => {
		// A NAT gateway draws source ports from 1024 up, 3306 among them, and reuses one for each destination.
		const answers = range(40).map(index => accept('eni-0nat', `203.0.113.${index + 1}:22`, '10.0.0.220:3306'));
		expect(bruteForce(v2Store(answers))).toEqual([]);
	});

	it('is not traffic between high ports, whatever its rate', () => {
		const flows = range(40).map(index => accept(bastion, `185.220.101.7:${33_000 + index}`, '10.0.0.10:50000'));
		expect(bruteForce(v2Store(flows))).toEqual([]);
	});
});

describe('brute-force, its thresholds and wording', () => {
	it('says in full what rose above the usual rate, when and from where', () => {
		const flows = [
			...sessions(2, 0, office, false, 3389),
			...usual([1, 5, 1, 3], office),
			...sessions(40, 4, ['185.220.101.7']),
			...sessions(35, 5, ['185.220.101.7']),
		];
		expect(bruteForce(v2Store(flows))).toEqual([
			{
				id: `brute-force|${bastion}|22`,
				kind: 'brute-force',
				severity: 'critical',
				eni: bastion,
				src: '185.220.101.7',
				port: 22,
				count: 75,
				confidence: 'high',
				why: '40 attempts a minute from hosts that are not its clients, 5x or more its usual 2',
				summary: `${bastion}: TCP 22 (SSH) brute force, 75 attempts from 185.220.101.7`,
				advice:
					'Attempts on TCP 22 (SSH) reach 40 a minute from 185.220.101.7, up from about 2 a minute. ' +
					'The security group lets them reach the service: restrict port 22 to your office or VPN ranges (or use Session Manager for SSH), ' +
					"and check the host's login log for a success.",
				firstSeen: T + 4 * 60,
				lastSeen: T + 5 * 60 + 5,
				evidence: expect.any(Array),
				filter: `${bastion} port:22 tcp`,
			},
		]);
	});

	it('takes the usual rate as the middle minute of those before, over an odd number of minutes too', () => {
		const [finding] = bruteForce(v2Store([...usual([1, 6, 4, 1, 6], office), ...sessions(60, 5, bots)]));
		expect(finding!.why).toBe('60 attempts a minute from hosts that are not its clients, 5x or more its usual 4');
	});

	it('has no usual rate to compare with before three minutes of history', () => {
		const [finding] = bruteForce(v2Store([...usual([2, 2], office), ...sessions(40, 2, bots, true)]));
		expect(finding).toMatchObject({
			confidence: 'medium',
			why: '40 attempts a minute from hosts that are not its clients, from the start of the window: no earlier rate to compare with',
		});
		expect(finding!.advice).toBe(
			'Attempts on TCP 22 (SSH) reach 40 a minute from 10 sources, already at that rate when the window begins. ' +
				'All of them are refused, so none reached the service; if they go on, deny the sources in the network ACL.',
		);
	});

	it('starts at 30 attempts a minute', () => {
		expect(bruteForce(v2Store(sessions(29, 0, bots)))).toEqual([]);
		expect(bruteForce(v2Store(sessions(30, 0, bots)))).toMatchObject([{count: 30}]);
	});

	it('is a surge at five times the usual rate, not below', () => {
		expect(bruteForce(v2Store([...usual([6, 6, 6], office), ...sessions(30, 3, bots)]))).toMatchObject([
			{count: 30, why: '30 attempts a minute from hosts that are not its clients, 5x or more its usual 6'},
		]);
		expect(bruteForce(v2Store([...usual([10, 10, 10], office), ...sessions(40, 3, bots)]))).toEqual([]);
	});

	it('without history, counts a surge only when half of it or more comes from the internet', () => {
		const half = [...sessions(15, 0, bots), ...sessions(15, 0, ['10.0.7.7'])];
		expect(bruteForce(v2Store(half))).toMatchObject([{count: 30}]);
		const mostlyInside = [...sessions(14, 0, bots), ...sessions(16, 0, ['10.0.7.7'])];
		expect(bruteForce(v2Store(mostlyInside))).toEqual([]);
	});

	it('names the source behind 80% of the attempts, whichever came first', () => {
		const flows = [...sessions(12, 0, ['185.220.101.9']), ...sessions(48, 0, ['185.220.101.7'])];
		expect(bruteForce(v2Store(flows))).toMatchObject([{src: '185.220.101.7', count: 60}]);
		const lessThan80 = [...sessions(13, 0, ['185.220.101.9']), ...sessions(47, 0, ['185.220.101.7'])];
		expect(bruteForce(v2Store(lessThan80))[0]!.summary).toBe(
			`${bastion}: TCP 22 (SSH) brute force, 60 attempts from 2 sources`,
		);
	});

	it('names the hosts of your own among the attackers', () => {
		const flows = [...sessions(10, 0, ['10.0.7.7', '10.0.7.8'], true), ...sessions(20, 0, bots)];
		const [finding] = bruteForce(v2Store(flows));
		expect(finding).toMatchObject({
			severity: 'critical',
			summary: `${bastion}: TCP 22 (SSH) brute force, 30 attempts from 12 sources`,
		});
		expect(finding!.advice).toBe(
			'Attempts on TCP 22 (SSH) reach 30 a minute from 12 sources, already at that rate when the window begins. ' +
				`10.0.7.7 and 10.0.7.8 are inside your network and not among ${bastion}'s usual clients on this port: ` +
				"lateral movement until shown otherwise; find what runs there and isolate it, and check the host's login log for a success.",
		);
	});

	it('counts TCP requests to login ports only', () => {
		const udp = range(40).map(index =>
			accept(bastion, `185.220.101.7:${33_000 + index}`, '10.0.0.10:22', {protocol: 17}),
		);
		const web = sessions(40, 0, bots, false, 8080);
		expect(bruteForce(v2Store([...udp, ...web]))).toEqual([]);
	});

	it('tells each attacked port apart, with its own times', () => {
		const flows = [
			...sessions(40, 0, bots),
			...sessions(1, 2, office, false, 3389),
			...sessions(1, 3, office, false, 3389),
			...sessions(40, 4, bots, true, 3389),
		];
		expect(bruteForce(v2Store(flows))).toMatchObject([
			{id: `brute-force|${bastion}|22`, count: 40, firstSeen: T, lastSeen: T + 5},
			{id: `brute-force|${bastion}|3389`, count: 40, firstSeen: T + 4 * 60, lastSeen: T + 4 * 60 + 5},
		]);
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
		expect(bruteForce(v2Store(flows))).toMatchObject([
			{eni: bastion, port: 22, src: attacker, severity: 'critical', count: 120},
		]);
	});

	it('is not an admin host of yours that has logged in all along, running a script', () => {
		const admin = ['10.0.9.9'];
		// The office's sessions show which end is the bastion's own address.
		const flows = [...usual([3, 3, 3, 3], [...office, ...admin]), ...sessions(40, 4, admin)];
		expect(bruteForce(v2Store(flows))).toEqual([]);
	});

	it('takes a host that gets in half the time as a client', () => {
		const admin = '10.0.9.9';
		const halfRefused = (count: number, minute: number) => [
			...sessions(count, minute, [admin]),
			...sessions(count, minute, [admin], true),
		];
		const flows = [
			...usual([2, 2, 2, 2], office),
			...range(4).flatMap(minute => halfRefused(1, minute)),
			...halfRefused(20, 4),
		];
		expect(bruteForce(v2Store(flows))).toEqual([]);
	});

	it('is a host of yours that is mostly refused, trying far more often than before', () => {
		const host = '10.0.7.7';
		const before = range(4).flatMap(minute => [...sessions(1, minute, [host]), ...sessions(1, minute, [host], true)]);
		const [finding] = bruteForce(
			v2Store([...usual([2, 2, 2, 2], office), ...before, ...sessions(40, 4, [host], true)]),
		);
		expect(finding).toMatchObject({src: host, count: 40, severity: 'critical'});
		expect(finding!.advice).toContain(`${host} is inside your network and not among ${bastion}'s usual clients`);
	});

	it("is the internet trying a database port while the app's own hosts use it, from the first minute", () => {
		const app = range(2).flatMap(minute =>
			range(10).map(index => accept(db, `10.0.20.21:${40_000 + index}`, '10.0.30.40:5432', {minute})),
		);
		const attack = range(2).flatMap(minute =>
			range(30).map(index =>
				reject(db, `45.155.205.${(index % 2) + 1}:${41_000 + index}`, '10.0.30.40:5432', {minute}),
			),
		);
		expect(bruteForce(v2Store([...app, ...attack]))).toMatchObject([
			{
				port: 5432,
				count: 60,
				severity: 'info',
				summary: `${db}: TCP 5432 (PostgreSQL) brute force, 60 attempts from 2 sources`,
			},
		]);
	});
});
