import { argError, positiveInteger } from './args';

/** When something periodic runs: every `iterations` iterations, or at the end of every `epochs` epochs. */
export type Every = { iterations: number } | { epochs: number };

/** `every` checked and normalised (a bare number counts iterations). */
export function everyArg(fn: string, arg: string, every: unknown): Every {
  if (typeof every === 'number') return { iterations: positiveInteger(fn, arg, every) };
  const e = every as Partial<Record<'iterations' | 'epochs', unknown>> | null;
  const keys = e != null && typeof e === 'object' ? Object.keys(e) : [];
  if (keys.length !== 1 || (keys[0] !== 'iterations' && keys[0] !== 'epochs'))
    argError(fn, arg, '{ iterations: n } or { epochs: n }', every);
  const key = keys[0] as 'iterations' | 'epochs';
  positiveInteger(fn, `${arg}.${key}`, e?.[key]);
  return every as Every;
}

/** Whether `every` falls due now: after `count` iterations (`event: 'iteration'`) or epochs. */
export function isDue(every: Every, event: 'iteration' | 'epoch', count: number): boolean {
  if ('iterations' in every) return event === 'iteration' && count % every.iterations === 0;
  return event === 'epoch' && count % every.epochs === 0;
}
