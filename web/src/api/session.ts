import { PageSession } from '../transfer/shared/session.ts';

/**
 * This page's session with the Hoist server, shared by the transfer engines (a call refused 401 says
 * it is lost, and they wait) and the page (it shows the sign-in form, and says when signed in again).
 */
export const pageSession = new PageSession();
