/** What a transfer row (and the downloads' totals) says while it waits to go on by itself. */
export const WAITING_TEXT = {
  connection: 'Waiting for the connection…',
  server: 'Waiting for the Hoist server…',
  store: 'Waiting for the storage to answer again…',
  'sign-in': 'Waiting for you to sign in…',
  'other-tab': 'Waiting for the other tab sending this file…',
} as const satisfies Record<string, string>;
