// Servergargalo é o servergargalo.py em Go: listen(1), um cliente por vez,
// sem nem ler o pedido — o gargalo da Etapa 1.2, feito para encher a fila.
package main

import (
	"fmt"
	"runtime"

	"roteiro2/internal/blocking"
	"roteiro2/internal/cli"
)

// init prende a goroutine principal à thread principal do processo (a que o
// SO criou ao executar o programa; o runtime chama main nela): como no
// Python, tudo acontece nessa thread, e cada chamada do sistema abaixo
// (accept, recv, sleep, send) a faz dormir no kernel até terminar. Sem isso
// o runtime do Go poderia trocar a goroutine de thread entre uma chamada e
// outra.
func init() { runtime.LockOSThread() }

func main() {
	// listen(1): o original pede ao SO uma fila de espera de um só.
	flags := cli.ServerFlags(1)
	flags.Parse()
	iniciarServidor(flags)
}

func iniciarServidor(flags *cli.Server) {
	// socket + SO_REUSEADDR + bind + listen(backlog): blocking.Listen faz os
	// quatro, com o backlog exato (internal/sock). Se o bind falhar, o
	// original avisa e para; aqui também, com código 1.
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
	fmt.Printf("[SERVIDOR MONOTAREFA] Rodando em %s%s\n", ln.Addr(), note)
	// O original imprime "1 atendendo + 1 na espera". O backlog é uma dica:
	// o Linux guarda backlog+1 conexões completas na fila (include/net/sock.h,
	// sk_acceptq_is_full compara com >), outros sistemas fazem outra conta.
	fmt.Println(capacidade(flags.Backlog))
	// No Linux a fila cheia descarta o SYN em silêncio: quem sobra expira
	// (timeout); recusa (ECONNREFUSED) só quando ninguém escuta a porta.
	fmt.Println("Os demais ficam sem lugar na fila: o SO descarta ou recusa a conexão, e o cliente expira (timeout) ou é recusado, conforme o sistema.")

	for {
		// O servidor aceita um... accept() bloqueia até haver uma conexão
		// completa na fila. Enquanto este laço está ocupado, a fila
		// (backlog+1 no Linux) enche e os SYNs seguintes são descartados
		// pelo kernel.
		conn, ok := srv.Accept()
		if !ok {
			srv.Wait() // sinal recebido: o resumo sai e o processo termina
		}
		addr := conn.Addr()
		srv.Logf("--- [ATENDENDO] %s ---", addr)
		srv.Active(1) // um por vez: os outros esperam na fila do kernel
		// (-ocioso não se aplica aqui: este servidor nunca lê do cliente.)

		// ...e dorme no serviço! time.sleep(5) SEM ler nada: nanosleep(2), a
		// thread dorme no kernel; o pedido do cliente (se houver) fica no
		// buffer de recepção do kernel, e a fila de accept não anda.
		blocking.Sleep(flags.Delay)

		// conn.send com o erro ignorado, como o original (try/except: pass).
		// O cliente pode ter desistido há muito: o send ainda "dá certo" (o
		// kernel só fica sabendo pelo RST que volta depois).
		if conn.Send([]byte("Atendido com sucesso.")) == nil {
			srv.Served(conn)
		}

		// conn.close(): fechamento demorado depois da resposta, para que o
		// pedido não lido não transforme o FIN em RST e apague a resposta.
		srv.Close(conn)
		srv.Logf("--- [FINALIZADO] %s ---", addr)
	}
}

// capacidade diz quantos clientes cabem: 1 sendo atendido e os da fila.
func capacidade(backlog int) string {
	if runtime.GOOS == "linux" {
		return fmt.Sprintf("Capacidade: 1 atendendo + %d na espera (listen(%d): o Linux guarda backlog+1 na fila).", backlog+1, backlog)
	}
	return fmt.Sprintf("Capacidade: 1 atendendo + cerca de %d na espera (listen(%d) é uma dica: cada SO decide o tamanho real da fila).", backlog, backlog)
}
