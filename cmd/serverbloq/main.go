// Serverbloq é o serverbloq.py em Go: um servidor bloqueante que atende um
// cliente por vez, no próprio laço principal (Etapa 1.1 do roteiro).
package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"roteiro2/internal/blocking"
	"roteiro2/internal/cli"
	"roteiro2/internal/listener"
	"roteiro2/internal/wire"
)

func main() {
	// listen() do Python usa backlog 128 quando nenhum valor é passado.
	flags := cli.ServerFlags(128)
	flags.Parse()
	iniciarServidor(flags)
}

func iniciarServidor(flags *cli.Server) {
	// socket + SO_REUSEADDR + bind + listen(backlog): a partir daqui o kernel
	// completa o handshake TCP sozinho e guarda as conexões prontas numa
	// fila (o backlog) até o programa chamar accept().
	ln, note, err := listener.Listen(flags.Host, flags.Port, flags.Backlog)
	if err != nil {
		cli.Fatal(cli.ListenError(err, flags.Host, flags.Port))
	}
	// No Windows o backlog não pode ser escolhido: note diz isso na
	// própria linha de início.
	if note != "" {
		note = " — " + note
	}
	fmt.Printf("[MODO BLOQUEANTE] Servidor rodando em %s%s\n", ln.Addr(), note)
	fmt.Println("Atendendo um cliente por vez: os outros esperam na fila do kernel (backlog).")

	srv := blocking.New(ln, flags.Grace, flags.Quiet)
	for {
		// accept() bloqueia: a thread dorme no kernel até haver uma conexão
		// completa na fila. Os outros clientes já conectaram (o kernel fez o
		// handshake), mas esperam na fila enquanto este laço está ocupado.
		conn, ok := srv.Accept()
		if !ok {
			srv.Wait() // sinal recebido: o resumo sai e o processo termina
		}
		// Sem thread: a conexão é tratada aqui mesmo, e o próximo accept()
		// só acontece quando esta terminar. Por isso [ATIVO] nunca passa de 1.
		srv.Active(1)
		atenderCliente(srv, conn, flags.Delay, flags.Idle)
	}
}

// atenderCliente é o corpo do "with conn:" do original.
func atenderCliente(srv *blocking.Server, conn net.Conn, delay, idle time.Duration) {
	addr := blocking.Addr(conn)
	served := false
	// O Python fecha a conexão ao sair do bloco with; em Go o costume é
	// defer conn.Close() — aqui, depois de uma resposta, um fechamento
	// demorado (blocking.Linger), para que um pedido maior que 1024 bytes
	// não transforme o FIN em RST e apague a resposta.
	defer func() {
		blocking.Close(conn, served)
		srv.Done(conn, served)
		srv.Logf("--- [FIM] %s finalizado. Próximo! ---", addr)
	}()
	srv.Logf("--- [INÍCIO] Atendendo %s ---", addr)

	// recv(1024) bloqueia até chegarem dados (ou o cliente fechar). Um
	// cliente que conecta e fica calado prenderia o servidor inteiro para
	// sempre; o prazo -ocioso é o que libera a fila.
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
		// recv devolveu b"": o cliente fechou sem mandar nada (ou deu erro).
		if err != nil && !errors.Is(err, io.EOF) {
			srv.Logf("Erro: %v", err)
		}
		return
	}
	conn.SetReadDeadline(time.Time{})
	msg := buf[:n]
	srv.Logf("[%s] Processando: %s (Isso vai demorar %v...)", addr, wire.Quote(msg), delay)

	// time.sleep(5): a thread dorme e NADA mais acontece no servidor; quem
	// chega agora espera na fila do kernel.
	time.Sleep(delay)

	// sendall: o kernel copia a resposta para o buffer de envio do socket.
	// Em Go o erro é um valor devolvido, não uma exceção: o "except" do
	// original vira este if.
	if _, err := conn.Write(wire.Reply("Processado (com atraso): ", msg)); err != nil {
		srv.Logf("Erro: %v", err)
		return
	}
	served = true
}
