import {parseFormatString} from '../../../source/flowlog/format.js';
import type {SourceDirectory} from '../corpus.js';
import {positional} from '../expected-fields.js';
import type {LinePair} from '../pair.js';

interface Section {
	readonly anchor: string;
	readonly format: string;
	readonly lines: readonly string[];
}

/**
 * AWS's own examples, which come without parsed values: what they mean is the section's format
 * zipped with the line's tokens. The doc annotates two NAT lines with a trailing `#…` comment and
 * has one double space; both are kept, to test comment and whitespace handling.
 */
export function awsDocs(directory: SourceDirectory): LinePair[] {
	const {sections} = directory.json('aws-docs-samples.json') as {sections: readonly Section[]};
	return sections.flatMap(section => {
		const format = parseFormatString(section.format);
		return section.lines.map((line, i): LinePair => {
			const id = `${section.anchor}#${i + 1}`;
			const tokens = line.split(/\s+/);
			const comment = tokens.findIndex(token => token.startsWith('#'));
			const expect = positional(id, format.fields, comment === -1 ? tokens : tokens.slice(0, comment));
			return {kind: 'line', source: directory.source, id, line, format, expect};
		});
	});
}
