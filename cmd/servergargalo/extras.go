package main

// O que o porte acrescenta ao servergargalo.py, fora dos passos dele: as
// flags, a linha de capacidade de cada sistema, e o acompanhamento do pacote
// tracking, ligado ao socket de escuta (acompanhar): o Ctrl-C que espera a
// conexão em andamento e imprime o [RESUMO SERVIDOR], e o fechamento
// demorado depois da resposta (o pedido que este servidor nunca lê
// transformaria o FIN do close() em RST, e o RST pode apagar a resposta).

import (
	"errors"
	"fmt"
	"runtime"

	"roteiro2/internal/cli"
	"roteiro2/internal/socket"
	"roteiro2/internal/tracking"
)

// init prende a goroutine principal à thread principal do processo: como no
// Python, tudo acontece nessa thread, e cada chamada do sistema (accept,
// sleep, send) a faz dormir no kernel até terminar.
func init() { runtime.LockOSThread() }

var acompanhamento *tracking.Server

// opcoes lê as flags para as variáveis do .py e liga o Ctrl-C. -ocioso não
// se aplica: este servidor nunca lê do cliente.
func opcoes() {
	f := cli.ServerFlags(BACKLOG)
	f.Parse()
	HOST, PORT, DELAY, BACKLOG = f.Host, f.Port, f.Delay, f.Backlog
	acompanhamento = tracking.New(tracking.Config{Grace: f.Grace, Quiet: f.Quiet})
}

// capacidade diz quantos clientes cabem: 1 sendo atendido e os da fila. O
// original imprime "1 atendendo + 1 na espera"; o Linux guarda backlog+1
// conexões completas (include/net/sock.h, sk_acceptq_is_full compara com >),
// outros sistemas fazem outra conta.
func capacidade() string {
	if runtime.GOOS == "linux" {
		return fmt.Sprintf("Capacidade: 1 atendendo + %d na espera (listen(%d): o Linux guarda backlog+1 na fila).", BACKLOG+1, BACKLOG)
	}
	return fmt.Sprintf("Capacidade: 1 atendendo + cerca de %d na espera (listen(%d) é uma dica: cada SO decide o tamanho real da fila).", BACKLOG, BACKLOG)
}

// acompanhar liga o tracking ao socket de escuta e acerta PORT (com -port 0
// o kernel escolheu uma).
func acompanhar(server *socket.Sock) { PORT = acompanhamento.Watch(server) }

// imprimir é o print do .py para as linhas de cada conexão (nada com -q).
func imprimir(format string, args ...any) { acompanhamento.Logf(format, args...) }

// checar termina o programa com uma linha em português e código 1 se err
// não for nil: a exceção não tratada do Python.
func checar(err error) { cli.CheckListen(err, HOST, PORT) }

// sair é o except OSError do bind: a linha do .py (em stderr) e código 1
// (o .py só volta, com código 0; quem roda o servidor por um script precisa
// saber que ele não subiu). Se o erro não for a porta em uso, a linha diz
// qual foi.
func sair(err error, linha string) {
	if errors.Is(err, cli.ErrAddrInUse) {
		cli.Fatal(linha)
	}
	checar(err)
}

// esperarFim espera a parada terminar (ela imprime o resumo e sai com 0).
func esperarFim() { acompanhamento.Wait() }
