/**
 * Whether a move, copy or delete of many objects runs in this page (the object browser says so as it
 * starts and ends): signing out would cut it off between two calls, so Sign out asks first. Read at
 * the click only, so a plain flag.
 */
let running = false;

export const bucketRun = {
  get: (): boolean => running,
  set: (now: boolean): void => {
    running = now;
  },
};
