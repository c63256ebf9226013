#!/usr/bin/env bash
# Onde o server -modelo thread gasta CPU com milhares de conexões (Linux, perf).
#
# Compila server e clientenervoso, sobe o servidor com -backlog 4096, solta N
# clientes (10.000 por padrão) ao mesmo tempo e grava, com `perf record -g`,
# o servidor durante a rodada inteira do cliente. Guarda as 15 funções mais
# caras (perf report --no-children --sort sym) e os resumos dos dois lados.
#
# Uso: scripts/perfil-thread.sh        (N=5000 scripts/perfil-thread.sh)
# Saída: docs/medidas/perf-thread-N.txt (e na tela).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
[ "$(uname -s)" = Linux ] || { echo "perfil-thread: só no Linux (perf)"; exit 1; }
command -v perf >/dev/null || { echo "perfil-thread: instale o perf (apt-get install linux-perf)"; exit 1; }

rev=$(git describe --always --dirty 2>/dev/null || echo n/d)
tmp=$(mktemp -d)
srv=
pf=
trap '[ -n "$pf" ] && kill "$pf" 2>/dev/null; [ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT
go build -o "$tmp/server" ./cmd/server
go build -o "$tmp/clientenervoso" ./cmd/clientenervoso

"$tmp/server" -port 0 -q -delay 5s -backlog 4096 >"$tmp/servidor.txt" 2>&1 &
srv=$!
. scripts/porta.sh
port=$(porta_do_servidor "$tmp/servidor.txt")

perf record -F 999 -g -p "$srv" -o "$tmp/perf.data" >/dev/null 2>"$tmp/perf.err" &
pf=$!
sleep 0.5 # o perf se prende ao processo
cmd="clientenervoso -port $port -n $N -q -origens 8 -connect-timeout 10s -timeout 40s"
timeout 120 "$tmp/clientenervoso" -port "$port" -n "$N" -q -origens 8 -connect-timeout 10s -timeout 40s >"$tmp/cliente.txt" 2>&1 || true
kill -INT "$pf"
wait "$pf" || true
pf=
kill -TERM "$srv"
wait "$srv" || true
srv=

out=docs/medidas/perf-thread-$N.txt
{
	echo "# server -modelo thread, $N clientes: onde o servidor gasta CPU (perf record -F 999 -g -p PID)"
	echo "# comando: N=$N scripts/perfil-thread.sh   (server -port 0 -q -delay 5s -backlog 4096 & $cmd)"
	echo "# $(date -u '+%Y-%m-%d %H:%M UTC') | commit $rev | $(uname -sr) | $(go version | cut -d' ' -f3) | $(nproc) núcleos"
	echo "# cliente: $(grep '^RESUMO' "$tmp/cliente.txt" || echo 'sem RESUMO')"
	echo "# servidor: $(grep '\[RESUMO SERVIDOR\]' "$tmp/servidor.txt" || echo 'sem RESUMO')"
	echo "# perf report --no-children --sort sym (as 15 primeiras linhas)"
	perf report -i "$tmp/perf.data" --no-children --sort sym --stdio 2>/dev/null |
		grep -E '^ +[0-9.]+%' | head -15
} >"$out"
cat "$out"
