#!/usr/bin/env bash
# Refaz todas as medições citadas no RELATORIO.md (Linux, como root, ≈ 5 min).
#
# Tudo roda num network namespace novo, só com o loopback, para que os
# contadores do kernel (nstat) contem apenas o tráfego do laboratório.
# Saídas: docs/roteiro/ (tabela e linhas do tempo), docs/desempenho.md e
# docs/medidas/*.txt (as saídas brutas que o relatório cita).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "medir-relatorio: precisa de root (ip netns)"; exit 1; }

ns=roteiro-medidas
ip netns del "$ns" 2>/dev/null || true
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip -n "$ns" link set lo up
run() { ip netns exec "$ns" "$@"; }

bin=$(mktemp -d)
go build -o "$bin/" ./cmd/...
out=docs/medidas
mkdir -p "$out" docs/roteiro

{ uname -sr; go version; echo "núcleos: $(nproc)"; date -u '+%Y-%m-%d %H:%M UTC'
  for k in net.core.somaxconn net.ipv4.tcp_syn_linear_timeouts net.ipv4.tcp_abort_on_overflow; do
    echo "$k = $(sysctl -n $k 2>/dev/null || echo n/d)"; done; } > "$out/ambiente.txt"

echo "== 1.2 à mão: servergargalo + clientenervoso, com ss e nstat"
run bash -c "
  nstat -n >/dev/null
  $bin/servergargalo > $out/gargalo-servidor.txt 2>&1 &
  srv=\$!
  until ss -ltn 'sport = :65432' | grep -q LISTEN; do sleep 0.05; done
  ( for i in \$(seq 1 40); do ss -ltnH 'sport = :65432'; sleep 0.1; done ) > $out/gargalo-ss.txt &
  $bin/clientenervoso > $out/gargalo-cliente.txt 2>&1
  wait %2
  nstat -az TcpExtListenOverflows TcpExtListenDrops TcpExtTCPReqQFullDrop TcpOutRsts TcpAttemptFails > $out/gargalo-nstat.txt
  kill -TERM \$srv; wait \$srv
"

echo "== recusado: ninguém escuta na porta 65431"
run "$bin/clientenervoso" -port 65431 > "$out/recusado-cliente.txt" 2>&1

echo "== -original contra o server"
run bash -c "
  $bin/server -q > $out/original-servidor.txt 2>&1 &
  srv=\$!
  until ss -ltn 'sport = :65432' | grep -q LISTEN; do sleep 0.05; done
  $bin/clientenervoso -original > $out/original-cliente.txt 2>&1
  kill -TERM \$srv; wait \$srv
"

echo "== roteiro completo"
run "$bin/roteiro" -saida docs/roteiro > "$out/roteiro.txt"
echo "== escala"
run "$bin/roteiro" -escala -saida docs > "$out/escala.txt"
rm -rf "$bin"
echo "pronto: $out, docs/roteiro, docs/desempenho.md"
