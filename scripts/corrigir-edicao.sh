#!/usr/bin/env bash
# Corrige a edição dos alunos como o GitHub Classroom corrigiria, nas duas
# trilhas, e confere que a correção reprova o que não foi feito:
#
#   1. go run ./cmd/roteiro -edicao-aluno PASTA -trilha T;
#   2. na edição intocada, os seis comandos do classroom.yml dela: 1.1, 1.2 e
#      2.1 saem com 0 (40 pontos), 3.3, Desafio e relatório com 1;
#   3. com a solução de volta (Go: cmd/server_async, RELATORIO.md e as
#      imagens dele, deste repositório; Python: a solução de
#      cmd/roteiro/testdata/solucao/server_async.py), os seis saem com 0 (100).
#
# Com ORIGINAIS=pasta (a pasta src/ do laboratório, com os .py originais),
# corrige também os scripts do laboratório: serverbloq.py na 1.1 (duas vezes
# seguidas: a segunda não pode esperar o TIME_WAIT), servergargalo.py na 1.2
# e server.py na 2.1.
#
# Leva uns 4 minutos (a trilha Python roda com o sleep(5) do roteiro) e usa a
# porta 65432, a dos scripts. O .ci/run o chama.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
prof=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

falhas=0
code=0 # o código do último comando de rodar

# secs T0 T1: a duração em segundos, com um decimal (T0 e T1 em ns).
secs() { local ds=$((($2 - $1) / 100000000)); printf '%d.%d' $((ds / 10)) $((ds % 10)); }

# rodar PASTA COMANDO: roda o comando na pasta com bash -c, a saída em
# $tmp/saida e o código em $code. Uma 1.2 reprovada só pelos SYN cookies (a
# máquina carregada juntou os SYN: o roteiro já repetiu a etapa quatro vezes e
# diz isso na primeira linha) roda mais uma vez, e o script avisa.
rodar() {
  local tentativa
  for tentativa in 1 2; do
    set +e
    (cd "$1" && bash -c "$2") >"$tmp/saida" 2>&1
    code=$?
    set -e
    local first
    first=$(head -n 1 "$tmp/saida")
    if [ "$code" -eq 0 ] || [[ $first != "✗ 1.2 "*"SYN cookies"* ]]; then
      return
    fi
    if [ "$tentativa" -eq 1 ]; then
      echo "   (a 1.2 perdeu a lição por SYN cookies, máquina carregada: mais uma vez)"
    fi
  done
  return 0
}

# corrigir PASTA "CÓDIGOS ESPERADOS" PONTOS-ESPERADOS: roda cada comando do
# classroom.yml da pasta, como o Classroom (bash -c, na raiz do repositório),
# e compara os códigos de saída e a soma dos pontos.
corrigir() {
  local dir=$1 want_codes=$2 want_points=$3
  local yml="$dir/.github/workflows/classroom.yml"
  local -a cmds scores
  mapfile -t cmds < <(sed -nE 's/^[[:space:]]+command:[[:space:]]+(.*)$/\1/p' "$yml")
  mapfile -t scores < <(sed -nE 's/^[[:space:]]+max-score:[[:space:]]+([0-9]+)$/\1/p' "$yml")
  if [ "${#cmds[@]}" -ne 6 ] || [ "${#scores[@]}" -ne 6 ]; then
    echo "$yml: esperava 6 comandos com max-score, achei ${#cmds[@]} e ${#scores[@]}"
    exit 1
  fi
  local codes="" total=0 i t0 t1
  for i in "${!cmds[@]}"; do
    t0=$(date +%s%N)
    rodar "$dir" "${cmds[$i]}"
    t1=$(date +%s%N)
    codes="$codes $code"
    local pts=0
    [ "$code" -eq 0 ] && pts=${scores[$i]}
    total=$((total + pts))
    printf '   código %d  %5ss  %2d/%-2d  %s\n' "$code" "$(secs "$t0" "$t1")" "$pts" "${scores[$i]}" "${cmds[$i]}"
    if [ "$code" -ne 0 ]; then
      printf '        primeira linha: %s\n' "$(head -n 1 "$tmp/saida")"
    fi
  done
  codes=${codes# }
  printf '   total: %d pontos; códigos: %s\n' "$total" "$codes"
  if [ "$codes" != "$want_codes" ] || [ "$total" -ne "$want_points" ]; then
    printf '   ✗ esperava os códigos %s e %d pontos\n' "$want_codes" "$want_points"
    falhas=$((falhas + 1))
  fi
}

for trilha in go python; do
  ed="$tmp/aluno-$trilha"
  printf '\n== edição dos alunos, trilha %s\n' "$trilha"
  go run ./cmd/roteiro -edicao-aluno "$ed" -trilha "$trilha"
  (cd "$ed" && go build ./... && go vet ./...)
  echo "-- intocada: só as etapas dadas (1.1, 1.2, 2.1) passam"
  corrigir "$ed" "0 0 0 1 1 1" 40

  echo "-- com a solução de volta"
  if [ "$trilha" = go ]; then
    rm -rf "$ed/cmd/server_async"
    cp -R "$prof/cmd/server_async" "$ed/cmd/server_async"
  else
    cp "$prof/cmd/roteiro/testdata/solucao/server_async.py" "$ed/server_async.py"
  fi
  cp "$prof/RELATORIO.md" "$ed/RELATORIO.md"
  mkdir -p "$ed/docs"
  cp -R "$prof/docs/img" "$prof/docs/roteiro" "$ed/docs/" # as imagens do Desafio do modelo
  corrigir "$ed" "0 0 0 0 0 0" 100
done

if [ -n "${ORIGINAIS:-}" ]; then
  printf '\n== os scripts do laboratório (%s) com -servidor\n' "$ORIGINAIS"
  ed="$tmp/aluno-go"
  originais() { # ETAPA SCRIPT
    local t0 t1
    t0=$(date +%s%N)
    rodar "$ed" "go run ./cmd/roteiro -exigir -etapas $1 -servidor 'python3 $ORIGINAIS/$2'"
    t1=$(date +%s%N)
    printf '   código %d  %5ss  %s na %s: %s\n' "$code" "$(secs "$t0" "$t1")" "$2" "$1" "$(head -n 1 "$tmp/saida")"
    if [ "$code" -ne 0 ]; then
      cat "$tmp/saida"
      falhas=$((falhas + 1))
    fi
  }
  originais 1.1 serverbloq.py
  originais 1.1 serverbloq.py # de novo: a porta 65432 não pode ter ficado em TIME_WAIT
  originais 1.2 servergargalo.py
  originais 2.1 server.py
fi

if [ "$falhas" -gt 0 ]; then
  printf '\n✗ %d correção(ões) fora do esperado\n' "$falhas"
  exit 1
fi
printf '\n✓ a correção reprova a edição intocada (40 pontos) e aprova a solução (100), nas duas trilhas\n'
