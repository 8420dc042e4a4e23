import {createWriteStream} from 'node:fs';
import {once} from 'node:events';
import {uniformInt} from 'pure-rand/distribution/uniformInt';
import {xoroshiro128plus} from 'pure-rand/generator/xoroshiro128plus';

/**
 * A large default-format flow log with the shape of a real VPC: a few hundred interfaces, a few
 * thousand hosts, most bytes between a handful of busy pairs, ephemeral client ports, a few
 * percent rejected. Deterministic for a seed, so a benchmark compares like with like.
 */
export async function writeSyntheticFlowLog(path: string, records: number, seed = 42): Promise<void> {
	const rng = xoroshiro128plus(seed);
	const int = (min: number, max: number) => uniformInt(rng, min, max);
	const hosts = Array.from({length: 4000}, (_, i) => `10.${i % 4}.${Math.floor(i / 250) % 256}.${(i % 250) + 1}`);
	const outside = Array.from({length: 2000}, (_, i) => `${198 + (i % 3)}.51.${Math.floor(i / 200)}.${(i % 200) + 1}`);
	// Every host has its interface; a record is logged on the interface of one end of the flow.
	const enis = new Map(hosts.map((host, i) => [host, `eni-0${(0x1_0000_0000 + i * 7919).toString(16)}`]));
	const services = [443, 443, 443, 80, 5432, 6379, 22, 53, 8080, 3306];
	const start = 1_700_000_000;
	const out = createWriteStream(path);
	let chunk = '';
	for (let i = 0; i < records; i++) {
		// A Zipf-like skew: low host numbers talk far more, as real fleets do.
		const client = hosts[Math.floor((int(0, 3999) * int(0, 3999)) / 4000)]!;
		const server = int(0, 9) < 2 ? outside[int(0, 1999)]! : hosts[int(0, 63)]!;
		const service = services[int(0, services.length - 1)]!;
		const reject = int(0, 99) < 4;
		const response = !reject && int(0, 1) === 1;
		const packets = reject ? int(1, 3) : int(1, 2000);
		const bytes = packets * int(40, 1500);
		const t = start + Math.floor(i / (records / 3600)) * 1;
		const eni = enis.get(enis.has(server) && int(0, 1) === 1 ? server : client)!;
		const ephemeral = int(32_768, 60_999);
		chunk += response
			? `2 123456789012 ${eni} ${server} ${client} ${service} ${ephemeral} ${service === 53 ? 17 : 6} ${packets} ${bytes} ${t} ${t + 59} ACCEPT OK\n`
			: `2 123456789012 ${eni} ${client} ${server} ${ephemeral} ${service} ${service === 53 ? 17 : 6} ${packets} ${bytes} ${t} ${t + 59} ${reject ? 'REJECT' : 'ACCEPT'} OK\n`;
		if (chunk.length > 1 << 20) {
			if (!out.write(chunk)) {
				await once(out, 'drain');
			}

			chunk = '';
		}
	}

	out.end(chunk);
	await once(out, 'finish');
}
