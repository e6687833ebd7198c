#!/bin/sh
# The browser suite in two passes (see playwright.config.ts): the tests without deadlines on two
# workers, then the timed ones alone on one. Both passes always run, and any arguments (a spec file,
# --grep) go to both; it fails if either fails.
E2E_WORKERS=${E2E_WORKERS:-2} playwright test --project=shared --pass-with-no-tests "$@"
shared=$?
playwright test --project=timed --pass-with-no-tests "$@" || exit
exit $shared
