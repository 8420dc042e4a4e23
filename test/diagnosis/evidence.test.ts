import {describe, expect, it} from 'vitest';
import {logSkipped} from '../../source/diagnosis/log-skipped.js';
import {rejectedRequests} from '../../source/diagnosis/rejected-requests.js';
import {accept, range, reject, status, v2Store} from './flows.js';

const db = 'eni-0db';

describe('the evidence under a finding', () => {
	it('shows the four conversations with the most records, heaviest first, the earlier of equals first', () => {
		// Six app hosts refused at the database, each retrying from one client port within the minute.
		const retries = [1, 5, 3, 3, 7, 2];
		const flows = retries.flatMap((count, host) =>
			range(count).map(() => reject(db, `10.0.20.${21 + host}:42000`, '10.0.30.40:5432')),
		);
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding!.evidence.map(row => [row.src, row.flows])).toEqual([
			['10.0.20.25', 7],
			['10.0.20.22', 5],
			['10.0.20.23', 3],
			['10.0.20.24', 3],
		]);
		expect(finding!.evidence[0]).toEqual({
			eni: db,
			src: '10.0.20.25',
			dst: '10.0.30.40',
			srcPort: 42000,
			dstPort: 5432,
			protocol: 6,
			action: 'REJECT',
			flows: 7,
			packets: 21,
			bytes: 1260,
		});
	});

	it('shows every conversation when there are fewer than four', () => {
		const flows = [
			...range(2).map(() => reject(db, '10.0.20.21:42000', '10.0.30.40:5432')),
			...range(3).map(() => reject(db, '10.0.20.22:43000', '10.0.30.40:5432')),
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding!.evidence.map(row => [row.src, row.flows])).toEqual([
			['10.0.20.22', 3],
			['10.0.20.21', 2],
		]);
	});

	it('is the interface and its record count where the finding is about the interface as a whole', () => {
		const web = 'eni-0web';
		const flows = [
			...range(6).map(minute => accept(web, `203.0.113.${minute + 1}:50000`, '10.0.1.10:443', {minute})),
			...range(4, 2).map(minute => status('SKIPDATA', web, minute)),
		];
		const [finding] = logSkipped(v2Store(flows));
		expect(finding!.evidence).toEqual([
			{
				eni: web,
				src: undefined,
				dst: undefined,
				srcPort: undefined,
				dstPort: undefined,
				protocol: undefined,
				action: undefined,
				flows: 4,
				packets: 0,
				bytes: 0,
			},
		]);
	});
});
