import {type FieldValues, type FlowFormat, formatLine, formatVersion} from '../../flowlog/format.js';

/**
 * A record as AWS writes it in this format. The values carry no `version` because AWS derives it
 * from the format (2 for the default, else the highest version among its fields), so it is filled
 * in here; everything else is formatLine's.
 */
export function flowLine(values: FieldValues, format: FlowFormat): string {
	return formatLine({...values, version: formatVersion(format)}, format);
}
