// Server é o server.py em Go: uma thread do sistema operacional por conexão
// (Etapa 2.1). Com -modelo goroutine vira o servidor idiomático do Go, uma
// goroutine por conexão, para comparar quantas threads cada um usa e onde
// cada um espera.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"

	"roteiro2/internal/blocking"
	"roteiro2/internal/cli"
	"roteiro2/internal/wire"
)

// margemThreads é o que se soma ao -max-threads no limite de threads do
// runtime (debug.SetMaxThreads): as threads que o próprio runtime do Go usa
// além das de atendimento — o sysmon, as que rodam as goroutines comuns (a
// do laço de accept, a da amostragem, uma por GOMAXPROCS) e as que ficam de
// reserva depois de uma chamada do sistema longa. O coletor de lixo não tem
// thread própria: seus trabalhadores são goroutines que rodam nessas mesmas
// threads.
const margemThreads = 128

func main() {
	modelo := flag.String("modelo", "thread", `"thread": cada conexão numa thread do SO, como o server.py; "goroutine": o jeito idiomático do Go`)
	maxThreads := flag.Int("max-threads", 20000, "máximo de conexões atendidas ao mesmo tempo no modelo thread; além disso o servidor para de aceitar e os clientes esperam na fila do kernel")
	// listen() do Python usa backlog 128 quando nenhum valor é passado.
	flags := cli.ServerFlags(128)
	flags.Parse()
	if *modelo != "thread" && *modelo != "goroutine" {
		cli.Usage(fmt.Sprintf("-modelo %q: use thread ou goroutine", *modelo))
	}
	if *maxThreads < 1 {
		cli.Usage(fmt.Sprintf("-max-threads %d: precisa ser pelo menos 1", *maxThreads))
	}
	fmt.Println("--- INICIANDO SERVIDOR DE SISTEMAS DISTRIBUÍDOS ---")
	if *modelo == "thread" {
		iniciarServidor(flags, *maxThreads)
	} else {
		iniciarServidorGoroutines(flags)
	}
}

// ativos conta os atendimentos vivos: o threading.active_count() - 1 do Python.
var ativos atomic.Int64

// ---------------------------------------------------------------------------
// Modelo thread: o server.py. Cada chamada (accept, recv, sleep, send) é a
// chamada do sistema num socket bloqueante, e a thread que a faz dorme no
// kernel até ela terminar: `cat /proc/PID/task/*/wchan` mostra uma thread
// em inet_csk_accept e uma por conexão em wait_woken (recv) ou
// hrtimer_nanosleep (sleep), como no Python.
// ---------------------------------------------------------------------------

func iniciarServidor(flags *cli.Server, maxThreads int) {
	// Como no Python, é a thread principal que faz o accept.
	runtime.LockOSThread()

	// socket + SO_REUSEADDR + bind + listen(backlog), em modo bloqueante.
	ln, note, err := blocking.Listen(flags.Host, flags.Port, flags.Backlog)
	if err != nil {
		cli.Fatal(cli.ListenError(err, flags.Host, flags.Port))
	}
	srv := blocking.New(ln, flags.Grace, flags.Quiet)
	fmt.Printf("[OUVINDO] Servidor rodando em %s%s\n", ln.Addr(), aviso(note))

	// vagas é um semáforo: uma vaga por thread de atendimento. O runtime do
	// Go aborta o processo inteiro ("thread exhaustion") ao passar de
	// debug.SetMaxThreads (10 000 por padrão). Em vez de morrer, o servidor
	// para de chamar accept() quando as vagas acabam; os clientes seguintes
	// esperam na fila do kernel, como no MaxRequestWorkers do Apache.
	debug.SetMaxThreads(maxThreads + margemThreads)
	vagas := make(chan struct{}, maxThreads)
	var esperas atomic.Int64
	srv.Extra = func() string { return fmt.Sprintf("modelo=thread esperas_max_threads=%d", esperas.Load()) }
	fmt.Printf("[MODELO] thread: uma thread do SO por conexão (runtime.LockOSThread), esperando no kernel; no máximo %d ao mesmo tempo. threads SO agora: %s\n",
		maxThreads, fmtThreads(srv.Threads()))

	avisou := false
	for {
		select {
		case vagas <- struct{}{}:
		default:
			esperas.Add(1)
			if !avisou {
				avisou = true
				fmt.Printf("[LIMITE] %d threads de atendimento ocupadas (-max-threads): paro de aceitar até uma terminar; os próximos clientes esperam na fila do kernel.\n", maxThreads)
			}
			vagas <- struct{}{}
		}
		// accept() bloqueia: a thread principal dorme no kernel até haver
		// uma conexão completa na fila.
		conn, ok := srv.Accept()
		if !ok {
			srv.Wait() // sinal recebido: o resumo sai e o processo termina
		}

		// threading.Thread(target=processar_requisicao).start(): o start()
		// do Python só volta depois que a thread nova começou a rodar; aqui o
		// canal iniciou faz o mesmo, e o número de threads impresso já a
		// inclui.
		ativos.Add(1)
		iniciou := make(chan struct{})
		go processarRequisicao(srv, conn, flags.Delay, flags.Idle, iniciou, vagas)
		<-iniciou
		srv.Active(ativos.Load())
	}
}

// processarRequisicao é a função que o server.py entrega a cada thread.
func processarRequisicao(srv *blocking.Server, conn *blocking.Conn, delay, idle time.Duration, iniciou chan<- struct{}, vagas <-chan struct{}) {
	// Uma goroutine NÃO é uma thread do SO: o runtime do Go distribui
	// milhares delas por poucas threads. LockOSThread dá a esta goroutine
	// uma thread só dela. Não há UnlockOSThread: quando a goroutine termina
	// presa, o runtime encerra a thread junto, e o número de threads volta a
	// cair como no Python.
	runtime.LockOSThread()
	addr := conn.Addr()
	defer func() {
		srv.Close(conn) // conn.close(), com fechamento demorado se respondeu
		ativos.Add(-1)
		srv.Logf("[DESCONECTADO] %s", addr)
		<-vagas // libera a vaga: o laço de accept pode voltar a aceitar
	}()
	close(iniciou)
	if id := tid(); id > 0 {
		// O número da thread do SO (gettid) mostra que cada conexão tem a sua.
		srv.Logf("[NOVA CONEXÃO] %s conectado. (thread SO %d)", addr, id)
	} else {
		srv.Logf("[NOVA CONEXÃO] %s conectado.", addr)
	}

	// conn.recv(1024): recv(2) num socket bloqueante. ESTA thread dorme no
	// kernel (wchan wait_woken) até chegarem dados; as outras seguem.
	conn.SetRecvTimeout(idle) // -ocioso (0: espera para sempre, como o original)
	msg, err := conn.Recv(wire.MaxRead)
	switch {
	case blocking.IsTimeout(err):
		srv.Logf("[OCIOSO] %s fechada após %v sem dados", addr, idle)
		return
	case err != nil:
		srv.Logf("[%s] Erro: %v", addr, err) // por exemplo ECONNRESET
		return
	case len(msg) == 0:
		return // "if not msg: break": o cliente fechou sem mandar nada
	}
	srv.Logf("[%s] Processando: %s", addr, wire.Quote(msg))

	// time.sleep(5): nanosleep(2). Só esta thread dorme no kernel (wchan
	// hrtimer_nanosleep); as outras conexões seguem sendo atendidas.
	blocking.Sleep(delay)

	// conn.send(resposta): em Go o erro volta como valor. Um cliente que
	// resetou ou sumiu durante o sleep aparece aqui (EPIPE/ECONNRESET) e só
	// esta conexão termina.
	if err := conn.Send(wire.Reply("Processado: ", msg)); err != nil {
		srv.Logf("[%s] Erro: %v", addr, err)
		return
	}
	srv.Served(conn)
}

// ---------------------------------------------------------------------------
// Modelo goroutine: o mesmo servidor escrito como se escreve em Go. Os
// passos são os mesmos, mas net.Conn e time.Sleep não param thread nenhuma:
// a goroutine fica estacionada no netpoller do runtime (ele mesmo um laço
// epoll/kqueue) ou num temporizador, e a thread vai rodar outra goroutine.
// No wchan: nenhuma thread em recv ou em nanosleep, só umas poucas em futex
// e uma em epoll_wait, com 10 ou com 10 000 conexões.
// ---------------------------------------------------------------------------

func iniciarServidorGoroutines(flags *cli.Server) {
	ln, note, err := blocking.ListenNet(flags.Host, flags.Port, flags.Backlog)
	if err != nil {
		cli.Fatal(cli.ListenError(err, flags.Host, flags.Port))
	}
	srv := blocking.NewNet(ln, flags.Grace, flags.Quiet)
	fmt.Printf("[OUVINDO] Servidor rodando em %s%s\n", ln.Addr(), aviso(note))
	srv.Extra = func() string { return "modelo=goroutine" }
	fmt.Printf("[MODELO] goroutine: uma goroutine por conexão; o runtime as distribui em poucas threads. threads SO agora: %s\n",
		fmtThreads(srv.Threads()))
	for {
		conn, ok := srv.AcceptNet()
		if !ok {
			srv.Wait() // sinal recebido: o resumo sai e o processo termina
		}
		ativos.Add(1)
		go atenderGoroutine(srv, conn, flags.Delay, flags.Idle)
		srv.Active(ativos.Load())
	}
}

// atenderGoroutine é processarRequisicao do jeito do Go.
func atenderGoroutine(srv *blocking.Server, conn net.Conn, delay, idle time.Duration) {
	addr := blocking.Addr(conn)
	defer func() {
		srv.Close(conn)
		ativos.Add(-1)
		srv.Logf("[DESCONECTADO] %s", addr)
	}()
	srv.Logf("[NOVA CONEXÃO] %s conectado.", addr)

	// conn.Read: a goroutine espera no netpoller; nenhuma thread dorme aqui.
	if idle > 0 {
		conn.SetReadDeadline(time.Now().Add(idle))
	}
	buf := make([]byte, wire.MaxRead)
	n, err := conn.Read(buf)
	switch {
	case blocking.IsTimeout(err):
		srv.Logf("[OCIOSO] %s fechada após %v sem dados", addr, idle)
		return
	case n == 0:
		// O cliente fechou (io.EOF) ou resetou sem mandar nada.
		if err != nil && !errors.Is(err, io.EOF) {
			srv.Logf("[%s] Erro: %v", addr, err)
		}
		return
	}
	msg := buf[:n]
	srv.Logf("[%s] Processando: %s", addr, wire.Quote(msg))

	// time.Sleep: um temporizador do runtime acorda a goroutine; a thread
	// não fica parada esperando por ela.
	time.Sleep(delay)

	if _, err := conn.Write(wire.Reply("Processado: ", msg)); err != nil {
		srv.Logf("[%s] Erro: %v", addr, err)
		return
	}
	srv.Served(conn)
}

// aviso acrescenta à linha de início a nota de Listen (no Windows o backlog
// não pode ser escolhido).
func aviso(note string) string {
	if note == "" {
		return ""
	}
	return " — " + note
}

func fmtThreads(n int) string {
	if n < 0 {
		return "n/d"
	}
	return fmt.Sprint(n)
}
