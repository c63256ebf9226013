package main

// O que o porte acrescenta ao server.py, fora dos passos dele: as flags
// (-modelo e -max-threads além das comuns), a linha [MODELO], os números do
// processo no fim da linha [ATIVO], e o acompanhamento do pacote tracking,
// ligado ao socket de escuta (acompanhar): o Ctrl-C que espera as conexões
// em andamento e imprime o [RESUMO SERVIDOR], o fechamento com espera depois
// da resposta, o -ocioso. O limite de threads está em threads.go.

import (
	"flag"
	"fmt"
	"runtime"
	"time"

	"roteiro2/internal/cli"
	"roteiro2/internal/socket"
	"roteiro2/internal/tracking"
)

// init prende a goroutine principal à thread principal do processo, antes de
// main começar: como no Python, é a thread principal que faz o accept (uma
// LockOSThread dentro de main já poderia estar em outra thread).
func init() { runtime.LockOSThread() }

var (
	MODELO         = "thread" // -modelo
	IDLE           time.Duration
	acompanhamento *tracking.Server
)

// opcoes lê as flags para as variáveis do .py, liga o Ctrl-C e calcula o
// limite de threads.
func opcoes() {
	flag.StringVar(&MODELO, "modelo", MODELO, `"thread": cada conexão numa thread do SO, como o server.py; "goroutine": o jeito idiomático do Go`)
	maxThreads := flag.Int("max-threads", 20000, "máximo de conexões atendidas ao mesmo tempo no modelo thread (o servidor baixa o número se o sistema não deixar criar tantas threads); além disso ele para de aceitar e os clientes esperam na fila do kernel")
	f := cli.ServerFlags(BACKLOG)
	f.Parse()
	if MODELO != "thread" && MODELO != "goroutine" {
		cli.Usage(fmt.Sprintf("-modelo %q: use thread ou goroutine", MODELO))
	}
	if *maxThreads < 1 {
		cli.Usage(fmt.Sprintf("-max-threads %d: precisa ser pelo menos 1", *maxThreads))
	}
	HOST, PORT, DELAY, BACKLOG, IDLE = f.Host, f.Port, f.Delay, f.Backlog, f.Idle
	cfg := tracking.Config{Grace: f.Grace, Idle: f.Idle, Quiet: f.Quiet,
		Extra: func() string { return "modelo=goroutine" }}
	if MODELO == "thread" {
		n := limitarThreads(*maxThreads)
		cfg.Extra = func() string {
			return fmt.Sprintf("modelo=thread max_threads=%d esperas_max_threads=%d", n, esperas.Load())
		}
	}
	acompanhamento = tracking.New(cfg)
}

// reusarPorta: o SO_REUSEADDR que o .py não liga (o servergargalo.py liga),
// como o socket.create_server do Python faz. Sem ele, depois de parar um
// servidor, reabrir a porta daria "Porta em uso" até o TIME_WAIT das conexões
// antigas acabar (60 s no Linux). No Windows, nada: lá ele quer dizer outra
// coisa (socket.ReuseAddr).
func reusarPorta(server *socket.Sock) { checar(server.ReuseAddr()) }

// acompanhar liga o tracking ao socket de escuta, acerta PORT (com -port 0
// o kernel escolheu uma) e imprime a linha [MODELO].
func acompanhar(server *socket.Sock) {
	PORT = acompanhamento.Watch(server)
	fmt.Printf("[MODELO] thread: uma thread do SO por conexão (runtime.LockOSThread), esperando no kernel; no máximo %d ao mesmo tempo. threads SO agora: %s\n",
		cap(vagas), threadsAgora())
}

// numeros são os números do processo no fim da linha [ATIVO]: as threads
// reais do SO, memória, CPU e trocas de contexto.
func numeros() string { return acompanhamento.Figures() }

// threadSO é " (thread SO 12345)": o número da thread do SO que atende a
// conexão (gettid, o mesmo que threading.get_native_id() do Python e ps -L
// mostram), para ver que cada conexão tem a sua. Vazio fora do Linux.
func threadSO() string {
	if id := tid(); id > 0 {
		return fmt.Sprintf(" (thread SO %d)", id)
	}
	return ""
}

func threadsAgora() string {
	if n := acompanhamento.Threads(); n >= 0 {
		return fmt.Sprint(n)
	}
	return "n/d"
}

// imprimir é o print do .py para as linhas de cada conexão (nada com -q).
func imprimir(format string, args ...any) { acompanhamento.Logf(format, args...) }

// checar termina o programa com uma linha em português e código 1 se err
// não for nil: a exceção não tratada do Python (porta em uso, permissão).
func checar(err error) { cli.CheckListen(err, HOST, PORT) }

// esperarFim espera a parada terminar (ela imprime o resumo e sai com 0).
func esperarFim() { acompanhamento.Wait() }
