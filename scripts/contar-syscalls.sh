#!/usr/bin/env bash
# Conta as chamadas de sistema que o server_async faz por conexão (Linux).
#
# Compila o server_async, roda-o sob `strace -f -c` com -delay 0s -q, manda
# N conexões (4.000 por padrão) de um cliente pequeno em python3 (10 laços
# que conectam, enviam 1 byte, leem até EOF e fecham), para o servidor com
# SIGTERM e divide o total de cada chamada pelo número de conexões que o
# próprio servidor contou no [RESUMO SERVIDOR].
#
# Para este protocolo, com fechamento com espera, o piso é 7 chamadas de E/S
# por conexão: accept4, epoll_ctl (ADD), read (a mensagem), sendmsg (a
# resposta), shutdown (FIN), read (o EOF do cliente), close.
#
# Uso: scripts/contar-syscalls.sh        (N=2000 scripts/contar-syscalls.sh)
# Saída: docs/medidas/syscalls.txt (e na tela).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-4000}
[ "$(uname -s)" = Linux ] || { echo "contar-syscalls: só no Linux (strace)"; exit 1; }
if ! command -v strace >/dev/null; then
	[ "$(id -u)" = 0 ] || { echo "contar-syscalls: instale o strace (apt-get install strace)"; exit 1; }
	apt-get install -y strace >/dev/null
fi
command -v python3 >/dev/null || { echo "contar-syscalls: precisa de python3"; exit 1; }

rev=$(git describe --always --dirty 2>/dev/null || echo n/d) # antes de reescrever a saída
tmp=$(mktemp -d)
st=
trap '[ -n "$st" ] && kill "$st" 2>/dev/null; rm -rf "$tmp"' EXIT
go build -o "$tmp/server_async" ./cmd/server_async

strace -f -c -o "$tmp/strace.txt" "$tmp/server_async" -port 0 -delay 0s -q >"$tmp/servidor.txt" 2>&1 &
st=$!
. scripts/porta.sh
port=$(porta_do_servidor "$tmp/servidor.txt")

# O cliente: 10 laços, N conexões ao todo, cada uma com prazo de 5 s.
timeout 300 python3 - "$port" "$N" <<'EOF'
import socket, sys, threading
port, n = int(sys.argv[1]), int(sys.argv[2])
falhas = []
def laco(k):
    for _ in range(k):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(b"x")
                while s.recv(1024):
                    pass
        except OSError as e:
            falhas.append(e)
ts = [threading.Thread(target=laco, args=(n // 10 + (i < n % 10),)) for i in range(10)]
for t in ts: t.start()
for t in ts: t.join()
print(f"cliente: {n - len(falhas)} trocas completas, {len(falhas)} falhas", file=sys.stderr)
EOF

kill -TERM "$(pgrep -P "$st")" # o servidor é o filho do strace
wait "$st"
st=

resumo=$(grep '\[RESUMO SERVIDOR\]' "$tmp/servidor.txt") || { cat "$tmp/servidor.txt"; exit 1; }
conns=$(sed 's/.*atendidas=\([0-9]*\) falhas=\([0-9]*\) interrompidas=\([0-9]*\).*/\1 \2 \3/' <<<"$resumo" | awk '{print $1+$2+$3}')

out=docs/medidas/syscalls.txt
mkdir -p docs/medidas
{
	echo "# server_async: chamadas de sistema por conexão (strace -f -c; todas as threads do processo)"
	echo "comando: N=$N scripts/contar-syscalls.sh   (server_async -delay 0s -q; 10 clientes python3 em laço)"
	echo "$(date -u '+%Y-%m-%d %H:%M UTC') | commit $rev | $(uname -sr) | $(go version | cut -d' ' -f3) | $(nproc) núcleos"
	echo "servidor: ${resumo#*\] }"
	echo "conexões: $conns"
	echo
	awk -v n="$conns" '
		BEGIN {
			split("accept accept4 getsockopt getpeername epoll_ctl read write sendmsg sendto recvfrom shutdown close", l, " ")
			for (i in l) io[l[i]] = 1
			printf "%-16s %9s %12s %8s\n", "chamada", "total", "por conexão", "erros"
		}
		/^-/ || /^%/ || $NF == "total" { next }
		{
			name = $NF; calls = $4; errs = (NF == 6) ? $5 : 0
			printf "%-16s %9d %12.2f %8d%s\n", name, calls, calls / n, errs, (name in io) ? "  E/S" : ""
			if (name in io) sio += calls; else if (name == "epoll_wait" || name == "epoll_pwait") sw += calls; else so += calls
		}
		END {
			printf "\nE/S por conexão (as linhas marcadas E/S):      %.2f   (piso deste protocolo: 7)\n", sio / n
			printf "epoll_wait por conexão (voltas do laço):      %.2f\n", sw / n
			printf "demais por conexão (runtime, /proc, log):     %.2f\n", so / n
		}' < <(sort -k4 -n -r "$tmp/strace.txt")
	echo
	echo "Erros: os de accept4 são o EAGAIN que encerra cada rodada de accepts (fila vazia);"
	echo "os de epoll_ctl são do netpoller do runtime do Go, que tenta registrar cada arquivo"
	echo "aberto com os.Open — aqui /proc/self/status, lido para os números do processo — e"
	echo "recebe EPERM (arquivo comum não entra no epoll). Os epoll_ctl do reactor não falham."
} | tee "$out"
