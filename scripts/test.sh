#!/bin/sh
# `npm test`: every test, in three steps, with work beside them at the lowest CPU priority where the
# box has room. The checks (scripts/check.sh: type check, ESLint, Prettier, which have no clock to
# miss) run that way from the start, beside all three.
#   1. The unit tests.
#   2. The page built, then the browser suite's tests without deadlines, on two workers.
#   3. The browser tests with deadlines, alone on one worker (see playwright.config.ts), and beside
#      them the contract suite at the lowest CPU priority: those browser tests mostly wait (an outage,
#      a throttled link), so the contract suite takes the CPU they leave idle. On the 2-core CI box the
#      timed pass took 9.3 min beside it against 8.3 alone, and the contract suite 5.6 min there against
#      2.4 alone, ahead of everything: 1.4 min saved. (Session 36 measured the same layout as slower, but
#      from the shared pass, which runs before it and varies by 2 min from run to run.)
# A part's output is printed whole when it ends. Every step runs even if one before failed (a red
# check should not hide a red test), and it fails if any part failed.
out=$(mktemp -d)
check=
contract=
# Stopped with the script (Ctrl+C, a CI time limit): what runs in the background too.
trap 'for p in $check $contract; do kill "$p" 2>/dev/null; done; rm -rf "$out"' EXIT
trap 'exit 130' INT TERM
status=0
fail() {
  echo "npm test: $1 failed"
  status=1
}

nice -n 19 sh scripts/check.sh >"$out/check" 2>&1 &
check=$!
npm run --silent test:unit || fail "unit tests"

built=true
npx vite build --logLevel warn || {
  fail "the page's build (the browser tests cannot run)"
  built=false
}
if $built; then
  E2E_WORKERS=${E2E_WORKERS:-2} playwright test --project=shared || fail "browser tests (shared pass)"
fi
# Told to whoever waits for the shared pass to end (CI's contract suite against Ceph RGW, .ci/run).
[ -n "${HOIST_SHARED_PASS_DONE:-}" ] && touch "$HOIST_SHARED_PASS_DONE"

HOIST_TEST_LOW_PRIORITY=1 nice -n 19 npm run --silent test:contract >"$out/contract" 2>&1 &
contract=$!
if $built; then
  playwright test --project=timed || fail "browser tests (timed pass)"
fi
echo "npm test: the checks (ran beside the tests)"
wait $check || fail "the checks (type check, ESLint, Prettier)"
check=
cat "$out/check"
echo "npm test: contract suite (ran beside the timed browser tests; waiting for it if still running)"
wait $contract || fail "contract tests"
contract=
cat "$out/contract"
[ $status -eq 0 ] || echo "npm test: failed (see above)"
exit $status
