import { Agent, setGlobalDispatcher } from 'undici';

// The test process's fetch (Node's bundled undici) keeps an idle connection for as long as the server's
// Keep-Alive hint says, less one or two seconds: 63 s against Hoist's and the embedded store's 65 s. On
// this two-core box, with the browser suite beside it, the test's timers can run that late, and a request
// sent on a connection the server is closing just then fails with ECONNRESET (the 50-upload load test did,
// on a POST that is never retried). A browser resends such a request; a load balancer keeps its own idle
// timeout below the server's (AWS ALB: 60 s). The test client does the latter: idle connections close
// after at most 30 s, well before any server here closes them.
setGlobalDispatcher(new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 30_000 }));
