import {type FieldValues, type FlowFormat, formatVersion} from '../../flowlog/format.js';

const versions = new WeakMap<FlowFormat, string>();

/**
 * A record as AWS writes it in this format, `-` for anything absent. The values carry no `version`
 * because AWS derives it from the format (2 for the default, else the highest version among its
 * fields), so it is filled in here. A busy demo writes millions of lines: the version is worked out
 * once per format and the values are read in place, never copied.
 */
export function flowLine(values: FieldValues, format: FlowFormat): string {
	let version = versions.get(format);
	if (version === undefined) {
		version = String(formatVersion(format));
		versions.set(format, version);
	}

	const {fields} = format;
	let line = '';
	for (let i = 0; i < fields.length; i++) {
		const name = fields[i]!;
		const value = name === 'version' ? version : values[name];
		if (i > 0) {
			line += ' ';
		}

		line += value === undefined || value === '' ? '-' : String(value);
	}

	return line;
}
