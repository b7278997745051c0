#!/usr/bin/env bash
# The release workflow's gate: runs `release verify --env ENV` and acts on the release tool's exit code.
#   0  passed                       verdict=passed; the job goes on (promotion).
#   1  a gate failed                verdict=failed; the job fails and its next step rolls the environment back.
#   2  undecidable (Prometheus or the cluster unreachable, too many measurement errors)
#                                   verify again after a pause; still 2: verdict=undecidable, the job fails with no
#                                   rollback and no promotion. Nothing is known to be wrong, so a person decides
#                                   (re-run the job, or `release rollback`); the in-cluster guard keeps checking.
# The tool writes its report (gate table, error ratio and p99 chart) to the job summary under GitHub Actions; if it
# did not, its output is copied there so every verdict is readable from the run page.
set -uo pipefail
env=${1:?usage: verify-gate.sh <env>}
attempts=${VERIFY_ATTEMPTS:-2}
pause=${VERIFY_RETRY_PAUSE_SECONDS:-60}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
out=${GITHUB_OUTPUT:-/dev/null}

rc=2
for attempt in $(seq 1 "$attempts"); do
  log=$(mktemp)
  before=$(wc -c <"$summary" 2>/dev/null || echo 0)
  npm run --silent release -- verify --env "$env" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  after=$(wc -c <"$summary" 2>/dev/null || echo 0)
  if [ "$summary" != /dev/null ] && [ "$after" = "$before" ]; then
    { echo "### release verify --env $env (attempt $attempt): exit $rc"; echo '```'; cat "$log"; echo '```'; } >>"$summary"
  fi
  rm -f "$log"
  [ "$rc" = 2 ] || break
  if [ "$attempt" -lt "$attempts" ]; then
    echo "::warning title=verify $env undecidable::attempt $attempt of $attempts could not decide; retrying in ${pause}s"
    sleep "$pause"
  fi
done

case $rc in
  0)
    echo "verdict=passed" >>"$out"
    echo "**$env: verified** — the release passed every gate." >>"$summary"
    ;;
  1)
    echo "verdict=failed" >>"$out"
    echo "::error title=verify $env failed::a gate failed; rolling $env back to its last verified release"
    echo "**$env: a gate failed** — rolling back to the last verified release." >>"$summary"
    ;;
  2)
    echo "verdict=undecidable" >>"$out"
    echo "::error title=verify $env undecidable::no verdict after $attempts attempts; not promoted, not rolled back — re-run this job or run release rollback"
    echo "**$env: undecidable** — not promoted and not rolled back; re-run the job once Prometheus and the cluster answer, or roll back by hand." >>"$summary"
    ;;
  *)
    echo "verdict=error" >>"$out"
    echo "::error title=verify $env crashed::release verify exited $rc (not a documented verdict)"
    ;;
esac
exit "$rc"
