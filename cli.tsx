#!/usr/bin/env node
import meow from 'meow';
import {parseConfig} from './source/config.js';
import {UserError} from './source/errors.js';
import {main} from './source/main.js';

const cli = meow(
	`
	Usage
	  $ flowtop --log-group NAME [options]     watch a CloudWatch Logs group of VPC flow logs
	  $ flowtop --file PATH|- [options]        read a flow-log file (plain or .gz) or stdin
	  $ flowtop --demo                         a simulated VPC, no AWS account needed

	Source
	  --log-group NAME        log group to watch; repeat for several     --log-group vpc-flows
	  --log-group-prefix P    pick a group interactively among those starting with P
	  --profile NAME          AWS profile (default: the standard credential chain)
	  --region REGION         AWS Region                                 --region eu-west-1
	  --endpoint URL          any CloudWatch Logs-compatible endpoint    --endpoint http://127.0.0.1:4566
	  --interval DURATION     time between polls (default 10s)           --interval 30s
	  --since WHEN            widen the window back to WHEN              --since 2h | --since 2026-11-22T03:00:00Z
	  --price-per-gb DOLLARS  Insights price per GB scanned (default 0.005)
	  --file PATH|-           flow-log file, .gz or plain; - reads stdin  --file flows.log.gz
	  --follow                keep reading the file as it grows (tail -f)
	  --format FORMAT         the flow log's custom format               --format '\${version} \${srcaddr} \${dstaddr} ...'
	  --demo                  simulated VPC behind a local CloudWatch Logs endpoint
	  --scenario NAME         demo scenario to start with                --scenario nacl-return-outbound
	  --speed FACTOR          demo time runs this many times faster      --speed 10
	  --seed N                demo random seed (same seed, same traffic)
	  --serve                 with --demo: only run the endpoint and print its URL (--port N to choose the port)
	  --no-ec2                do not read the VPC's configuration (security groups, NACLs, names) through EC2

	View and filter (the same filters as the / key)
	  --window DURATION       sliding window (default 15m; "all" for everything)   --window 1h
	  --filter TEXT           filter in the text form                    --filter 'eni-0abc 10.0.0.0/16 port:22 reject'
	  --eni ID                only this interface; repeatable            --eni eni-0abc123
	  --cidr CIDR             source or destination in CIDR or address   --cidr 10.0.0.0/16
	  --port PORT             source or destination port, list or range --port 22 | --port 1024-65535
	  --protocol NAME         tcp, udp, icmp, icmpv6 or a number         --protocol udp
	  --action ACTION         accept or reject                           --action reject

	Output
	  --once                  print one report and exit (a whole file, or one window of a log group)
	  --json                  with --once: the JSON document described in the README
	  --ndjson                with --file: every record as one JSON object per line
	  --top N                 rows per list (default 10)
	  --debug FILE            write diagnostics (SDK warnings, poll timings) to FILE
	  --threads N             threads that read a large file for --once (default: cores, at most 4)

	Exit codes: 0 success, 1 runtime failure, 2 usage error.

	Examples
	  $ flowtop --log-group vpc-flows --region us-east-1
	  $ flowtop --file flows.log.gz --once --json --top 20 --action reject
	  $ aws s3 cp s3://bucket/flow.log.gz - | flowtop --file - --once
	`,
	{
		importMeta: import.meta,
		allowUnknownFlags: false,
		flags: {
			file: {type: 'string'},
			threads: {type: 'number'},
			follow: {type: 'boolean'},
			format: {type: 'string'},
			once: {type: 'boolean'},
			json: {type: 'boolean'},
			ndjson: {type: 'boolean'},
			top: {type: 'number'},
			eni: {type: 'string', isMultiple: true},
			cidr: {type: 'string', isMultiple: true},
			port: {type: 'string', isMultiple: true},
			protocol: {type: 'string', isMultiple: true},
			action: {type: 'string'},
			filter: {type: 'string'},
			window: {type: 'string'},
			logGroup: {type: 'string', isMultiple: true},
			logGroupPrefix: {type: 'string'},
			profile: {type: 'string'},
			region: {type: 'string'},
			endpoint: {type: 'string'},
			interval: {type: 'string'},
			since: {type: 'string'},
			pricePerGb: {type: 'number'},
			demo: {type: 'boolean'},
			serve: {type: 'boolean'},
			scenario: {type: 'string'},
			speed: {type: 'number'},
			seed: {type: 'number'},
			debug: {type: 'string'},
			ec2: {type: 'boolean', default: true},
		},
	},
);

// `flowtop ... | head` closes the pipe early: that is the reader being done, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') {
		process.exit(0);
	}

	throw error;
});

try {
	// meow's parser reads `--file -` as an empty --file and a lone `-` argument.
	const stdinFile = cli.flags.file === '' && cli.input[0] === '-';
	const input = stdinFile ? cli.input.slice(1) : cli.input;
	if (input.length > 0) {
		throw new UserError(`unexpected argument "${input[0]}": flags start with -- (see flowtop --help)`, 2);
	}

	const config = parseConfig(stdinFile ? {...cli.flags, file: '-'} : cli.flags);
	await main(config, {stdout: process.stdout, stderr: process.stderr});
} catch (error) {
	if (error instanceof UserError) {
		process.stderr.write(`flowtop: ${error.message}\n`);
		process.exitCode = error.exitCode;
	} else {
		process.stderr.write(`flowtop: unexpected error, please report it: ${(error as Error).stack ?? String(error)}\n`);
		process.exitCode = 1;
	}
}
