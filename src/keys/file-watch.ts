// Watching one file for changes that survive rename-replaces: a directory watch, a stat poll, and a debounce.
import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fsReason } from '../safety/paths.js';

/** How {@link watchFile} watches. @internal */
export interface WatchFileOptions {
  /** Quiet time (ms) after an event before `onEvent` runs. */
  debounceMs: number;
  /** Period (ms) of the `fs.stat` safety-net poll. */
  pollMs: number;
  /** How messages name the file. */
  description: string;
  /** Told when the directory cannot be watched (the poll then works alone). */
  onError: (message: string) => void;
}

/**
 * Calls `onEvent` (debounced) whenever the file may have changed, and once soon after the start,
 * to catch a change made just before. The caller compares contents: events include noise. The
 * directory is watched because a watch on the file goes deaf after a rename; a stat poll of
 * mtime, size and inode backs it up. Nothing here keeps the process alive.
 * @returns a function that stops watching
 * @internal
 */
export function watchFile(path: string, options: WatchFileOptions, onEvent: () => void): () => void {
  const { debounceMs, pollMs, description, onError } = options;
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(onEvent, debounceMs).unref();
  };
  schedule();
  let watcher: FSWatcher | undefined;
  const fallBack = (err: unknown): void => {
    watcher?.close();
    watcher = undefined;
    onError(`${description}: cannot watch its directory (${fsReason(err)}); checking every ${pollMs} ms instead`);
  };
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
      // null: the platform did not say which file; `..data`: a Kubernetes secret volume update.
      if (filename === null || filename === name || filename === '..data') schedule();
    });
    watcher.on('error', fallBack).unref();
  } catch (err) {
    fallBack(err);
  }
  let stat = statSignature(path);
  const poll = setInterval(() => {
    const now = statSignature(path);
    if (now !== stat) schedule();
    stat = now;
  }, pollMs).unref();
  return () => {
    watcher?.close();
    clearInterval(poll);
    clearTimeout(timer);
  };
}

/** What the poll compares: mtime, size and inode, or why the file cannot be stat'ed. @internal */
export function statSignature(path: string): string {
  try {
    const { mtimeMs, size, ino } = statSync(path);
    return `stat:${mtimeMs}:${size}:${ino}`;
  } catch (err) {
    return `error:${fsReason(err)}`;
  }
}
