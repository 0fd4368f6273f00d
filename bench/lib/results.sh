# Results-file convention shared by every bench/*/run (sourced, not run). See bench/README.md,
# "The results file".
#
# A benchmark declares its rows up front, then fills them in once measured:
#
#   source "$REPO/bench/lib/results.sh"
#   bench_init commit "$@"                          # name; handles --quick (sets BENCH_QUICK=1)
#   bench_declare inproc "in-process commit, CPU time" "tar | pigz -p 2 -6" "CPU s" "ratio<=1.0"
#   bench_need "apt-get install pigz" pigz          # a missing tool: every row says so, exit 0
#   ...measure...
#   bench_row inproc 8.33 7.75                      # Minke median, peer median (same unit)
#
# Rows go to $BENCH_RESULTS (bench/run sets it; default $SCRATCH/results/NAME.tsv) as
# tab-separated lines:  bench case minke unit peer peer_median ratio target met note
# ratio is minke/peer (lower is better for Minke: the figures are times); target is
# "ratio<=X", "minke<=X" (an absolute bound in the row's unit) or "-"; met is yes, no or "-".

bench_init() { # NAME [ARGS...]
  BENCH_NAME=$1; shift
  local arg
  for arg in "$@"; do
    case $arg in
      --quick) BENCH_QUICK=1 ;;
      *) printf 'unknown argument: %s (only --quick; counts come from the environment)\n' "$arg" >&2; exit 2 ;;
    esac
  done
  BENCH_QUICK=${BENCH_QUICK:-0}
  BENCH_RESULTS=${BENCH_RESULTS:-${SCRATCH:-/var/tmp/minke-bench}/results/$BENCH_NAME.tsv}
  mkdir -p "$(dirname "$BENCH_RESULTS")"
  printf 'bench\tcase\tminke\tunit\tpeer\tpeer_median\tratio\ttarget\tmet\tnote\n' > "$BENCH_RESULTS"
  declare -gA BENCH_LABEL=() BENCH_PEER=() BENCH_UNIT=() BENCH_TARGET=()
  declare -ga BENCH_KEYS=()
}

bench_quick() { [[ $BENCH_QUICK == 1 ]]; }

bench_declare() { # KEY "case label" "peer" "unit" "target"
  BENCH_KEYS+=("$1")
  BENCH_LABEL[$1]=$2 BENCH_PEER[$1]=$3 BENCH_UNIT[$1]=$4 BENCH_TARGET[$1]=$5
}

bench_row() { # KEY MINKE_MEDIAN [PEER_MEDIAN|-] [NOTE]
  local key=$1 minke=$2 peer=${3:--} note=${4:-} ratio=- met=- target=${BENCH_TARGET[$1]}
  if [[ $minke != - && $peer != - ]] && awk -v p="$peer" 'BEGIN {exit !(p > 0)}'; then
    ratio=$(awk -v m="$minke" -v p="$peer" 'BEGIN {printf "%.3g", m / p}')
  fi
  case $target in
    ratio\<=*) [[ $ratio != - ]] && met=$(awk -v v="$ratio" -v t="${target#ratio<=}" 'BEGIN {print (v <= t) ? "yes" : "no"}') ;;
    minke\<=*) [[ $minke != - ]] && met=$(awk -v v="$minke" -v t="${target#minke<=}" 'BEGIN {print (v <= t) ? "yes" : "no"}') ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$BENCH_NAME" "${BENCH_LABEL[$key]}" "$minke" \
    "${BENCH_UNIT[$key]}" "${BENCH_PEER[$key]}" "$peer" "$ratio" "$target" "$met" "$note" >> "$BENCH_RESULTS"
}

bench_skip() { # NOTE: every declared row, unmeasured, with NOTE (then the caller exits 0)
  local key
  for key in "${BENCH_KEYS[@]}"; do bench_row "$key" - - "$1"; done
  printf '%s: %s\n' "$BENCH_NAME" "$1" >&2
}

bench_need() { # "how to install" TOOL...: skip the whole benchmark (exit 0) when a tool is missing
  local how=$1 tool missing=(); shift
  for tool in "$@"; do command -v "$tool" > /dev/null || missing+=("$tool"); done
  (( ${#missing[@]} == 0 )) && return 0
  bench_skip "peer not installed: ${missing[*]} ($how)"
  exit 0
}

bench_need_root() {
  [[ $(id -u) == 0 ]] && return 0
  bench_skip "not measured: needs root (containers and mounts)"
  exit 0
}
