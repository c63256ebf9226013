#!/usr/bin/env bash
# Roda os testes do Windows deste projeto aqui, sob o Wine:
#
#   1. prepara o Wine (setup.sh: instala e cria o prefixo só na primeira vez);
#   2. compila para windows/amd64 os seis programas e o roteiro (numa pasta
#      temporária, que os testes recebem em ROTEIRO2_BIN: sob o Wine não há
#      Go para compilar nada) e o binário de teste de cada pacote abaixo
#      (go test -c);
#   3. roda cada binário de teste sob o wine64, na pasta do pacote (como o go
#      test faz), com ROTEIRO2_WINE=1, e diz ok/FALHOU, o tempo e o motivo de
#      cada teste pulado;
#   4. roda o roteiro.exe -rapido -bin com as etapas que já valem no Windows.
#
#   bash scripts/wine/run-tests.sh               # os pacotes de PACOTES e o roteiro
#   bash scripts/wine/run-tests.sh internal/proc # só os testes destes pacotes
#
# Um teste que depende do próprio Windows (a pilha TCP dele, por exemplo)
# pergunta wine.Detected() e pula dizendo por quê: sob o Wine os sockets são
# os do Linux. Sai com 1 se algum pacote (ou o roteiro) falhar.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin"
# shellcheck source=env.sh
. scripts/wine/env.sh

# Os pacotes cujos testes rodam sob o Wine. Os de cmd/ são os testes de
# ponta a ponta dos programas: sobem os servidores de verdade (os .exe de
# ROTEIRO2_BIN) e os param com o pedido de parada do Windows
# (internal/interrupt), conferindo o [RESUMO SERVIDOR] e o segundo Ctrl-C.
# internal/socket é o pacote de sockets no Winsock; internal/reactor, o laço
# de eventos no backend WSAPoll; cmd/server_async, o servidor sobre ele.
# Ainda de fora: cmd/servergargalo (TestBacklogOne) e cmd/client,
# cmd/clientenervoso e o resto de cmd/roteiro, cujos testes usam t.TempDir
# com arquivos dentro: a limpeza (os.RemoveAll do Go 1.26) falha no Wine 8
# (LEIAME.md). PACOTE@EXPR roda só os testes de PACOTE que casam com EXPR
# (o -run do go test); PACOTE!EXPR, todos menos esses (o -skip): os de
# "porta em uso" esperam WSAEADDRINUSE.
PACOTES=(
  internal/socket
  internal/reactor
  internal/wine
  internal/interrupt
  internal/proc
  internal/loadclient
  internal/cli
  internal/summary
  internal/timeline
  internal/wire
  internal/outbuf
  internal/e2e
  'cmd/serverbloq!^TestPortInUseAndBadFlags$'
  'cmd/server!^TestPortInUse$'
  cmd/server_async
  'cmd/roteiro@^(TestGoneBeforeReap|TestPrebuilt|TestRoteiroBin)$'
)
if [ "$#" -gt 0 ]; then
  PACOTES=("$@")
fi

bash scripts/wine/setup.sh
wine="$(wine_bin)"
wineserver="$(wineserver_bin)"

# Uma execução por vez no mesmo prefixo; no fim, nenhum processo do Wine
# deste prefixo fica para trás (um teste travado, por exemplo).
exec 9>"$WINEPREFIX.lock"
flock 9
work="$(mktemp -d)"
trap '"$wineserver" -k 2>/dev/null || true; rm -rf "$work"' EXIT

t0=$SECONDS
mkdir -p "$work/bin"
GOOS=windows GOARCH=amd64 go build -o "$work/bin/" ./cmd/...
for entry in "${PACOTES[@]}"; do
  p="${entry%%[@!]*}"
  # Um pacote sem testes para o Windows não gera binário ("no test files").
  GOOS=windows GOARCH=amd64 go test -c -o "$work/$(basename "$p").test.exe" "./$p" | grep -v 'no test files' || true
done
printf 'wine: %d binário(s) de teste e os programas compilados em %d s (%s)\n' \
  "${#PACOTES[@]}" $((SECONDS - t0)) "$("$wine" --version 2>/dev/null || echo wine)"

export ROTEIRO2_WINE=1
ROTEIRO2_BIN="$(winpath "$work/bin")"
export ROTEIRO2_BIN
failed=()
for entry in "${PACOTES[@]}"; do
  p="${entry%%[@!]*}"
  run=.
  skipexpr='^$'
  case "$entry" in
    *@*) run="${entry#*@}" ;;
    *!*) skipexpr="${entry#*!}" ;;
  esac
  exe="$work/$(basename "$p").test.exe"
  log="$work/$(basename "$p").log"
  if [ ! -f "$exe" ]; then
    printf '—       %-22s        sem testes para o Windows\n' "$p"
    continue
  fi
  t1=$SECONDS
  rc=0
  (cd "$p" && timeout 300 "$wine" "$exe" -test.v -test.count=1 -test.timeout=240s -test.run "$run" -test.skip "$skipexpr") >"$log" 2>&1 || rc=$?
  pass=$(grep -c -- '^ *--- PASS' "$log" || true)
  skip=$(grep -c -- '^ *--- SKIP' "$log" || true)
  if [ "$rc" = 0 ]; then
    only=""
    if [ "$run" != . ]; then
      only=" (só $run)"
    fi
    if [ "$skipexpr" != '^$' ]; then
      only=" (menos $skipexpr)"
    fi
    printf 'ok      %-22s %3d s  %d passaram, %d pulados%s\n' "$p" $((SECONDS - t1)) "$pass" "$skip" "$only"
  else
    printf 'FALHOU  %-22s %3d s  (código %d)\n' "$p" $((SECONDS - t1)) "$rc"
    grep -v -- '^=== \|^--- PASS' "$log" | tail -40
    failed+=("$p")
  fi
  # Cada teste pulado e o motivo (o t.Skip sai entre "=== RUN" e "--- SKIP"),
  # menos os ajudantes, que só rodam como processo filho de outro teste.
  awk '/^=== (RUN|CONT) / { t = $3; next }
       /^ +[^ ]+\.go:[0-9]+: / { m = $0; sub(/^ +/, "", m); msg[t] = m; next }
       /^ *--- SKIP: / { n = $3; if (msg[n] !~ /processo ajudante/) printf "        pulado: %s: %s\n", n, msg[n] }' "$log"
done
# O roteiro de ponta a ponta com os programas já compilados (-bin), como
# num PC sem o Go: cada servidor é parado pelo pedido de parada do Windows e
# imprime o resumo (um servidor que sai com código ≠ 0 reprova a etapa). A
# 1.2 não roda aqui: sob o Wine a fila cheia é a do Linux, não a do Windows
# que o veredicto espera. Só quando todos os pacotes foram pedidos.
ETAPAS=1.1,2.1,3.3,desafio
if [ "$#" -eq 0 ]; then
  t1=$SECONDS
  rc=0
  (cd "$work" && timeout 300 "$wine" "$work/bin/roteiro.exe" -rapido -bin "$ROTEIRO2_BIN" -etapas "$ETAPAS" -exigir) \
    >"$work/roteiro.log" 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then
    printf 'ok      %-22s %3d s  -rapido -bin -etapas %s -exigir\n' "roteiro.exe" $((SECONDS - t1)) "$ETAPAS"
  else
    printf 'FALHOU  %-22s %3d s  (código %d)\n' "roteiro.exe" $((SECONDS - t1)) "$rc"
    cat "$work/roteiro.log"
    failed+=(roteiro.exe)
  fi
fi

if [ "${#failed[@]}" -gt 0 ]; then
  echo "wine: falharam: ${failed[*]}"
  exit 1
fi
echo "wine: todos os pacotes passaram em $((SECONDS - t0)) s"
