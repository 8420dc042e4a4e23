import {describe, expect, it} from 'vitest';
import {countQuery, newRecordsQuery, RECORDS_QUERY} from '../../../source/sources/insights/query.js';

describe('the raw-record queries', () => {
	it('ask for every raw record with what the poller needs of it', () => {
		expect(RECORDS_QUERY).toBe('fields @timestamp, @message, @ptr, @ingestionTime');
	});

	it('ask for what reached CloudWatch after one instant and up to another, in the form AWS documents', () => {
		expect(newRecordsQuery({after: 1000, upTo: 2000})).toBe(
			'fields @timestamp, @message, @ptr, @ingestionTime | filter toMillis(@ingestionTime) > 1000 and toMillis(@ingestionTime) <= 2000',
		);
		expect(countQuery({after: 1000, upTo: 2000})).toBe(
			'filter toMillis(@ingestionTime) > 1000 and toMillis(@ingestionTime) <= 2000 | stats count(*) as records',
		);
	});
});
