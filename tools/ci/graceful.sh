#!/usr/bin/env bash
# Runs a GitHub Actions step so that cancelling the run stops Terraform gracefully. Use it as the step's
# shell:   shell: bash tools/ci/graceful.sh {0}
#
# On cancel (or a job timeout) the runner sends SIGINT to the step's entry process, SIGTERM 7.5 s later and
# kills the process tree 2.5 s after that. A plain `run:` step never passes the signal on (bash waits for
# its foreground command), so Terraform is killed at 10 s without writing its state; and a second signal
# would make Terraform exit without writing it. Here the step runs as its own process group and, on the
# first signal only, that group gets one SIGINT: Terraform run directly gets it, and our Node commands
# (plan.js, recover.js, audit.js) pass exactly one interrupt to the Terraform they run. Later signals
# change nothing. The step's exit code is passed through.
set -u
set -m # job control: the step gets its own process group (its id is the step's pid)
bash --noprofile --norc -eo pipefail "$1" &
step=$!
set +m
forwarded=0
forward() {
  if [ "$forwarded" = 0 ]; then
    forwarded=1
    echo "::warning::$1 received: Terraform got one interrupt and is writing its state (the runner kills the step 10 s after its first signal)." >&2
    kill -INT -- "-$step" 2>/dev/null || true
  else
    echo "graceful.sh: $1 again: still waiting for Terraform to write its state" >&2
  fi
}
trap 'forward SIGINT' INT
trap 'forward SIGTERM' TERM
code=0
while :; do
  wait "$step"
  code=$?
  kill -0 "$step" 2>/dev/null || break
done
exit "$code"
