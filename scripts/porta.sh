# porta_do_servidor ARQUIVO: espera (até 10 s) a linha de início que os
# servidores deste repositório escrevem ("Servidor rodando em HOST:PORTA") na
# saída guardada em ARQUIVO e imprime a PORTA. Sem a linha, mostra o arquivo
# na saída de erro e falha. Uso, num script com set -e:
#   . scripts/porta.sh; port=$(porta_do_servidor "$tmp/servidor.txt")
porta_do_servidor() {
	local port
	for _ in $(seq 1 100); do
		port=$(sed -n 's/.*Servidor rodando em [0-9.]*:\([0-9]*\).*/\1/p' "$1")
		if [ -n "$port" ]; then
			echo "$port"
			return 0
		fi
		sleep 0.1
	done
	echo "$(basename "$0"): o servidor não imprimiu a linha de início em 10 s:" >&2
	cat "$1" >&2
	return 1
}
