// The writer of model-dir.node.test.ts's kill test (plain JavaScript on the built package, run
// by `node`, killed with SIGKILL at random moments): writes versions 1, 2, 3, … of a 2 MB model
// into DIR, each one's weight bytes all equal to its version (mod 256) and its topology naming
// it, and prints each version once it is written.
//   node write-child.mjs DIR
import { writeModelDir } from '../../dist/node.js';

const dir = process.argv[2];
const size = 1 << 19;
for (let version = 1; ; version++) {
  await writeModelDir(dir, {
    modelTopology: { version },
    format: 'layers-model',
    weightSpecs: [{ name: 'w', shape: [size], dtype: 'float32' }],
    weightData: new Uint8Array(size * 4).fill(version % 256).buffer,
  });
  process.stdout.write(`${version}\n`);
}
