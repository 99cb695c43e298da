#!/usr/bin/env bash
# Nightly forecast refresh: the command cron or systemd runs (see docs/refresh.md).
#
#   scripts/nightly_refresh.sh [CONFIG]
#
# Settings (environment; defaults in brackets):
#   NETDESIGN_HOME          the netdesign checkout            [this script's parent folder]
#   NETDESIGN_CONFIG        study config (YAML)               [$NETDESIGN_HOME/configs/hangzhou.yaml]
#   NETDESIGN_STORE         folder with models/, forecasts/, state/   [$NETDESIGN_HOME]
#   NETDESIGN_DATA_DIR      where new volume files arrive     [$NETDESIGN_STORE/incoming]
#   NETDESIGN_BIN           the netdesign command             [$NETDESIGN_HOME/.venv/bin/netdesign]
#   NETDESIGN_REFRESH_ARGS  extra options, e.g. "--resolve"   []
#
# Exit codes (those of `netdesign refresh`): 0 ok or nothing to do, 2 invalid input,
# 3 another refresh is running, 1 other failure. stdout: one JSON summary line.
set -euo pipefail

home="${NETDESIGN_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
config="${1:-${NETDESIGN_CONFIG:-$home/configs/hangzhou.yaml}}"
store="${NETDESIGN_STORE:-$home}"
data_dir="${NETDESIGN_DATA_DIR:-$store/incoming}"
bin="${NETDESIGN_BIN:-$home/.venv/bin/netdesign}"

# One BLAS thread per worker process: the forecast fan-out uses one process per core.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

mkdir -p "$data_dir"
cd "$store"
# shellcheck disable=SC2086  # NETDESIGN_REFRESH_ARGS is a list of options on purpose
exec "$bin" refresh "$config" --store "$store" --data-dir "$data_dir" ${NETDESIGN_REFRESH_ARGS:-}
