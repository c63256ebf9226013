package main

// O que o porte acrescenta ao serverbloq.py, fora dos passos dele: as flags,
// e o acompanhamento do pacote tracking, ligado ao socket de escuta
// (acompanhar): o Ctrl-C que espera as conexões em andamento e imprime o
// [RESUMO SERVIDOR], o fechamento com espera depois da resposta, o -ocioso.

import (
	"runtime"

	"roteiro2/internal/cli"
	"roteiro2/internal/socket"
	"roteiro2/internal/tracking"
)

// init prende a goroutine principal à thread principal do processo (a que o
// SO criou ao executar o programa; o runtime chama main nela): como no
// Python, tudo acontece nessa thread, e cada chamada do sistema (accept,
// recv, sleep, send) a faz dormir no kernel até terminar. Sem isso o runtime
// poderia trocar a goroutine de thread entre uma chamada e outra.
func init() { runtime.LockOSThread() }

var acompanhamento *tracking.Server

// opcoes lê as flags para as variáveis do .py e liga o Ctrl-C.
func opcoes() {
	f := cli.ServerFlags(BACKLOG)
	f.Parse()
	HOST, PORT, DELAY, BACKLOG = f.Host, f.Port, f.Delay, f.Backlog
	acompanhamento = tracking.New(tracking.Config{Grace: f.Grace, Idle: f.Idle, Quiet: f.Quiet})
}

// reusarPorta: o SO_REUSEADDR que o .py não liga (o servergargalo.py liga),
// como o socket.create_server do Python faz. Sem ele, depois de parar um
// servidor, reabrir a porta daria "Porta em uso" até o TIME_WAIT das conexões
// antigas acabar (60 s no Linux). No Windows, nada: lá ele quer dizer outra
// coisa (socket.ReuseAddr).
func reusarPorta(server *socket.Sock) { checar(server.ReuseAddr()) }

// acompanhar liga o tracking ao socket de escuta e acerta PORT (com -port 0
// o kernel escolheu uma).
func acompanhar(server *socket.Sock) { PORT = acompanhamento.Watch(server) }

// imprimir é o print do .py para as linhas de cada conexão (nada com -q).
func imprimir(format string, args ...any) { acompanhamento.Logf(format, args...) }

// checar termina o programa com uma linha em português e código 1 se err
// não for nil: a exceção não tratada do Python (porta em uso, permissão).
func checar(err error) { cli.CheckListen(err, HOST, PORT) }

// esperarFim espera a parada terminar (ela imprime o resumo e sai com 0).
func esperarFim() { acompanhamento.Wait() }
