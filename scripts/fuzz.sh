#!/usr/bin/env bash
# Fuzzes everything shipgate reads from outside (carrier responses and pushes, public
# request bodies; see conformance/src/lib.rs) and fails on any crash, printing its reproducer.
#
#   scripts/fuzz.sh                 # every target, about a minute in all (CI), one per core
#   scripts/fuzz.sh 600             # every target for 600 s each
#   scripts/fuzz.sh 300 delhivery_track shipment_request   # chosen targets only
#
# Installs cargo-fuzz when missing. cargo-fuzz passes nightly-only flags to rustc; only a
# stable toolchain is assumed, so RUSTC_BOOTSTRAP=1 lets stable accept them.
# FUZZ_OPTIONAL=1: a machine that cannot install or build the fuzzers skips them with a
# warning instead of failing (CI leaves it unset).
# FUZZ_SANITIZER: `none` (default: the targets are safe Rust, where the crashes worth
# finding are panics and overflows, and AddressSanitizer doubles the build and run time)
# or `address`.
# FUZZ_BUILD_ONLY=1: build the fuzz binary and stop (scripts/test.sh builds it in the
# background while the contract check runs).
#
# Inputs that grow coverage are kept in fuzz/corpus/<target> (not committed), so later
# runs start where earlier ones stopped; fuzz/seeds/<target> and the carrier's
# fixtures/ are read as seeds. A crash lands in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
started_all=$(date +%s)

export RUSTC_BOOTSTRAP=1
SANITIZER=${FUZZ_SANITIZER:-none}
TOTAL_DEFAULT=60

log() { printf '\n==> %s\n' "$*" >&2; }

unavailable() {
    if [ "${FUZZ_OPTIONAL:-0}" = 1 ]; then
        echo "WARNING: fuzzing skipped: $*" >&2
        exit 0
    fi
    echo "fuzzing is not possible here: $* (FUZZ_OPTIONAL=1 skips it)" >&2
    exit 1
}

if ! cargo fuzz --version >/dev/null 2>&1; then
    log "installing cargo-fuzz"
    cargo install cargo-fuzz --locked || unavailable "cargo-fuzz could not be installed"
fi

log "building the fuzz binary (sanitizer: $SANITIZER)"
started=$(date +%s)
cargo fuzz build --sanitizer "$SANITIZER" --debug-assertions readers \
    || unavailable "the fuzz binary did not build"
log "built in $(( $(date +%s) - started )) s"
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0
triple=$(rustc -vV | sed -n 's/^host: //p')
bin=fuzz/target/$triple/release/readers

# One target per reader, named as `conformance::parsers()` names them.
known=$(SHIPGATE_FUZZ_TARGET=list "$bin")
if [ $# -gt 1 ]; then
    targets=("${@:2}")
    for target in "${targets[@]}"; do
        grep -qx "$target" <<<"$known" || { echo "no fuzz target \`$target\`; they are: $(echo $known)" >&2; exit 1; }
    done
else
    mapfile -t targets <<<"$known"
fi
# As many targets at once as there are cores (FUZZ_JOBS to change it): each runs alone
# on its core, so the budget per target holds and the whole run takes 1/cores the time.
jobs=${FUZZ_JOBS:-$(nproc)}
default_per_target=$(( TOTAL_DEFAULT * jobs / ${#targets[@]} ))
per_target=${1:-$(( default_per_target > 0 ? default_per_target : 1 ))}

# Fuzzes one target; a crash leaves its log in $results/<target>.crashed.
fuzz_one() {
    local target=$1 corpus=fuzz/corpus/$1 artifacts=fuzz/artifacts/$1 carrier="" name
    mkdir -p "$corpus" "$artifacts"
    local seeds=()
    [ -d "fuzz/seeds/$target" ] && seeds+=("fuzz/seeds/$target")
    # The carrier's fixtures: the longest fixtures/<carrier> the target's name starts with
    # (`dhl_express_track` reads fixtures/dhl_express).
    for dir in fixtures/*/; do
        name=$(basename "$dir")
        case "$target" in "${name}_"*) [ ${#name} -gt ${#carrier} ] && carrier=$name ;; esac
    done
    [ -n "$carrier" ] && seeds+=("fixtures/$carrier")
    local out=$results/$target.log
    if SHIPGATE_FUZZ_TARGET=$target "$bin" "$corpus" "${seeds[@]}" \
        -max_total_time="$per_target" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$out" 2>&1; then
        printf '==> %s: %s s: %s\n' "$target" "$per_target" \
            "$(grep -E '^stat::(number_of_executed_units|new_units_added)' "$out" | tr '\n' ' ')" >&2
    else
        mv "$out" "$results/$target.crashed"
    fi
    return 0
}

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
log "fuzzing ${#targets[@]} targets, ${per_target} s each, $jobs at a time"
running=0
for target in "${targets[@]}"; do
    fuzz_one "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

failed=()
for target in "${targets[@]}"; do
    crashed=$results/$target.crashed
    [ -e "$crashed" ] || continue
    # The crash report, without libFuzzer's progress lines.
    log "$target crashed"
    grep -v -E '^#[0-9]+|NEW_FUNC' "$crashed" >&2
    reproducer=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$crashed" | tail -n 1)
    failed+=("$target: reproduce with \`SHIPGATE_FUZZ_TARGET=$target $bin ${reproducer:-<see the log above>}\`")
done

if [ ${#failed[@]} -gt 0 ]; then
    log "fuzzing found crashes (reproduce from the repository root)"
    printf '  %s\n' "${failed[@]}" >&2
    exit 1
fi
log "no crash in ${#targets[@]} targets ($(( $(date +%s) - started_all )) s in all)"
