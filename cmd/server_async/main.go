// Server_async é a Etapa 3 do roteiro: o server_async.py que o aluno escreve
// com asyncio, aqui sobre o nosso próprio laço de eventos (internal/reactor:
// epoll no Linux, kqueue no macOS e nos BSD), sem o pacote net do Go. Uma
// única thread atende todos os clientes.
//
// Este arquivo é o esqueleto do roteiro (seção 3.2), preenchido. Cada await
// do Python vira uma operação que recebe a continuação, o que fazer quando
// ela terminar: é o que o await faz por baixo, às claras. O que o porte
// acrescenta (as flags, o log que não bloqueia o laço, a conta do resumo, o
// Ctrl-C) está em extras.go. Cada TODO é o do roteiro: na edição dos alunos
// (go run ./cmd/roteiro -edicao-aluno PASTA), a região de solução que vem
// depois dele fica para o aluno escrever.
package main

import (
	"fmt"
	"time"

	"roteiro2/internal/reactor"
	"roteiro2/internal/wire"
)

// As constantes do esqueleto; as flags -host, -port e -delay as trocam.
var (
	HOST  = "127.0.0.1"
	PORT  = 65432
	DELAY = 5 * time.Second // o asyncio.sleep(5)
)

// handleClient é a corrotina chamada pelo Event Loop para cada nova conexão.
// Substitui a função que antes rodava em uma Thread separada. Ela volta
// logo: cada passo pede algo ao laço e diz o que fazer depois.
func handleClient(c *reactor.Conn) {
	addr := c.Peername()
	imprimir("[NOVA CONEXÃO] %s", addr)

	// 1. Leia os dados enviados pelo cliente (use 'await reader.read(1024)')
	// TODO: ...
	// BEGIN SOLUTION
	c.Read(1024, func(data []byte, err error) {
		if err != nil {
			imprimir("[%s] Erro: %v", addr, err) // o prazo -ocioso, ou a conexão perdida
		}
		if len(data) == 0 {
			// O cliente fechou sem mandar nada: não há o que responder. A
			// corrotina termina aqui, e o laço fecha a conexão por ela.
			return
		}
		imprimir("[%s] Processando: %s", addr, wire.Quote(data))
		// END SOLUTION

		// 2. Simule um processamento pesado SEM bloquear a thread principal.
		//    Use 'await asyncio.sleep(5)' — NÃO use 'time.sleep(5)'.
		//    Entenda a diferença: time.sleep bloqueia a Thread; asyncio.sleep
		//    apenas suspende a corrotina e devolve o controle ao Event Loop.
		// TODO: ...
		// BEGIN SOLUTION
		c.Sleep(DELAY, func() {
			// END SOLUTION

			// 3. Envie a resposta ao cliente (use 'writer.write(...)' e 'await writer.drain()')
			// TODO: ...
			// BEGIN SOLUTION
			c.Write(append([]byte("Processado: "), data...))
			c.Drain(func(error) {
				// END SOLUTION

				// 4. Feche a conexão (use 'writer.close()' e 'await writer.wait_closed()')
				// TODO: ...
				// BEGIN SOLUTION
				c.Close()
				c.WaitClosed(func(error) {
					// END SOLUTION
					imprimir("[DESCONECTADO] %s", addr)
					// BEGIN SOLUTION
				})
			})
		})
	})
	// END SOLUTION
}

// main é o ponto de entrada: cria e inicia o servidor.
func main() {
	opcoes() // (porte) as flags, o log, o Ctrl-C e a conta do resumo: extras.go

	// Use asyncio.start_server() passando handle_client, HOST e PORT
	// TODO: ...
	// BEGIN SOLUTION
	server, err := reactor.StartServer(handleClient, HOST, PORT, BACKLOG, laco)
	checar(err)
	PORT = server.Port() // com -port 0, a porta que o sistema escolheu
	// END SOLUTION

	fmt.Printf("[ASSÍNCRONO] Servidor rodando em %s:%d — Event Loop ativo.\n", HOST, PORT)

	// Mantenha o servidor rodando indefinidamente
	// TODO: ...
	// BEGIN SOLUTION
	checar(server.ServeForever())
	// END SOLUTION
}
