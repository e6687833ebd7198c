#!/bin/sh
# `npm test`: every test, in three steps, each step's parts side by side where the box has room.
#   1. The checks (scripts/check.sh: type check, ESLint, Prettier) beside the unit tests.
#   2. The page built, then the browser suite's tests without deadlines, on two workers.
#   3. The browser tests with deadlines, alone on one worker (see playwright.config.ts), and beside
#      them the contract suite at the lowest CPU priority: those browser tests mostly wait (an outage,
#      a throttled link), so the contract suite takes the CPU they leave idle, and a test with a
#      deadline sees next to nothing of it.
# A part's output is printed whole when it ends. Every step runs even if one before failed (a red
# check should not hide a red test), and it fails if any part failed.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
fail() {
  echo "npm test: $1 failed"
  status=1
}

sh scripts/check.sh >"$out/check" 2>&1 &
check=$!
npm run --silent test:unit || fail "unit tests"
wait $check || fail "the checks (type check, ESLint, Prettier)"
cat "$out/check"

npx vite build --logLevel warn || exit 1
E2E_WORKERS=${E2E_WORKERS:-2} playwright test --project=shared || fail "browser tests (shared pass)"

HOIST_TEST_LOW_PRIORITY=1 nice -n 19 npm run --silent test:contract >"$out/contract" 2>&1 &
contract=$!
playwright test --project=timed || fail "browser tests (timed pass)"
echo "npm test: contract suite (ran beside the timed browser tests; waiting for it if still running)"
wait $contract || fail "contract tests"
cat "$out/contract"
exit $status
