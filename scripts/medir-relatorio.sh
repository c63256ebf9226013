#!/usr/bin/env bash
# Refaz todas as medições citadas no RELATORIO.md (Linux, como root, ≈ 6 min).
#
# Tudo roda num network namespace novo, só com o loopback, para que os
# contadores do kernel (nstat) contem apenas o tráfego do laboratório.
# Saídas: docs/roteiro/ (tabela, JSON e linhas do tempo), docs/desempenho.md e
# docs/medidas/*.txt (as saídas brutas que o relatório cita).
#
# Com ORIGINAIS=pasta (a pasta src/ do repositório do laboratório, com os
# scripts Python), mede também o server.py original pelo próprio roteiro
# (-servidor), para pôr o Python lado a lado com os modelos deste porte.
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
  grep MemTotal /proc/meminfo
  echo "commit: $(git describe --always --dirty 2>/dev/null || echo n/d)"
  for k in net.core.somaxconn net.ipv4.tcp_syn_linear_timeouts net.ipv4.tcp_abort_on_overflow \
    net.ipv4.tcp_syncookies net.ipv4.tcp_max_syn_backlog; do
    echo "$k = $(sysctl -n $k 2>/dev/null || echo n/d)"; done
  # O server importa net (modelo goroutine): com cgo ligado ele é ligado à libc,
  # e as threads nascem por pthread_create (pilha por mmap); com CGO_ENABLED=0,
  # pelo clone do próprio runtime, com a pilha do alocador do Go.
  echo "CGO_ENABLED = $(go env CGO_ENABLED)"
  if ldd "$bin/server" >/dev/null 2>&1; then echo "server: ligado dinamicamente à libc ($(ldd "$bin/server" | grep -o 'libc.so[^ ]*' | head -1))"
  else echo "server: estático (sem libc)"; fi; } > "$out/ambiente.txt"

echo "== 1.2 à mão: servergargalo + clientenervoso, com ss e nstat"
run bash -c "
  nstat -n >/dev/null
  $bin/servergargalo > $out/gargalo-servidor.txt 2>&1 &
  srv=\$!
  until ss -ltn 'sport = :65432' | grep -q LISTEN; do sleep 0.05; done
  touch $out/.rodando
  # ss a cada 100 ms durante a rodada inteira do cliente (até 15 s).
  ( for i in \$(seq 1 150); do [ -e $out/.rodando ] || break; ss -ltnH 'sport = :65432'; sleep 0.1; done ) > $out/gargalo-ss.txt &
  $bin/clientenervoso > $out/gargalo-cliente.txt 2>&1
  rm -f $out/.rodando
  wait %2
  nstat -az TcpExtListenOverflows TcpExtListenDrops TcpExtTCPReqQFullDrop TcpExtTCPReqQFullDoCookies \
    TcpOutRsts TcpAttemptFails > $out/gargalo-nstat.txt
  kill -TERM \$srv; wait \$srv
"

echo "== recusado: a porta 65431, onde nada foi iniciado"
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
run "$bin/roteiro" -saida docs/roteiro -json docs/roteiro/roteiro.json > "$out/roteiro.txt"

if [ -n "${ORIGINAIS:-}" ]; then
  echo "== o server.py original pelo roteiro (-servidor), 200 clientes"
  run "$bin/roteiro" -etapas 2.1-200 -servidor "python3 $ORIGINAIS/server.py" > "$out/python-server.txt" 2>&1
fi
if command -v strace >/dev/null; then # antes da escala: desempenho.md cita o resultado
  echo "== chamadas de sistema por conexão do server_async"
  bash scripts/contar-syscalls.sh > /dev/null
fi
if command -v perf >/dev/null; then
  echo "== onde o modelo thread gasta CPU com 10.000 conexões (perf)"
  bash scripts/perfil-thread.sh > /dev/null
fi
echo "== o custo da camada de streams do reactor"
bash scripts/medir-streams.sh > /dev/null
echo "== escala"
run "$bin/roteiro" -escala -saida docs > "$out/escala.txt"
rm -rf "$bin"
echo "pronto: $out, docs/roteiro, docs/desempenho.md"
