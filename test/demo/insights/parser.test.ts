import {describe, expect, it} from 'vitest';
import {MalformedQueryError} from '../../../source/demo/insights/malformed.js';
import {parseQuery} from '../../../source/demo/insights/parser.js';

function malformed(query: string): MalformedQueryError {
	try {
		parseQuery(query);
	} catch (error) {
		expect(error).toBeInstanceOf(MalformedQueryError);
		return error as MalformedQueryError;
	}

	throw new Error(`expected "${query}" to be refused`);
}

/** Whether the `like` of a one-command filter query matches the text. */
function likes(query: string, text: string): boolean {
	const command = parseQuery(query).commands[0] as {
		condition: {
			kind: string;
			pattern?: {test(text: string): boolean};
			operand?: {pattern: {test(text: string): boolean}};
		};
	};
	const {pattern} = command.condition.kind === 'not' ? command.condition.operand! : command.condition;
	return pattern!.test(text);
}

describe('parsing good queries', () => {
	it('splits a pipeline into its commands', () => {
		const query = parseQuery('fields @timestamp, @message | sort @timestamp desc | limit 25');
		expect(query.commands.map(command => command.kind)).toEqual(['fields', 'sort', 'limit']);
		expect(query.commands[2]).toEqual({kind: 'limit', count: 25});
	});

	it('names fields by alias, or as written', () => {
		const query = parseQuery('fields srcAddr, bytes * 8 as bits, `log-status`');
		expect(query.commands[0]).toMatchObject({
			kind: 'fields',
			items: [{name: 'srcAddr'}, {name: 'bits'}, {name: 'log-status', expression: {kind: 'field', name: 'log-status'}}],
		});
	});

	it('gives and a tighter grip than or, and lets parentheses override it', () => {
		const loose = parseQuery('filter a = 1 or b = 2 and c = 3').commands[0];
		expect(loose).toMatchObject({
			condition: {kind: 'logical', operator: 'or', right: {kind: 'logical', operator: 'and'}},
		});
		const grouped = parseQuery('filter (a = 1 or b = 2) and c = 3').commands[0];
		expect(grouped).toMatchObject({
			condition: {kind: 'logical', operator: 'and', left: {kind: 'logical', operator: 'or'}},
		});
	});

	it('reads every comparison operator', () => {
		for (const operator of ['=', '!=', '<', '<=', '>', '>=']) {
			expect(parseQuery(`filter bytes ${operator} 10`).commands[0]).toMatchObject({
				condition: {
					kind: 'compare',
					operator,
					left: {kind: 'field', name: 'bytes'},
					right: {kind: 'literal', value: 10},
				},
			});
		}
	});

	it('reads not, not like and not in', () => {
		expect(parseQuery('filter not action = "ACCEPT"').commands[0]).toMatchObject({
			condition: {kind: 'not', operand: {kind: 'compare'}},
		});
		expect(parseQuery('filter @message not like /Exception/').commands[0]).toMatchObject({
			condition: {kind: 'not', operand: {kind: 'like'}},
		});
		expect(likes('filter @message not like /Exception/', 'an Exception\nat line 2')).toBe(true);
		expect(parseQuery('filter dstPort not in [22, 3389]').commands[0]).toMatchObject({
			condition: {kind: 'not', operand: {kind: 'in', list: [22, 3389]}},
		});
	});

	it('tells a regular expression from a division by what comes before the slash', () => {
		expect(likes('filter srcAddr like /^10\\./', '10.0.0.1')).toBe(true);
		expect(likes('filter srcAddr like /^10\\./', '100.0.0.1')).toBe(false);
		expect(parseQuery('filter srcAddr =~ /^10\\./').commands[0]).toMatchObject({condition: {kind: 'like'}});
		expect(parseQuery('fields bytes / packets as size').commands[0]).toMatchObject({
			items: [{name: 'size', expression: {kind: 'arithmetic', operator: '/'}}],
		});
	});

	it('reads a leading (?i) as case-insensitivity', () => {
		expect(likes('filter action like /(?i)reject/', 'REJECT')).toBe(true);
		expect(likes('filter action like /reject/', 'REJECT')).toBe(false);
	});

	it('runs a regular expression in linear time, and refuses what RE2 cannot run', () => {
		expect(likes('filter @message like /(.*)*X$/', 'a'.repeat(100_000))).toBe(false);
		expect(malformed('filter @message like /(a)\\1/').message).toMatch(/invalid regular expression/);
		expect(malformed('filter @message like /(?=a)/').message).toMatch(/invalid regular expression/);
	});

	it('reads the subnet functions and checks their subnets', () => {
		expect(parseQuery('filter isIpv4InSubnet(srcAddr, "10.0.0.0/16")').commands[0]).toMatchObject({
			condition: {kind: 'inSubnet', fn: 'isIpv4InSubnet', subject: {name: 'srcAddr'}, cidr: '10.0.0.0/16'},
		});
		expect(parseQuery('filter isIpv6InSubnet(dstAddr, "2001:db8::/32")').commands[0]).toMatchObject({
			condition: {fn: 'isIpv6InSubnet'},
		});
		expect(parseQuery('filter isIpInSubnet(dstAddr, "2001:db8::/32")').commands[0]).toMatchObject({
			condition: {fn: 'isIpInSubnet'},
		});
	});

	it('reads stats with aliases, by fields and bin()', () => {
		const command = parseQuery('stats count(*), sum(bytes) as total, count(srcAddr) by bin(5m) as t, action')
			.commands[0];
		expect(command).toEqual({
			kind: 'stats',
			aggregates: [
				{fn: 'count', arg: undefined, name: 'count(*)'},
				{fn: 'sum', arg: {kind: 'field', name: 'bytes'}, name: 'total'},
				{fn: 'count', arg: {kind: 'field', name: 'srcAddr'}, name: 'count(srcAddr)'},
			],
			groups: [
				{expression: {kind: 'bin', milliseconds: 300_000}, name: 't'},
				{expression: {kind: 'field', name: 'action'}, name: 'action'},
			],
		});
	});

	it('reads glob and regular-expression parse', () => {
		const glob = parseQuery('parse @message "* * * *" as version, account, eni, src').commands[0];
		expect(glob).toMatchObject({kind: 'parse', source: '@message', names: ['version', 'account', 'eni', 'src']});
		const regex = parseQuery('parse @message /(?<eni>eni-\\w+) (?<src>\\S+)/').commands[0];
		expect(regex).toMatchObject({kind: 'parse', names: ['eni', 'src']});
	});

	it('reads sort directions, ascending when none is given', () => {
		expect(parseQuery('sort bytes desc, srcAddr').commands[0]).toMatchObject({
			keys: [{descending: true}, {descending: false}],
		});
	});

	it('reads display, comments and keywords in any case', () => {
		const query = parseQuery('# rejected only\nFILTER action = "REJECT" AND NOT dstPort = 22\n| display srcAddr');
		expect(query.commands).toMatchObject([
			{kind: 'filter', condition: {operator: 'and'}},
			{kind: 'display', names: ['srcAddr']},
		]);
	});
});

describe('refusing bad queries', () => {
	it('points at an unknown command the way AWS does', () => {
		const error = malformed('bogus command');
		expect(error.message).toBe('unexpected symbol found bogus at line 1 and position 0');
		expect([error.start, error.end]).toEqual([0, 5]);
	});

	it('counts lines and positions in multi-line queries', () => {
		expect(malformed('fields a\n| frobnicate').message).toBe(
			'unexpected symbol found frobnicate at line 2 and position 2',
		);
	});

	it('refuses a dangling pipe, operator or parenthesis', () => {
		expect(malformed('fields a |').message).toBe('unexpected symbol found <EOF> at line 1 and position 10');
		expect(malformed('filter bytes >').message).toMatch(/unexpected symbol found <EOF>/);
		expect(malformed('filter (bytes > 1').message).toMatch(/unexpected symbol found <EOF>/);
		expect(malformed('filter bytes > 1)').message).toMatch(/unexpected symbol found \)/);
	});

	it('refuses commands and functions outside the subset', () => {
		expect(malformed('dedup srcAddr').message).toMatch(/unexpected symbol found dedup/);
		expect(malformed('fields strlen(@message)').message).toBe('function strlen is not supported');
		expect(malformed('filter sum(bytes) > 1').message).toBe('aggregate function sum is only allowed in stats');
		expect(malformed('stats pct(bytes, 95)').message).toMatch(/unexpected symbol found pct/);
		expect(malformed('stats sum(*)').message).toBe('sum(*) is not allowed: only count takes *');
	});

	it('refuses bad subnets, periods and limits', () => {
		expect(malformed('filter isIpv4InSubnet(srcAddr, "10.0.0.0/33")').message).toMatch(/CIDR/);
		expect(malformed('filter isIpv4InSubnet(srcAddr, "2001:db8::/32")').message).toMatch(/IPv4 subnet/);
		expect(malformed('stats count(*) by bin(1y)').message).toMatch(/unexpected symbol found 1y/);
		expect(malformed('stats count(*) by bin(srcAddr)').message).toMatch(/bin expects one time period/);
		expect(malformed('limit 0').message).toMatch(/unexpected symbol found 0/);
		expect(malformed('limit many').message).toMatch(/unexpected symbol found many/);
	});

	it('refuses a parse whose wildcards and names disagree', () => {
		expect(malformed('parse @message "* *" as a').message).toBe(
			'the parse pattern has 2 wildcards but 1 field name follow as',
		);
		expect(malformed('parse @message /no groups/').message).toMatch(/named groups/);
	});

	it('refuses unterminated strings and regular expressions, and empty queries', () => {
		expect(malformed('filter action = "REJECT').message).toMatch(/unterminated string/);
		expect(malformed('filter a like /x').message).toMatch(/unterminated regular expression/);
		expect(malformed('filter a like /(/').message).toMatch(/invalid regular expression/);
		expect(malformed('   ').message).toBe('the query is empty');
	});

	it('refuses keywords where a field belongs', () => {
		expect(malformed('fields and').message).toMatch(/unexpected symbol found and/);
		expect(malformed('display by').message).toMatch(/unexpected symbol found by/);
	});
});
