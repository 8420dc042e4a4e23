import {afterEach, describe, expect, it, vi} from 'vitest';
import {endpointUrl} from '../../../source/sources/insights/client.js';

afterEach(() => {
	vi.unstubAllEnvs();
});

function withRegions(region: string | undefined, defaultRegion: string | undefined): void {
	vi.stubEnv('AWS_REGION', region);
	vi.stubEnv('AWS_DEFAULT_REGION', defaultRegion);
}

describe('the URL messages name as where the calls go', () => {
	it('is --endpoint when given, whatever the Region', () => {
		withRegions('eu-west-1', undefined);
		expect(endpointUrl({endpoint: 'http://127.0.0.1:4566', region: 'us-east-2'})).toBe('http://127.0.0.1:4566');
	});

	it("is AWS's own for --region, before any Region the environment sets", () => {
		withRegions('eu-west-1', 'eu-west-2');
		expect(endpointUrl({region: 'ap-south-1'})).toBe('https://logs.ap-south-1.amazonaws.com');
	});

	it('is for AWS_REGION without --region, before AWS_DEFAULT_REGION', () => {
		withRegions('eu-west-1', 'eu-west-2');
		expect(endpointUrl({})).toBe('https://logs.eu-west-1.amazonaws.com');
	});

	it('is for AWS_DEFAULT_REGION when it is the only Region set', () => {
		withRegions(undefined, 'eu-west-2');
		expect(endpointUrl({})).toBe('https://logs.eu-west-2.amazonaws.com');
	});

	it('shows where the Region goes when none is set', () => {
		withRegions(undefined, undefined);
		expect(endpointUrl({})).toBe('https://logs.<region>.amazonaws.com');
	});
});
