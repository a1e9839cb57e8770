// One definition for every package (fid's evaluator takes the same `every`).
export { type Every, everyArg, isDue } from '@gan/core';
