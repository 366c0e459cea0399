#!/usr/bin/env bash
# CI gate (bash): rehearse the migrations of this pull request on a throwaway PostgreSQL and publish the
# JUnit report. Needs the .NET SDK and PostgreSQL's server binaries (initdb, postgres) on the runner.
# Exit code: 0 passed, 1 a check failed (lint, slow, undo, re-apply...), 2 usage, 3 could not run.
set -euo pipefail
migrations="${1:-db/migration}"
reports="${REPORT_DIR:-rehearsal}"
mkdir -p "$reports"
status=0
# Thresholds: SLOW_MIGRATION / LINT_LEVEL when set, else the repository's schemaops.json (slowThreshold,
# lintLevel), else 30s and warning.
schemaops rehearse "$migrations" \
  ${SLOW_MIGRATION:+--slow "$SLOW_MIGRATION"} \
  ${LINT_LEVEL:+--lint-level "$LINT_LEVEL"} \
  --report "$reports/rehearsal.xml" --report "$reports/rehearsal.md" --report "$reports/rehearsal.html" || status=$?
# A summary in the job's page (GitHub Actions), whatever the verdict.
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$reports/rehearsal.md" ]; then cat "$reports/rehearsal.md" >> "$GITHUB_STEP_SUMMARY"; fi
exit "$status"
