import {uniformFloat64} from 'pure-rand/distribution/uniformFloat64';
import {uniformInt} from 'pure-rand/distribution/uniformInt';
import {xoroshiro128plus} from 'pure-rand/generator/xoroshiro128plus';
import type {RandomGenerator} from 'pure-rand/types/RandomGenerator';

// A 32-bit avalanche step (murmur3's finaliser): neighbouring window numbers must give unrelated
// streams, or minute 1000 and minute 1001 would draw the same traffic.
function avalanche(value: number): number {
	let h = value | 0;
	h ^= h >>> 16;
	h = Math.imul(h, 0x85_eb_ca_6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2_b2_ae_35);
	h ^= h >>> 16;
	return h;
}

/** A stable 32-bit hash of a name, so a stream can be keyed by a workload's name. */
export function hashName(name: string): number {
	let h = 0x81_1c_9d_c5;
	for (let i = 0; i < name.length; i++) {
		h = Math.imul(h ^ name.charCodeAt(i), 0x01_00_01_93);
	}

	return avalanche(h);
}

/**
 * Seeded randomness. Each (seed, window, workload) gets its own stream, so what one workload draws
 * never shifts another's, and a window's traffic is the same whether it is simulated live, as
 * history, or in a test that steps straight to it.
 */
export class Random {
	static stream(seed: number, ...keys: readonly number[]): Random {
		let h = avalanche(seed ^ 0x5b_d1_e9_95);
		for (const key of keys) {
			// Window numbers exceed 32 bits only after the year 10,000, but keep the high part anyway.
			h = avalanche(h ^ avalanche(key | 0) ^ avalanche(Math.floor(key / 0x1_00_00_00_00)));
		}

		return new Random(xoroshiro128plus(h));
	}

	private constructor(private readonly generator: RandomGenerator) {}

	/** Integer in [min, max], both included. */
	int(min: number, max: number): number {
		return uniformInt(this.generator, min, max);
	}

	/** Float in [0, 1). */
	float(): number {
		return uniformFloat64(this.generator);
	}

	chance(probability: number): boolean {
		return this.float() < probability;
	}

	pick<T>(items: readonly T[]): T {
		if (items.length === 0) {
			throw new RangeError('cannot pick from an empty list');
		}

		return items[this.int(0, items.length - 1)]!;
	}

	/** Favours the front of the list: a few clients make most of the requests, as on the real internet. */
	pickSkewed<T>(items: readonly T[]): T {
		const u = this.float();
		return items[Math.floor(u * u * items.length)] ?? this.pick(items);
	}

	/** How many events of a Poisson process with this mean happen (Knuth; the means here are small). */
	poisson(mean: number): number {
		if (mean <= 0) {
			return 0;
		}

		// Past ~30 the product underflows slowly and costs many draws; a rounded normal is close enough.
		if (mean > 30) {
			const normal = Math.sqrt(-2 * Math.log(1 - this.float())) * Math.cos(2 * Math.PI * this.float());
			return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
		}

		const limit = Math.exp(-mean);
		let count = 0;
		let product = this.float();
		while (product > limit) {
			count++;
			product *= this.float();
		}

		return count;
	}
}
