/** A file a loader could not use, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** What a loader did: images kept, files skipped (never a crash), duplicates dropped. */
export interface LoadReport {
  images: number;
  skipped: SkippedFile[];
  duplicates: number;
  /** Whether the pixels came from a cache (Node). */
  fromCache: boolean;
}

/** Called as work progresses: `done` of `total` files. */
export type ProgressFn = (done: number, total: number) => void;
