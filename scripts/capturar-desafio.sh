#!/usr/bin/env bash
# A captura de tela do Desafio Extra: server_async × clientenervoso -n 200.
#
# Abre uma sessão tmux com dois terminais lado a lado, roda
# `go run ./cmd/server_async` no da esquerda e `go run ./cmd/clientenervoso -n 200`
# no da direita (as portas padrão, 65432), espera o RESUMO do cliente e a última
# conexão fechar, aperta Ctrl-C no servidor e espera o [RESUMO SERVIDOR].
# Guarda o texto de cada terminal (docs/medidas/desafio-tela-*.txt) e a imagem
# (docs/img/desafio-200.png: tmux → aha → Chromium sem janela).
#
# Precisa de tmux, aha e chromium (apt-get install tmux aha chromium).
# Uso: scripts/capturar-desafio.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for p in tmux aha chromium; do
	command -v "$p" >/dev/null || { echo "capturar-desafio: falta o $p (apt-get install tmux aha chromium)"; exit 1; }
done
if (exec 3<>/dev/tcp/127.0.0.1/65432) 2>/dev/null; then
	echo "capturar-desafio: a porta 65432 já está em uso; pare o que escuta nela"
	exit 1
fi

s=desafio-$$
tmp=$(mktemp -d)
trap 'tmux kill-session -t "$s" 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build ./cmd/server_async ./cmd/clientenervoso # o go run dentro do tmux acha o cache pronto

# Um bash sem configuração, com o prompt de um aluno qualquer.
sh="env -i HOME=$HOME PATH=$PATH GOCACHE=$(go env GOCACHE) GOPATH=$(go env GOPATH) TERM=xterm-256color LANG=C.UTF-8 PS1='aluno@lab:~/roteiro2\$ ' bash --norc --noprofile"
tmux new-session -d -s "$s" -x 262 -y 48 -c "$PWD" "$sh"
tmux split-window -h -t "$s" -c "$PWD" "$sh"

# espera PAINEL PADRÃO SEGUNDOS: até o texto aparecer no terminal.
espera() {
	local fim=$((SECONDS + $3))
	until tmux capture-pane -p -t "$s.$1" -S -3000 | grep -q -- "$2"; do
		[ $SECONDS -lt $fim ] || { echo "capturar-desafio: \"$2\" não apareceu em $3 s no terminal $1"; tmux capture-pane -p -t "$s.$1"; exit 1; }
		sleep 0.2
	done
}

espera 0 'roteiro2\$' 10
tmux send-keys -t "$s.0" 'go run ./cmd/server_async' Enter
espera 0 'Servidor rodando' 60
tmux send-keys -t "$s.1" 'go run ./cmd/clientenervoso -n 200' Enter
espera 1 '^RESUMO' 120
espera 0 'Conexões simultâneas: 0 ' 30
tmux send-keys -t "$s.0" C-c
espera 0 'RESUMO SERVIDOR' 30
espera 0 'roteiro2\$ *$' 10
espera 1 'roteiro2\$ *$' 10

mkdir -p docs/medidas docs/img
for i in 0 1; do
	nome=$([ $i = 0 ] && echo servidor || echo cliente)
	tmux capture-pane -p -t "$s.$i" >"docs/medidas/desafio-tela-$nome.txt"
	tmux capture-pane -p -e -t "$s.$i" | aha --no-header --black >"$tmp/$i.html"
done

quando="$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sr), $(nproc) núcleos"
cat >"$tmp/tela.html" <<EOF
<!doctype html><meta charset="utf-8">
<style>
body { margin: 0; background: #1e1e1e; color: #ddd; font: 12px/1.25 "DejaVu Sans Mono", monospace; }
.titulo { background: #333; padding: 4px 8px; font-family: "DejaVu Sans", sans-serif; font-size: 14px; }
.lado { display: flex; }
.painel { width: 50%; padding: 2px 8px; box-sizing: border-box; overflow: hidden; }
.painel + .painel { border-left: 2px solid #555; }
.nome { color: #8ab4f8; font-family: "DejaVu Sans", sans-serif; font-size: 12px; margin: 2px 0; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; font: inherit; }
</style>
<div class="titulo">tmux — Desafio Extra: server_async (esquerda) × clientenervoso -n 200 (direita) — $quando</div>
<div class="lado">
<div class="painel"><div class="nome">terminal 1: go run ./cmd/server_async</div><pre>$(cat "$tmp/0.html")</pre></div>
<div class="painel"><div class="nome">terminal 2: go run ./cmd/clientenervoso -n 200</div><pre>$(cat "$tmp/1.html")</pre></div>
</div>
EOF
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1900,820 \
	--screenshot="$PWD/docs/img/desafio-200.png" "file://$tmp/tela.html" >/dev/null 2>&1
echo "capturar-desafio: docs/img/desafio-200.png e docs/medidas/desafio-tela-{servidor,cliente}.txt"
tail -3 docs/medidas/desafio-tela-servidor.txt
tail -2 docs/medidas/desafio-tela-cliente.txt
