import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectArgError, expectArgErrorAsync } from '@gan/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFidArgs } from './cli/flags';
import { DEFAULT_BATCH_SIZE } from './extract';
import { loadInceptionV3 } from './inception-v3';

// The misuse cases that need Node: files (loadInceptionV3's `from`) and the gan-fid command line.
// The rest are in misuse.test.ts, on every backend.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gan-fid-misuse-'));
  await writeFile(join(dir, 'model.json'), '{ "format": "gan-fid-inception-v3", ');
});
afterAll(() => rm(dir, { recursive: true }));

describe('@gan/fid misuse (Node)', () => {
  it('#88: loadInceptionV3 names `from` when it cannot be read or is not JSON', async () => {
    await expectArgErrorAsync(
      () => loadInceptionV3({ from: join(dir, 'missing') }),
      'loadInceptionV3',
      'from',
      /from: cannot read '.*missing' \(ENOENT: no such file or directory/,
    );
    await expectArgErrorAsync(
      () => loadInceptionV3({ from: dir }),
      'loadInceptionV3',
      'from',
      /from: '.*model\.json' is not JSON \(/,
    );
  });

  it('loadInceptionV3 names `from` and the file when the weights do not match model.json', async () => {
    const bad = join(dir, 'bad');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(bad);
    await writeFile(
      join(bad, 'model.json'),
      JSON.stringify({
        format: 'gan-fid-inception-v3',
        weightsManifest: [
          { paths: ['weights.bin'], weights: [{ name: 'w', shape: [10], dtype: 'float32' }] },
        ],
      }),
    );
    await writeFile(join(bad, 'weights.bin'), new Uint8Array(8));
    await expectArgErrorAsync(
      () => loadInceptionV3({ from: bad }),
      'loadInceptionV3',
      'from',
      /^loadInceptionV3: from: '.*\/bad\/weights.bin' holds 8 bytes, but the 1 weight specs of '.*\/bad\/model.json' need 40$/,
    );
    await writeFile(join(bad, 'model.json'), '{ "format": "gan-fid-inception-v3" }');
    await expectArgErrorAsync(
      () => loadInceptionV3({ from: bad }),
      'loadInceptionV3',
      'from',
      /from: '.*\/bad\/model.json' has no weightsManifest/,
    );
  });

  it('loadInceptionV3 names `from` and the URL when a file: URL, an HTTP fetch or a scheme fails', async () => {
    const { pathToFileURL } = await import('node:url');
    // file: URLs are read as paths (Node's fetch has none).
    await expectArgErrorAsync(
      () => loadInceptionV3({ from: pathToFileURL(join(dir, 'missing')).href }),
      'loadInceptionV3',
      'from',
      /^loadInceptionV3: from: cannot read '.*missing' \(ENOENT/,
    );
    await expectArgErrorAsync(
      () => loadInceptionV3({ from: pathToFileURL(dir).href }),
      'loadInceptionV3',
      'from',
      /^loadInceptionV3: from: '.*model\.json' is not JSON \(/,
    );
    await expectArgErrorAsync(
      () => loadInceptionV3({ from: 's3://bucket/inception' }),
      'loadInceptionV3',
      'from',
      /from must be a path, or an http\(s\) or file URL of model.json, got 's3:\/\/bucket\/inception'/,
    );
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => {
      if (request.url === '/text/model.json') response.end('{ "format": ');
      else if (request.url === '/other/model.json')
        response.end('{ "format": "layers-model", "weightsManifest": [] }');
      else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      await expectArgErrorAsync(
        () => loadInceptionV3({ from: `${url}/inception` }),
        'loadInceptionV3',
        'from',
        new RegExp(
          `^loadInceptionV3: from: cannot fetch '${url}/inception/model.json' \\(HTTP 404 Not Found\\)$`,
        ),
      );
      await expectArgErrorAsync(
        () => loadInceptionV3({ from: `${url}/text/` }),
        'loadInceptionV3',
        'from',
        new RegExp(`^loadInceptionV3: from: ${url}/text/model.json is not JSON \\(`),
      );
      await expectArgErrorAsync(
        () => loadInceptionV3({ from: `${url}/other/model.json` }),
        'loadInceptionV3',
        'from',
        /from: http:.*\/other\/model.json is not tools\/convert-inception.py output \(format layers-model\)/,
      );
    } finally {
      await new Promise((done) => server.close(done));
    }
    // Nothing listens there any more: the network error is named too.
    await expectArgErrorAsync(
      () => loadInceptionV3({ from: `${url}/inception/model.json` }),
      'loadInceptionV3',
      'from',
      new RegExp(
        `^loadInceptionV3: from: cannot fetch '${url}/inception/model.json' \\(fetch failed`,
      ),
    );
  });

  const flags: [string[], string, RegExp][] = [
    [['--samples', 'abc'], '--samples', /--samples must be a positive integer, got 'abc'/],
    [['--samples', '0'], '--samples', /--samples must be a positive integer, got '0'/],
    [['--samples', '2.5'], '--samples', /--samples must be a positive integer, got '2\.5'/],
    [['--batch', 'x'], '--batch', /--batch must be a positive integer, got 'x'/],
    [
      ['--extractor', 'inception'],
      '--extractor',
      /--extractor must be 'nsfwjs' \| 'inception=PATH_OR_URL' \| 'random', got 'inception'/,
    ],
    [['--backend', 'gpu'], '--backend', /--backend must be 'tensorflow-gpu' \| .*'cpu', got 'gpu'/],
  ];
  it.each(flags)('#91: gan-fid a b %j names the flag', (args, flag, tail) => {
    expectArgError(() => parseFidArgs(['a', 'b', ...args]), 'gan-fid', flag, tail);
  });

  it('#91: gan-fid names an unknown flag; help and usage need no valid flags', () => {
    expectArgError(
      () => parseFidArgs(['a', 'b', '--sample', '3']),
      'gan-fid',
      undefined,
      /--sample/,
    );
    expect(parseFidArgs(['-h', '--samples', 'abc']).help).toBe('asked');
    expect(parseFidArgs(['a']).help).toBe('usage');
    // --batch defaults to the library's DEFAULT_BATCH_SIZE (16), as extractFeatures and fidEvaluator.
    expect(parseFidArgs(['a', 'b']).batchSize).toBe(DEFAULT_BATCH_SIZE);
    expect(parseFidArgs(['a']).batchSize).toBe(16);
    // The command passes @gan/native-cpu's candidate: its name is a backend too.
    expect(parseFidArgs(['a', 'b', '--backend', 'native-cpu']).backend).toBe('native-cpu');
    expect(parseFidArgs(['a', 'b', '--precision-recall']).precisionRecall).toBe(true);
    expect(
      parseFidArgs(['a', 'b', '--samples', '8', '--batch', '4', '--extractor', 'inception=/m']),
    ).toEqual({
      inputs: ['a', 'b'],
      extractor: { kind: 'inception', from: '/m' },
      kid: false,
      precisionRecall: false,
      samples: 8,
      batchSize: 4,
      saveStats: undefined,
      backend: undefined,
      json: false,
    });
  });
});
