#!/usr/bin/env bash
# The GitHub Action's one step (action.yml): install irsalint, lint, then write what GitHub
# shows: annotations (the job log in `format`), SARIF (`sarif-file`), a Markdown job summary
# ($GITHUB_STEP_SUMMARY) and the counts as step outputs ($GITHUB_OUTPUT). Exits with the
# gate's status: 0 clean, 1 findings at `fail-on` or above, 2 usage or I/O error.
#
# Inputs come as INPUT_* variables (see action.yml). IRSALINT_BIN names a binary to use as it
# is (tests, self-hosted runners); otherwise the binary is installed once into
# IRSALINT_INSTALL_DIR (cached by the action): from PyPI when INPUT_VERSION is set, else built
# from the action's own source with `cargo install --locked`.
set -euo pipefail

action_dir="$(cd "$(dirname "$0")/.." && pwd)"
paths_input="${INPUT_PATHS:-.}"
fail_on="${INPUT_FAIL_ON:-warning}"
format="${INPUT_FORMAT:-github}"
sarif_file="${INPUT_SARIF_FILE-irsalint.sarif}"
extra_args="${INPUT_ARGS:-}"
version="${INPUT_VERSION:-}"
install_dir="${IRSALINT_INSTALL_DIR:-${RUNNER_TOOL_CACHE:-${TMPDIR:-/tmp}}/irsalint/${version:-source}}"

install() {
    if [ -n "${IRSALINT_BIN:-}" ]; then
        echo "$IRSALINT_BIN"
        return
    fi
    local bin="$install_dir/bin/irsalint"
    if [ -x "$bin" ]; then
        echo "irsalint: using the cached $bin" >&2
    elif [ -n "$version" ]; then
        echo "irsalint: installing irsalint==$version from PyPI into $install_dir" >&2
        python3 -m pip install --quiet --disable-pip-version-check \
            --target "$install_dir/python" "irsalint==$version" >&2
        mkdir -p "$install_dir/bin"
        ln -sf "$install_dir/python/bin/irsalint" "$bin"
    else
        echo "irsalint: building $action_dir with cargo into $install_dir" >&2
        cargo install --locked --quiet --path "$action_dir" --root "$install_dir" >&2
    fi
    echo "$bin"
}

bin="$(install)"
"$bin" --version >&2

# Paths: separated by spaces or new lines (a path with a space cannot be given here; use
# `args` and an irsalint.toml instead). Extra arguments are split the same way.
read -r -a paths <<<"$(printf '%s' "$paths_input" | tr '\n' ' ')" || true
[ "${#paths[@]}" -gt 0 ] || paths=(.)
read -r -a extra <<<"$(printf '%s' "$extra_args" | tr '\n' ' ')" || true
# `irsalint map` shares only the configuration with `lint`.
extra_map=()
for ((i = 0; i < ${#extra[@]}; i++)); do
    case "${extra[$i]}" in
    --config) extra_map+=(--config "${extra[$((i + 1))]:-}") && i=$((i + 1)) ;;
    --config=*) extra_map+=("${extra[$i]}") ;;
    esac
done

case "$fail_on" in error | warning | info) ;; *)
    echo "::error title=irsalint::fail-on must be error, warning or info, not '$fail_on'"
    exit 2
    ;;
esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The gate: the JSON report carries the counts and findings the summary is made of.
set +e
"$bin" lint --format json --fail-on "$fail_on" "${extra[@]}" -- "${paths[@]}" >"$tmp/report.json" 2>"$tmp/stderr"
status=$?
set -e
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    cat "$tmp/stderr" >&2
    msg="$(head -n 1 "$tmp/stderr")"
    echo "::error title=irsalint::${msg:-irsalint exited $status}"
    exit "$status"
fi

# What the log shows (annotations by default); its exit status is the gate's, already known.
"$bin" lint --format "$format" --color never "${extra[@]}" -- "${paths[@]}" || true

if [ -n "$sarif_file" ]; then
    mkdir -p "$(dirname "$sarif_file")"
    "$bin" lint --format sarif "${extra[@]}" -- "${paths[@]}" >"$sarif_file" || true
fi

# The access map for the summary: who can assume which role (mermaid, drawn by GitHub).
: >"$tmp/map.mmd"
if [ "${INPUT_MAP:-false}" = "true" ]; then
    "$bin" map --format mermaid "${extra_map[@]}" -- "${paths[@]}" >"$tmp/map.mmd" 2>/dev/null || : >"$tmp/map.mmd"
fi

python3 - "$tmp/report.json" "$status" "$fail_on" "$sarif_file" "$tmp/map.mmd" <<'PY'
import json, os, sys

report_path, status, fail_on, sarif_file, map_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
report = json.load(open(report_path))
s = report["summary"]
findings = report["findings"]

def cell(text):
    # A Markdown table cell: one line, no column breaks.
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
repo = os.environ.get("GITHUB_REPOSITORY")
sha = os.environ.get("GITHUB_SHA")

def location(f):
    where = f"{f['file']}:{f['line']}:{f['column']}"
    if repo and sha and f["file"] != "<stdin>":
        return f"[{cell(where)}]({server}/{repo}/blob/{sha}/{f['file']}#L{f['line']})"
    return cell(where)

icon = {"error": "🔴", "warning": "🟠", "info": "🔵"}
plural = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")
verdict = "❌ failed" if status == 1 else "✅ passed"
lines = [
    "## irsalint",
    "",
    f"**{verdict}** (fail on: {fail_on}) · {plural(s['files'], 'file')}, "
    f"{plural(s['documents'], 'document')} · {s['suppressed']} suppressed",
    "",
    "| severity | findings |",
    "|---|---:|",
    f"| {icon['error']} error | {s['errors']} |",
    f"| {icon['warning']} warning | {s['warnings']} |",
    f"| {icon['info']} info | {s['infos']} |",
    "",
]
limit = 200
if findings:
    lines += ["| | rule | location | message |", "|---|---|---|---|"]
    for f in findings[:limit]:
        rule = f"{f['code']} {f['rule']}"
        url = f.get("url") or f"https://github.com/irsalint/irsalint/blob/main/rules/{f['rule']}.md"
        rule = f"[{cell(rule)}]({url})" if url else cell(rule)
        lines.append(f"| {icon.get(f['severity'], '')} | {rule} | {location(f)} | {cell(f['message'])} |")
    if len(findings) > limit:
        lines += ["", f"… and {len(findings) - limit} more findings (see the SARIF report or the job log)."]
    lines.append("")
else:
    lines += ["No findings.", ""]

access_map = open(map_path, encoding="utf-8").read().strip()
if access_map:
    lines += [
        "### Access map",
        "",
        "Workloads, their ServiceAccounts and the roles they assume (`irsalint map`).",
        "",
        "```mermaid",
        access_map,
        "```",
        "",
    ]

summary = os.environ.get("GITHUB_STEP_SUMMARY")
if summary:
    with open(summary, "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
output = os.environ.get("GITHUB_OUTPUT")
if output:
    with open(output, "a", encoding="utf-8") as out:
        for key in ("errors", "warnings", "infos"):
            out.write(f"{key}={s[key]}\n")
        out.write(f"sarif-file={sarif_file}\n")
PY

exit "$status"
