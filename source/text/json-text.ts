// DEL and C1 controls: JSON.stringify leaves them raw, and some terminals act on them (U+009B opens a CSI
// sequence), so a value from a log line could steer the terminal of whoever `cat`s the output.
const c1 = /[\u007F-\u009F]/g;

/** JSON.stringify, with DEL and C1 controls written as \u escapes too: the same JSON, inert on any terminal. */
export function jsonText(value: unknown, indent?: number): string {
	return JSON.stringify(value, null, indent).replace(
		c1,
		character => `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`,
	);
}
