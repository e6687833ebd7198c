#!/bin/sh
# Typecheck and lint side by side (each is one process on one core): the type check and ESLint at once,
# then Prettier. Each one's output is printed whole when it ends; it fails if any of them fails.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npm run --silent typecheck >"$out/typecheck" 2>&1 &
tsc=$!
npx eslint . >"$out/eslint" 2>&1 &
eslint=$!
status=0
wait $tsc || { echo "typecheck failed:"; status=1; }
cat "$out/typecheck"
wait $eslint || { echo "eslint failed:"; status=1; }
cat "$out/eslint"
npx prettier --check . || status=1
exit $status
