// Serverbloq é o serverbloq.py em Go: um servidor bloqueante que atende um
// cliente por vez, no próprio laço principal (Etapa 1.1 do roteiro).
package main

import (
	"fmt"
	"runtime"
	"time"

	"roteiro2/internal/blocking"
	"roteiro2/internal/cli"
	"roteiro2/internal/wire"
)

// init prende a goroutine principal à thread principal do processo (a que o
// SO criou ao executar o programa; o runtime chama main nela): como no
// Python, tudo acontece nessa thread, e cada chamada do sistema abaixo
// (accept, recv, sleep, send) a faz dormir no kernel até terminar. Sem isso
// o runtime do Go poderia trocar a goroutine de thread entre uma chamada e
// outra.
func init() { runtime.LockOSThread() }

func main() {
	// listen() do Python usa backlog 128 quando nenhum valor é passado.
	flags := cli.ServerFlags(128)
	flags.Parse()
	iniciarServidorBloqueante(flags)
}

func iniciarServidorBloqueante(flags *cli.Server) {
	// socket + SO_REUSEADDR + bind + listen(backlog): a partir daqui o kernel
	// completa o handshake TCP sozinho e guarda as conexões prontas numa
	// fila (o backlog) até o programa chamar accept().
	ln, note, err := blocking.Listen(flags.Host, flags.Port, flags.Backlog)
	if err != nil {
		cli.Fatal(cli.ListenError(err, flags.Host, flags.Port))
	}
	srv := blocking.New(ln, flags.Grace, flags.Quiet)
	// No Windows o backlog não pode ser escolhido: note diz isso na
	// própria linha de início.
	if note != "" {
		note = " — " + note
	}
	fmt.Printf("[MODO BLOQUEANTE] Servidor rodando em %s%s\n", ln.Addr(), note)
	fmt.Println("Atendendo um cliente por vez: os outros esperam na fila do kernel (backlog).")

	for {
		// 1. accept() bloqueia: a thread dorme no kernel (wchan
		// inet_csk_accept) até haver uma conexão completa na fila. Os outros
		// clientes já conectaram (o kernel fez o handshake), mas esperam na
		// fila enquanto este laço está ocupado.
		conn, ok := srv.Accept()
		if !ok {
			srv.Wait() // sinal recebido: o resumo sai e o processo termina
		}
		// 2. Sem thread: a conexão é tratada aqui mesmo, e o próximo
		// accept() só acontece quando esta terminar. Por isso [ATIVO] nunca
		// passa de 1.
		srv.Active(1)
		processarRequisicao(srv, conn, flags.Delay, flags.Idle)
	}
}

// processarRequisicao é a do original: recv, sleep, send, close.
func processarRequisicao(srv *blocking.Server, conn *blocking.Conn, delay, idle time.Duration) {
	addr := conn.Addr()
	// O Python fecha no finally; em Go, defer. Depois de uma resposta o
	// fechamento é demorado (srv.Close), para que um pedido maior que 1024
	// bytes não transforme o FIN em RST e apague a resposta.
	defer func() {
		srv.Close(conn)
		srv.Logf("--- [FIM] %s finalizado. Próximo! ---", addr)
	}()
	srv.Logf("--- [INÍCIO] Atendendo %s ---", addr)

	// conn.recv(1024) bloqueia até chegarem dados (ou o cliente fechar): a
	// thread dorme no kernel (wchan wait_woken). Um cliente que conecta e
	// fica calado prenderia o servidor inteiro para sempre; o prazo -ocioso
	// é o que libera a fila.
	conn.SetRecvTimeout(idle)
	msg, err := conn.Recv(wire.MaxRead)
	switch {
	case blocking.IsTimeout(err):
		srv.Logf("[OCIOSO] %s fechada após %v sem dados", addr, idle)
		return
	case err != nil:
		// O "except Exception as e" do original: em Go o erro é um valor.
		srv.Logf("Erro: %v", err)
		return
	case len(msg) == 0:
		return // recv devolveu b"": o cliente fechou sem mandar nada
	}
	srv.Logf("[%s] Processando: %s (Isso vai demorar %v...)", addr, wire.Quote(msg), delay)

	// time.sleep(5): nanosleep(2). A thread dorme no kernel (wchan
	// hrtimer_nanosleep) e NADA mais acontece no servidor; quem chega agora
	// espera na fila do kernel.
	blocking.Sleep(delay)

	// conn.send: o kernel copia a resposta para o buffer de envio do socket.
	if err := conn.Send(wire.Reply("Processado (com atraso): ", msg)); err != nil {
		srv.Logf("Erro: %v", err)
		return
	}
	srv.Served(conn)
}
