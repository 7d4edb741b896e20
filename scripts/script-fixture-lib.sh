# Sourced by scripts/make-engram-fixtures.sh and scripts/make-engram-upstream-fixtures.sh: the JSON
# of one run of an estimate_capacity.sh whose appended trailer echoes "RAW <variable> <value>" lines.

json_string() { # JSON-encodes stdin as one string
  local s
  s="$(cat)"
  s="${s//\\/\\\\}"; s="${s//\"/\\\"}"; s="${s//$'\t'/\\t}"; s="${s//$'\n'/\\n}"
  printf '"%s"' "$s"
}

# print_case ARGS_JSON EXIT_CODE OUTPUT STDERR: one case object, indented as in the fixtures
print_case() {
  local tag name value sep=""
  echo "    {"
  printf '      "args": [%s],\n' "$1"
  printf '      "exitCode": %d,\n' "$2"
  printf '      "raw": {'
  while read -r tag name value; do
    [ "$tag" = "RAW" ] || continue
    printf '%s"%s": "%s"' "$sep" "$name" "$value"
    sep=", "
  done <<< "$3"
  printf '},\n'
  printf '      "stdout": %s,\n' "$(grep -v '^RAW ' <<< "$3" | json_string)"
  printf '      "stderr": %s\n' "$(json_string <<< "$4")"
  echo "    }"
}
