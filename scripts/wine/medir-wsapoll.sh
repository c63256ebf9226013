#!/usr/bin/env bash
# Mede o server_async do Windows (o backend WSAPoll de internal/reactor)
# SOB O WINE contra o server_async do Linux (epoll), na mesma execução, com o
# mesmo cliente (o clientenervoso do Linux): N clientes ao mesmo tempo, delay
# DELAY. Os números do lado do Wine são do Wine, não do Windows: os sockets
# são os do Linux, e parte do trabalho de cada chamada do Winsock é feita
# pelo wineserver (um WSAPoll vira um pedido ao wineserver), por isso a CPU
# do Wine soma o processo do .exe e o wineserver. Serve para ver o custo
# O(n) do WSAPoll (cada espera percorre a lista inteira), não para comparar
# o Windows com o Linux.
#
# Uso: scripts/wine/medir-wsapoll.sh         (NS="1000 5000" DELAY=5 ...)
# Saída: docs/medidas/wsapoll-wine.txt (e na tela).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin"
NS=${NS:-"1000 5000"}
DELAY=${DELAY:-5}
# shellcheck source=env.sh
. scripts/wine/env.sh
. scripts/porta.sh
bash scripts/wine/setup.sh >/dev/null
wine="$(wine_bin)"
wineserver="$(wineserver_bin)"
work=$(mktemp -d)
trap '"$wineserver" -k 2>/dev/null || true; pkill -f "$work/" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/" ./cmd/server_async ./cmd/clientenervoso
GOOS=windows GOARCH=amd64 go build -o "$work/" ./cmd/server_async
rev=$(git describe --always --dirty 2>/dev/null || echo n/d)
hz=$(getconf CLK_TCK)

# cpu PID…: tempo de CPU (usuário + sistema) somado, em centésimos de segundo.
cpu() {
	local t=0 p
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] || continue
		t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
	done
	echo $((t * 100 / hz))
}
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }   # KiB

run() { # run nome wine? comando...: sobe o servidor, mede, imprime uma linha
	local name=$1 underwine=$2
	shift 2
	"$@" -port 0 -delay "${DELAY}s" -q -backlog 4096 >"$work/srv.txt" 2>&1 &
	local port="" spid="" ws=""
	port=$(porta_do_servidor "$work/srv.txt")
	spid=$(pgrep -n -f "$work/server_async" | head -1)
	if [ "$underwine" = sim ]; then
		ws=$(pgrep -n -x wineserver64 || pgrep -n -x wineserver || true)
	fi
	local c0 r0 peak=0 out
	c0=$(cpu "$spid" $ws)
	r0=$(rss "$spid")
	"$work/clientenervoso" -port "$port" -n "$N" -q -origens 8 -connect-timeout 10s -timeout "$((DELAY + 30))s" \
		>"$work/cli.txt" 2>/dev/null &
	local cpid=$!
	while kill -0 "$cpid" 2>/dev/null; do
		local r
		r=$(rss "$spid" 2>/dev/null || echo 0)
		[ "$r" -gt "$peak" ] && peak=$r
		sleep 0.05
	done
	wait "$cpid"
	local c1
	c1=$(cpu "$spid" $ws)
	out=$(tail -1 "$work/cli.txt")
	kill "$spid" 2>/dev/null || true
	wait 2>/dev/null || true
	local ok p50 mx
	ok=$(sed -n 's/.*sucesso=\([0-9]*\).*/\1/p' <<<"$out")
	p50=$(sed -n 's/.* p50=\([^ ]*\).*/\1/p' <<<"$out")
	mx=$(sed -n 's/.* max=\([^ ]*\).*/\1/p' <<<"$out")
	printf '%-22s %6d %6s/%-6d %7s %7s %10d %12.1f\n' "$name" "$N" "$ok" "$N" "$p50" "$mx" \
		$(((c1 - c0) * 10000 / N)) "$(echo "($peak - $r0) / $N" | bc -l)"
}

{
	echo "# server_async: WSAPoll sob o Wine × epoll no Linux, mesmo cliente, mesma execução"
	echo "comando: NS=\"$NS\" DELAY=$DELAY scripts/wine/medir-wsapoll.sh"
	echo "$(date -u '+%Y-%m-%d %H:%M UTC') | commit $rev | $(uname -sr) | $(go env GOVERSION) | $("$wine" --version) | $(nproc) núcleos | carga $(cut -d' ' -f1-3 /proc/loadavg)"
	echo
	printf '%-22s %6s %13s %7s %7s %10s %12s\n' servidor N ok p50 max "CPU µs/con" "RSS KiB/con"
	for N in $NS; do
		run "epoll (Linux)" não "$work/server_async"
		run "WSAPoll (Wine)" sim "$wine" "$work/server_async.exe"
	done
	echo
	echo "CPU µs/con: CPU do servidor na rodada (no Wine, o processo do .exe mais o wineserver),"
	echo "por conexão, lida de /proc/PID/stat (resolução de 10 ms). RSS KiB/con: pico menos o"
	echo "repouso do VmRSS do processo do servidor, por conexão. Números do Wine, não do Windows."
} | tee docs/medidas/wsapoll-wine.txt
