/**
 * The environment for a Hoist or store process a test starts: this one's, without the S3 settings
 * of whatever endpoint the test run itself points at (the contract suite runs again with
 * S3_ENDPOINT set to Ceph RGW), plus what the test asks for.
 */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(S3_|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_ENDPOINT_URL)/.test(k),
    ),
  );
  return { ...inherited, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env };
}

/**
 * How long a test waits for a process it started to say it is ready. A start is 2-3 s on a quiet
 * machine, but CI runs the contract suite a second time at the lowest CPU priority beside the browser
 * suite, where compiling the server on the fly (tsx) has taken more than 30 s with nothing printed.
 * Within the contract project's 120 s hook and test timeouts.
 */
export const PROCESS_START_TIMEOUT_MS = 90_000;
