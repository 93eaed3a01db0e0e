// Every fast-check property in a run draws from one seed: FC_SEED, set by the vitest config (a fresh one per run,
// printed at its start; `FC_SEED=<seed> npm test` replays a run). fast-check prints the seed and path of a failure.
import fc from 'fast-check';

const seed = Number(process.env.FC_SEED);
if (Number.isInteger(seed)) fc.configureGlobal({ seed });
