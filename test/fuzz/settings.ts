import process from 'node:process';

/**
 * How hard the fuzz suites try. `npm test` runs them with a fixed seed, so a failure there is a
 * failure every time; `npm run fuzz` runs fifty times the cases from a random seed it prints, and
 * FLOWTOP_FUZZ_SEED=<seed> replays a run.
 */
const long = process.env.FLOWTOP_FUZZ === 'long';
const FIXED_SEED = 20_261_128;
export const LONG_FACTOR = 50;

const given = process.env.FLOWTOP_FUZZ_SEED;
const seed = given === undefined ? (long ? Math.floor(Math.random() * 0x7f_ff_ff_ff) : FIXED_SEED) : Number(given);

if (long || given !== undefined) {
	console.log(`fuzz seed ${seed}: replay with FLOWTOP_FUZZ_SEED=${seed} npm run fuzz`);
}

// `npm run mutate` runs the properties covering a mutant once per mutant: a tenth of the cases is
// enough to see a one-line change, and lets a run of a folder end within the hour.
const mutating = process.env.MUTATION_TESTS !== undefined;

/** fast-check parameters for a property run `numRuns` times in `npm test`. */
export function fuzz(numRuns: number): {seed: number; numRuns: number} {
	return {seed, numRuns: long ? numRuns * LONG_FACTOR : mutating ? Math.ceil(numRuns / 10) : numRuns};
}
