import {RE2JS} from 're2js';

/** What a match captured: groups by number (from 1) or by name; undefined for one that took no part. */
export interface Captures {
	group(group: number | string): string | undefined;
}

/**
 * A query's regular expression, run by RE2 (re2js) in time linear in the text, as the service
 * bounds its own: `like /(.*)*X$/` over a long message would keep a backtracking engine, and with it
 * the endpoint's event loop, busy for minutes. RE2's syntax is the one Insights documents, `(?i)`
 * included; `.` matches newlines too, as a multi-line message is one value.
 */
export class Pattern {
	private constructor(private readonly expression: RE2JS) {}

	/** Throws for a pattern RE2 cannot run (a backreference, a lookaround, a syntax error). */
	static compile(source: string): Pattern {
		return new Pattern(RE2JS.compile(source, RE2JS.DOTALL));
	}

	test(text: string): boolean {
		return this.expression.matcher(text).find();
	}

	/** The first match's captures, or undefined when the text does not match. */
	exec(text: string): Captures | undefined {
		const matcher = this.expression.matcher(text);
		if (!matcher.find()) {
			return undefined;
		}

		return {group: group => matcher.group(group as never) ?? undefined};
	}
}
