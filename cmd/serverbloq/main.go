// Serverbloq é o serverbloq.py em Go: um servidor bloqueante que atende um
// cliente por vez, no próprio laço principal (Etapa 1.1 do roteiro).
//
// Este arquivo é o .py, passo a passo. O que o porte acrescenta (as flags,
// o Ctrl-C com resumo, o fechamento com espera, o -ocioso) está em extras.go.
package main

import (
	"fmt"
	"time"

	"roteiro2/internal/socket"
	"roteiro2/internal/wire"
)

// As constantes do .py; as flags -host, -port, -delay e -backlog as trocam.
var (
	HOST    = "127.0.0.1"
	PORT    = 65432
	DELAY   = 5 * time.Second // o time.sleep(5)
	BACKLOG = 128             // o server.listen() do Python, sem argumento
)

// processarRequisicao é a mesma função de antes, simulando trabalho pesado (5s).
func processarRequisicao(conn *socket.Sock, addr socket.Addr) {
	imprimir("--- [INÍCIO] Atendendo %s ---", addr)

	// recv(1024): a thread dorme no kernel (wchan wait_woken) até chegarem
	// dados ou o cliente fechar.
	msg, err := conn.Recv(1024)
	if err == nil && len(msg) > 0 {
		imprimir("[%s] Processando: %s (Isso vai demorar %v...)", addr, wire.Quote(msg), DELAY)

		// O servidor ESTÁ PRESO AQUI: nanosleep(2), a thread dorme no kernel
		// (wchan hrtimer_nanosleep). Nenhuma outra linha de código roda
		// enquanto isso não acabar; quem chega espera na fila do kernel.
		socket.Sleep(DELAY)

		resposta := append([]byte("Processado (com atraso): "), msg...)
		_, err = conn.Send(resposta)
	}
	if err != nil {
		imprimir("Erro: %v", err) // except Exception as e: em Go, o erro é um valor
	}

	// finally:
	conn.Close()
	imprimir("--- [FIM] %s finalizado. Próximo! ---\n", addr)
}

func iniciarServidorBloqueante() {
	server, err := socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
	checar(err)
	reusarPorta(server) // (porte) SO_REUSEADDR: veja extras.go
	checar(server.Bind(HOST, PORT))
	// listen(): a partir daqui o kernel completa o handshake TCP sozinho e
	// guarda as conexões prontas numa fila (o backlog) até o accept().
	checar(server.Listen(BACKLOG))
	acompanhar(server) // (porte) Ctrl-C, resumo, -ocioso: extras.go

	fmt.Printf("[MODO BLOQUEANTE] Servidor rodando em %s:%d\n", HOST, PORT)
	fmt.Println("Este servidor atende UM DE CADA VEZ (Fila Única).")

	for {
		// 1. Aceita a conexão: accept() dorme no kernel (wchan
		// inet_csk_accept) até haver uma conexão completa na fila.
		conn, addr, err := server.Accept()
		if err != nil {
			return // Ctrl-C: o servidor parou de aceitar
		}

		// 2. Processa DIRETAMENTE no loop principal. O loop para e espera
		// essa função terminar. Quem tentar conectar agora ficará na fila do
		// TCP (backlog) esperando: o kernel já completou o handshake, mas
		// ninguém chama accept().
		processarRequisicao(conn, addr)
	}
}

func main() {
	opcoes() // (porte) as flags: extras.go
	iniciarServidorBloqueante()
	esperarFim() // (porte) depois do Ctrl-C: as conexões em andamento e o resumo
}
