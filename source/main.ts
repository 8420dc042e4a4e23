import type {Config} from './config.js';
import {runFileOnce, runNdjson, type Output} from './run-once.js';
import {runInsightsOnce} from './run-insights-once.js';
import {runServe} from './run-serve.js';
import {usageError} from './errors.js';
import {diagnose} from './diagnosis/diagnose.js';
import {fileSource, runLive} from './run-live.js';
import type {DiagnosisFeed} from './ui/app.js';

const noDiagnosis: DiagnosisFeed = {update: () => [], isNew: () => false};

/** Run what the flags ask for. Resolves when done; throws UserError for what a person can fix. */
export async function main(config: Config, output: Output): Promise<void> {
	const {source} = config;
	switch (config.mode) {
		case 'ndjson': {
			if (source.kind === 'file') {
				await runNdjson(config, source.path, output);
			}

			return;
		}

		case 'once': {
			if (source.kind === 'file') {
				await runFileOnce(config, source.path, output, store => diagnose(store, {filter: config.filter}));
				return;
			}

			await runInsightsOnce({...config, source}, output, store => diagnose(store, {filter: config.filter}));
			return;
		}

		case 'serve': {
			if (source.kind === 'demo') {
				await runServe({...config, source}, output);
			}

			return;
		}

		case 'tui': {
			if (source.kind === 'file') {
				await runLive(config, fileSource(config, source.path, source.follow), noDiagnosis);
				return;
			}

			throw usageError('the live view of a log group arrives with the Insights poller; use --file for now');
		}
	}
}
