// DEL and C1 controls: JSON.stringify leaves them raw, and some terminals act on them (U+009B opens a CSI
// sequence), so a value from a log line could steer the terminal of whoever `cat`s the output.
const c1 = /[\u007F-\u009F]/g;

function inert(json: string): string {
	return json.replace(c1, character => `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** JSON.stringify, with DEL and C1 controls written as \u escapes too: the same JSON, inert on any terminal. */
export function jsonText(value: unknown, indent?: number): string {
	return inert(JSON.stringify(value, null, indent));
}

/** jsonText, or undefined for what JSON leaves out (undefined, a function). */
function jsonOrNothing(value: unknown, indent: number): string | undefined {
	const json = JSON.stringify(value, null, indent) as string | undefined;
	return json === undefined ? undefined : inert(json);
}

/**
 * jsonText(value, indent) in pieces, the same text: each member of an object on its own, and each
 * element of a member that is an array. A report of thousands of findings is written as it is
 * made, and never exists whole (3.4 MB of text at a million records, and the copies writing one
 * string makes: about 10 MB of the `--once` peak).
 */
export function* jsonPieces(value: unknown, indent: number): Generator<string> {
	if (typeof value !== 'object' || value === null || Array.isArray(value) || 'toJSON' in value) {
		yield jsonText(value, indent);
		return;
	}

	const pad = ' '.repeat(indent);
	// JSON.stringify escapes a line break inside a string, so each one left is between two lines of the layout.
	const nested = (text: string, depth: number) => text.replaceAll('\n', `\n${pad.repeat(depth)}`);
	let first = true;
	for (const [key, member] of Object.entries(value)) {
		const head = `${first ? '{\n' : ',\n'}${pad}${jsonText(key)}: `;
		if (Array.isArray(member) && member.length > 0) {
			first = false;
			yield `${head}[`;
			for (const [index, element] of member.entries()) {
				yield `${index === 0 ? '\n' : ',\n'}${pad}${pad}${nested(jsonOrNothing(element, indent) ?? 'null', 2)}`;
			}

			yield `\n${pad}]`;
			continue;
		}

		const text = jsonOrNothing(member, indent);
		if (text !== undefined) {
			first = false;
			yield `${head}${nested(text, 1)}`;
		}
	}

	yield first ? '{}' : '\n}';
}
