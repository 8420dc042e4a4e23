import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {FilterError, formatFilter, parseFilter} from '../../source/engine/filter.js';
import {fuzz} from './settings.js';

// Terms as a person types them into the prompt, whole or mangled, joined by blanks.
const term = fc.oneof(
	fc.constantFrom(
		'eni-0abc',
		'ENI-0ABC',
		'eni-',
		'10.0.0.0/16',
		'10.0.0.1',
		'2001:db8::/32',
		'FE80::2',
		'::',
		'0.0.0.0/0',
		'port:22',
		'port:1-1024',
		'port:22,443',
		'port:',
		'port:65536',
		'port:9-1',
		'proto:6',
		'tcp',
		'udp',
		'icmp',
		'accept',
		'REJECT',
		'src:10.0.0.1',
		'dst:10.0.0.0/8',
		'cidr:10.0.0.0/33',
		'ip:',
		'22',
		'action:drop',
		'/',
		':',
		'-',
	),
	fc.string({unit: 'binary', maxLength: 20}),
	fc.stringMatching(/^[\w.:/,-]{1,24}$/),
);
const prompt = fc.array(term, {maxLength: 6}).map(terms => terms.join(' '));

function parsed(text: string): string | FilterError {
	try {
		return formatFilter(parseFilter(text));
	} catch (error) {
		if (error instanceof FilterError) {
			return error;
		}

		throw error;
	}
}

describe('fuzz: the filter prompt', () => {
	it('gives a filter or a FilterError for anything typed, and the filter reads back as itself', () => {
		fc.assert(
			fc.property(prompt, text => {
				const result = parsed(text);
				if (typeof result === 'string') {
					expect(parsed(result)).toBe(result);
				}
			}),
			fuzz(2000),
		);
	});
});
