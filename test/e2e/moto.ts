import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {createServer} from 'node:net';
import {
	CloudWatchLogsClient,
	CreateLogGroupCommand,
	CreateLogStreamCommand,
	PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';

/** Whether moto's server is installed (`pip install 'moto[server]'`); tests that need it say so when it is not. */
export const hasMoto = spawnSync('moto_server', ['--help'], {stdio: 'ignore'}).status === 0;

export const MOTO_CREDENTIALS = {accessKeyId: 'testing', secretAccessKey: 'testing'};

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => {
				resolve(port);
			});
		});
	});
}

/** A moto_server of its own on a free port; close() ends that process and no other. */
export class Moto {
	readonly client: CloudWatchLogsClient;

	private constructor(
		readonly url: string,
		private readonly process: ChildProcess,
	) {
		this.client = new CloudWatchLogsClient({endpoint: url, region: 'us-east-1', credentials: MOTO_CREDENTIALS});
	}

	static async start(): Promise<Moto> {
		const port = await freePort();
		const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {stdio: 'ignore'});
		const moto = new Moto(`http://127.0.0.1:${port}`, child);
		const deadline = Date.now() + 20_000;
		for (;;) {
			try {
				const response = await fetch(`${moto.url}/moto-api/`);
				if (response.ok) {
					return moto;
				}
			} catch {}

			if (Date.now() > deadline || child.exitCode !== null) {
				moto.close();
				throw new Error(`moto_server did not answer on ${moto.url}`);
			}

			await new Promise(resolve => setTimeout(resolve, 200));
		}
	}

	async createGroup(group: string, stream: string): Promise<void> {
		await this.client.send(new CreateLogGroupCommand({logGroupName: group}));
		await this.client.send(new CreateLogStreamCommand({logGroupName: group, logStreamName: stream}));
	}

	/** Put default-format flow-log lines, each stamped with its own start as AWS stamps flow logs (moto wants them in order). */
	async put(group: string, stream: string, lines: readonly string[]): Promise<void> {
		const logEvents = lines
			.map(message => ({timestamp: Number(message.split(' ')[10]) * 1000, message}))
			.sort((a, b) => a.timestamp - b.timestamp);
		await this.client.send(new PutLogEventsCommand({logGroupName: group, logStreamName: stream, logEvents}));
	}

	close(): void {
		this.client.destroy();
		this.process.kill();
	}
}
