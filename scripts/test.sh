#!/bin/sh
# `npm test`: every test. The type check and lint, the unit tests, then the browser tests in two passes
# (see playwright.config.ts): those without deadlines on two workers, then the timed ones alone on one,
# with the contract suite beside them at the lowest CPU priority. The timed tests mostly wait (an
# outage, an offline spell, a throttled link) and leave a core idle; the contract suite takes it, and
# gets next to nothing of the CPU while a timed test wants it (ahead of them, it ran 2.5 min on its own).
# Any failing pass fails it; a failing check or unit test stops it at once.
sh scripts/check.sh || exit 1
npm run --silent test:unit || exit 1
vite build --logLevel warn || exit 1
E2E_WORKERS=${E2E_WORKERS:-2} playwright test --project=shared
shared=$?
out=$(mktemp)
HOIST_TEST_LOW_PRIORITY=1 nice -n 19 vitest run --project contract >"$out" 2>&1 &
contract=$!
trap 'kill $contract 2>/dev/null; rm -f "$out"' EXIT
trap 'exit 130' INT TERM
playwright test --project=timed
timed=$?
echo "test: the contract suite (ran beside the timed browser tests; waiting for it if still running)"
wait $contract
status=$?
cat "$out"
[ $shared -eq 0 ] && [ $timed -eq 0 ] && [ $status -eq 0 ]
