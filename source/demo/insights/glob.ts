import type {Captures} from './pattern.js';

/**
 * A `parse` glob (`"* * * *"`): literal text between `*`s, each `*` capturing lazily (as little as
 * lets the rest match) except a trailing one, which takes the rest of the value. That is what the
 * regular expression `lit(.*?)lit(.*?)...(.*)` gives, and a custom-format flow-log query parses
 * every record of its range with one: through RE2 a 26-field line took over 100 µs, a busy window
 * minutes. The literals are found in order instead; the earliest place for each is the one the
 * lazy match takes, since a later one could only leave less room for the rest.
 */
export class Glob {
	private readonly literals: readonly string[];
	/** The last `*` ends the glob: it takes the rest of the value. */
	private readonly trailing: boolean;

	constructor(readonly glob: string) {
		const parts = glob.split('*');
		this.trailing = parts.length > 1 && parts.at(-1) === '';
		this.literals = this.trailing ? parts.slice(0, -1) : parts;
	}

	exec(text: string): Captures | undefined {
		const captured = this.captures(text);
		return captured && {group: group => (typeof group === 'number' ? captured[group - 1] : undefined)};
	}

	/** What each `*` took, in order, or undefined when the text does not match. */
	captures(text: string): string[] | undefined {
		const {literals} = this;
		let at = text.indexOf(literals[0]!);
		if (at < 0) {
			return undefined;
		}

		at += literals[0]!.length;
		const captured: string[] = [];
		for (let i = 1; i < literals.length; i++) {
			const found = text.indexOf(literals[i]!, at);
			if (found < 0) {
				return undefined;
			}

			captured.push(text.slice(at, found));
			at = found + literals[i]!.length;
		}

		if (this.trailing) {
			captured.push(text.slice(at));
		}

		return captured;
	}
}
