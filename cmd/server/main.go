// Server é o server.py em Go: uma thread do sistema operacional por conexão
// (Etapa 2.1). Com -modelo goroutine vira o servidor idiomático do Go
// (goroutine.go), para comparar quantas threads cada um usa e onde cada um
// espera.
//
// Este arquivo é o .py, passo a passo. O que o porte acrescenta (as flags, o
// Ctrl-C com resumo, o fechamento com espera, o -ocioso, o limite de threads)
// está em extras.go e threads.go.
package main

import (
	"fmt"
	"time"

	"roteiro2/internal/socket"
	"roteiro2/internal/wire"
)

// --- Configurações de Rede (A Camada de Transporte) ---
// (as flags -host, -port, -delay e -backlog as trocam)
var (
	HOST    = "127.0.0.1"     // Localhost (Nó local)
	PORT    = 65432           // Porta (Endereçamento do Processo)
	DELAY   = 5 * time.Second // o time.sleep(5)
	BACKLOG = 128             // o server.listen() do Python, sem argumento
)

// processarRequisicao simula um trabalho pesado no servidor. Esta função
// roda dentro de uma THREAD isolada (Conceito de SO): uma thread do SO só
// dela (novaThread, em threads.go).
func processarRequisicao(conn *socket.Sock, addr socket.Addr) {
	imprimir("[NOVA CONEXÃO] %s conectado.%s", addr, threadSO())

	// A operação recv é BLOQUEANTE (Blocking I/O): ESTA thread dorme no
	// kernel (wchan wait_woken) até chegarem dados; as outras seguem. Se não
	// tivéssemos threads, o servidor todo pararia aqui.
	msg, err := conn.Recv(1024)
	if err != nil {
		imprimir("[%s] Erro: %v", addr, err) // por exemplo ECONNRESET, ou o -ocioso
	} else if len(msg) > 0 { // if not msg: break
		imprimir("[%s] Processando: %s", addr, wire.Quote(msg))

		// Simula latência ou processamento pesado (5 segundos): nanosleep(2),
		// só esta thread dorme no kernel (wchan hrtimer_nanosleep).
		socket.Sleep(DELAY)

		resposta := append([]byte("Processado: "), msg...)
		if _, err := conn.Send(resposta); err != nil {
			imprimir("[%s] Erro: %v", addr, err) // o cliente foi embora: EPIPE, ECONNRESET
		}
		// connected = False: fecha após responder para simplificar
	}

	conn.Close()
	imprimir("[DESCONECTADO] %s", addr)
}

func iniciarServidor() {
	// 1. Criação do Socket (Abstração de Rede)
	// AF_INET = IPv4 (Camada de Rede)
	// SOCK_STREAM = TCP (Camada de Transporte - Confiável)
	server, err := socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
	checar(err)
	reusarPorta(server) // (porte) SO_REUSEADDR: veja extras.go

	// 2. Bind (Vincular processo à porta)
	checar(server.Bind(HOST, PORT))

	// 3. Listen (Aguardando conexões)
	checar(server.Listen(BACKLOG))
	acompanhar(server) // (porte) Ctrl-C, resumo, -ocioso: extras.go
	fmt.Printf("[OUVINDO] Servidor rodando em %s:%d\n", HOST, PORT)

	for {
		// 4. Accept (Bloqueante até alguém conectar): a thread principal
		// dorme no kernel (wchan inet_csk_accept).
		conn, addr, err := server.Accept()
		if err != nil {
			return // Ctrl-C: o servidor parou de aceitar
		}

		// --- A MÁGICA DO SO AQUI ---
		// Em vez de processar aqui (o que bloquearia o próximo cliente),
		// delegamos para uma THREAD (SO): threading.Thread(target=
		// processar_requisicao, args=(conn, addr)).start().
		novaThread(func() { processarRequisicao(conn, addr) })

		// Exibe quantas threads (clientes) estão ativas no SO
		imprimir("[ATIVO] Conexões simultâneas: %d | %s", activeCount()-1, numeros())
	}
}

func main() {
	opcoes() // (porte) as flags: extras.go
	fmt.Println("--- INICIANDO SERVIDOR DE SISTEMAS DISTRIBUÍDOS ---")
	if MODELO == "goroutine" {
		iniciarServidorGoroutines() // (porte) o jeito idiomático do Go: goroutine.go
	} else {
		iniciarServidor()
	}
	esperarFim() // (porte) depois do Ctrl-C: as conexões em andamento e o resumo
}
