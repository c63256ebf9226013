// Server é o server.py em Go: uma thread do sistema operacional por conexão
// (Etapa 2.1). Com -modelo goroutine vira o servidor idiomático do Go, uma
// goroutine por conexão, para comparar a contagem de threads.
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
	"roteiro2/internal/listener"
	"roteiro2/internal/wire"
)

// margemThreads são as threads do próprio runtime do Go (sysmon, coletor de
// lixo, a que roda o laço de accept...) somadas ao -max-threads no limite do
// runtime (debug.SetMaxThreads).
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
	iniciarServidor(flags, *modelo == "thread", *maxThreads)
}

// ativos conta os handlers vivos: o threading.active_count() - 1 do Python.
var ativos atomic.Int64

func iniciarServidor(flags *cli.Server, thread bool, maxThreads int) {
	fmt.Println("--- INICIANDO SERVIDOR DE SISTEMAS DISTRIBUÍDOS ---")
	// socket + SO_REUSEADDR + bind + listen(backlog).
	ln, note, err := listener.Listen(flags.Host, flags.Port, flags.Backlog)
	if err != nil {
		cli.Fatal(cli.ListenError(err, flags.Host, flags.Port))
	}
	// No Windows o backlog não pode ser escolhido: note diz isso na
	// própria linha de início.
	if note != "" {
		note = " — " + note
	}
	fmt.Printf("[OUVINDO] Servidor rodando em %s%s\n", ln.Addr(), note)

	srv := blocking.New(ln, flags.Grace, flags.Quiet)

	// vagas é um semáforo: uma vaga por thread de atendimento. O runtime do
	// Go aborta o processo inteiro ("thread exhaustion") ao passar de
	// debug.SetMaxThreads (10 000 por padrão). Em vez de morrer, o servidor
	// para de chamar accept() quando as vagas acabam; os clientes seguintes
	// esperam na fila do kernel, como no MaxRequestWorkers do Apache.
	var vagas chan struct{}
	var esperas atomic.Int64
	if thread {
		debug.SetMaxThreads(maxThreads + margemThreads)
		vagas = make(chan struct{}, maxThreads)
		srv.Extra = func() string { return fmt.Sprintf("modelo=thread esperas_max_threads=%d", esperas.Load()) }
		fmt.Printf("[MODELO] thread: uma thread do SO por conexão (runtime.LockOSThread); no máximo %d ao mesmo tempo. threads SO agora: %s\n",
			maxThreads, fmtThreads(srv.Threads()))
	} else {
		srv.Extra = func() string { return "modelo=goroutine" }
		fmt.Printf("[MODELO] goroutine: uma goroutine por conexão; o runtime as distribui em poucas threads. threads SO agora: %s\n",
			fmtThreads(srv.Threads()))
	}

	avisou := false
	for {
		if vagas != nil {
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
		}
		// accept() bloqueia até haver uma conexão completa na fila.
		conn, ok := srv.Accept()
		if !ok {
			srv.Wait() // sinal recebido: o resumo sai e o processo termina
		}

		// threading.Thread(target=handle_client).start(): o start() do Python
		// só volta depois que a thread nova começou a rodar; aqui o canal
		// iniciou faz o mesmo, e o número de threads impresso já a inclui.
		ativos.Add(1)
		iniciou := make(chan struct{})
		go handleClient(srv, conn, flags.Delay, flags.Idle, thread, iniciou, vagas)
		<-iniciou
		srv.Active(ativos.Load())
	}
}

// handleClient é a função que o server.py entrega a cada thread.
func handleClient(srv *blocking.Server, conn net.Conn, delay, idle time.Duration, thread bool, iniciou chan<- struct{}, vagas <-chan struct{}) {
	if thread {
		// Goroutines NÃO são threads do SO: o runtime do Go multiplexa
		// milhares delas em poucas threads, e uma goroutine bloqueada num
		// socket fica estacionada no netpoller do runtime (que é, ele mesmo,
		// um laço epoll/kqueue), sem ocupar thread nenhuma. Para ser fiel ao
		// Python, prendemos esta goroutine a uma thread só dela. Não há
		// UnlockOSThread: quando a goroutine termina presa, o runtime encerra
		// a thread junto, e o número de threads volta a cair como no Python.
		runtime.LockOSThread()
	}
	addr := blocking.Addr(conn)
	served := false
	defer func() {
		// conn.close() do original; depois de uma resposta, fechamento
		// demorado: um pedido maior que 1024 bytes não transforma o FIN em RST.
		blocking.Close(conn, served)
		srv.Done(conn, served)
		ativos.Add(-1)
		srv.Logf("[DESCONECTADO] %s", addr)
		if vagas != nil {
			<-vagas // libera a vaga: o laço de accept pode voltar a aceitar
		}
	}()
	close(iniciou)
	if id := tid(); thread && id > 0 {
		// O número da thread do SO (gettid) mostra que cada conexão tem a sua.
		srv.Logf("[NOVA CONEXÃO] %s conectado. (thread SO %d)", addr, id)
	} else {
		srv.Logf("[NOVA CONEXÃO] %s conectado.", addr)
	}

	// recv(1024) bloqueia: no modelo thread, a thread dorme no kernel até
	// chegarem dados; no modelo goroutine, só a goroutine espera (no
	// netpoller) e a thread vai rodar outra coisa.
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
		// "if not data: break": o cliente fechou (ou resetou) sem mandar nada.
		if err != nil && !errors.Is(err, io.EOF) {
			srv.Logf("[%s] Erro: %v", addr, err)
		}
		return
	}
	conn.SetReadDeadline(time.Time{})
	msg := buf[:n]
	srv.Logf("[%s] Processando: %s", addr, wire.Quote(msg))

	// time.sleep(5): só esta thread (ou goroutine) dorme; as outras conexões
	// seguem sendo atendidas.
	time.Sleep(delay)

	// sendall: em Go o erro volta como valor. Um cliente que resetou ou
	// sumiu durante o sleep aparece aqui (EPIPE/ECONNRESET) e só esta
	// conexão termina.
	if _, err := conn.Write(wire.Reply("Processado: ", msg)); err != nil {
		srv.Logf("[%s] Erro: %v", addr, err)
		return
	}
	served = true
}

func fmtThreads(n int) string {
	if n < 0 {
		return "n/d"
	}
	return fmt.Sprint(n)
}
