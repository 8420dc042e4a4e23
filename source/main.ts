import type {Config} from './config.js';
import {diagnose} from './diagnosis/diagnose.js';
import {runFileOnce, runNdjson, type Output} from './run-once.js';

/**
 * Run what the flags ask for. Resolves when done; throws UserError for what a person can fix.
 * The AWS SDK, the demo and Ink are loaded only by the modes that use them: reading a file with
 * --once or --ndjson starts in a tenth of a second.
 */
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

			const {runInsightsOnce} = await import('./run-insights-once.js');
			await runInsightsOnce({...config, source}, output, (store, identity) => diagnose(store, {filter: config.filter, identity}));
			return;
		}

		case 'serve': {
			if (source.kind === 'demo') {
				const {runServe} = await import('./run-serve.js');
				await runServe({...config, source}, output);
			}

			return;
		}

		case 'tui': {
			const {demoSource, fileSource, logGroupSource, runLive} = await import('./run-live.js');
			const {ExplainedDiagnosis} = await import('./vpc/explained-diagnosis.js');
			const live = source.kind === 'file'
				? fileSource(config, source.path, source.follow)
				: source.kind === 'demo' ? demoSource(config, source) : await logGroupSource(config, source);
			const diagnosis = new ExplainedDiagnosis({aws: live.aws, ec2: config.ec2});
			try {
				await runLive(config, live, diagnosis);
			} finally {
				diagnosis.stop();
			}
		}
	}
}
