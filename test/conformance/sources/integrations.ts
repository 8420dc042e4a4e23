import type {SourceDirectory} from '../corpus.js';
import {pipelineCases} from '../elastic-pipeline.js';
import type {Case} from '../pair.js';

/** elastic/integrations' aws vpcflow pipeline: string values, integration-specific renames, `-` kept for region and AZ. */
export function integrations(directory: SourceDirectory): Case[] {
	return pipelineCases(directory);
}
