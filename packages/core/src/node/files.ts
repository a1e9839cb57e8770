import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `file` whole or not at all (a temporary file renamed over it): a crash never leaves half a file. */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  await writeFile(`${file}.tmp`, data);
  await rename(`${file}.tmp`, file);
}

/**
 * A JSON-lines log (one record with an `iteration` per line) for a run that starts at
 * `iteration`: from 0, or without the file, the file starts empty; after a resume it keeps the
 * records up to that iteration and drops the later ones (written after the checkpoint, before
 * the stop) and a line cut short. Rewrites the file so, creates its folder, returns the records kept.
 */
export async function resumeJsonl<T extends { iteration: number }>(
  path: string,
  iteration: number,
): Promise<T[]> {
  await mkdir(dirname(path), { recursive: true });
  const old = iteration === 0 ? '' : await readFile(path, 'utf8').catch(() => '');
  const kept: { line: string; record: T }[] = [];
  for (const line of old.split('\n')) {
    try {
      const record = JSON.parse(line) as T;
      if (record.iteration <= iteration) kept.push({ line, record });
    } catch {
      // empty, or cut short by the stop
    }
  }
  await writeFile(path, kept.map(({ line }) => `${line}\n`).join(''));
  return kept.map(({ record }) => record);
}
