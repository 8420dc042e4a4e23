import type {SourceDirectory} from '../corpus.js';
import {pipelineCases} from '../elastic-pipeline.js';
import type {Case} from '../pair.js';

/** elastic/beats' deprecated Filebeat aws/vpcflow module: string values, `-` kept for action and instance-id. */
export function beatsModule(directory: SourceDirectory): Case[] {
	return pipelineCases(directory);
}
