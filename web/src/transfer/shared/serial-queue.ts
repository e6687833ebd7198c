/**
 * Runs async tasks one at a time, in the order they were queued; a task that fails does not stop the
 * ones behind it. The hash worker uses it so the part needed first is hashed first, instead of every
 * queued part sharing the worker and finishing together.
 */
import { taskLimit, type TaskLimit } from './task-limit.ts';

export type SerialQueue = TaskLimit;

export function serialQueue(): SerialQueue {
  return taskLimit(1);
}
