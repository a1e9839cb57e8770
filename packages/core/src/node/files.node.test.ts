import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scratchDirs } from '@gan/test-utils/node';
import { describe, expect, it } from 'vitest';
import { resumeJsonl, writeFileAtomic } from './files';

const scratch = scratchDirs('gan-core-files-');

describe('Node file helpers', () => {
  it('resumeJsonl keeps the records up to the iteration, drops later ones and a cut line', async () => {
    const path = join(await scratch(), 'sub', 'log.jsonl');
    // No file and no folder yet: both made, the file empty.
    expect(await resumeJsonl(path, 5)).toEqual([]);
    expect(await readFile(path, 'utf8')).toBe('');
    await writeFile(path, '{"iteration":2,"a":1}\n{"iteration":4}\n{"iteration":6}\n{"itera');
    expect(await resumeJsonl(path, 4)).toEqual([{ iteration: 2, a: 1 }, { iteration: 4 }]);
    expect(await readFile(path, 'utf8')).toBe('{"iteration":2,"a":1}\n{"iteration":4}\n');
    // A run from iteration 0 starts the log anew.
    expect(await resumeJsonl(path, 0)).toEqual([]);
    expect(await readFile(path, 'utf8')).toBe('');
  });

  it('writeFileAtomic replaces a file whole and leaves no temporary file', async () => {
    const dir = await scratch();
    const file = join(dir, 'a.bin');
    await writeFileAtomic(file, 'old');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(file))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['a.bin']);
  });
});
