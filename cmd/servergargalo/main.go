// Servergargalo é o servergargalo.py em Go: listen(1), um cliente por vez,
// sem nem ler o pedido — o gargalo da Etapa 1.2, feito para encher a fila.
//
// Este arquivo é o .py, passo a passo. O que o porte acrescenta (as flags,
// o Ctrl-C com resumo, o fechamento com espera) está em extras.go.
package main

import (
	"fmt"
	"time"

	"roteiro2/internal/socket"
)

// As constantes do .py; as flags -host, -port, -delay e -backlog as trocam.
var (
	HOST    = "127.0.0.1"
	PORT    = 65432
	DELAY   = 5 * time.Second // o time.sleep(5)
	BACKLOG = 1               // listen(1)
)

func iniciarServidor() {
	server, err := socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
	checar(err)
	// SO_REUSEADDR: permite reabrir a porta logo depois de parar o servidor,
	// mesmo com conexões antigas ainda em TIME_WAIT.
	checar(server.Setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))

	if err := server.Bind(HOST, PORT); err != nil { // except OSError:
		sair(err, "Erro: Porta em uso. Espere um pouco ou mude a porta.")
	}

	// Backlog de 1: tenta forçar a fila a ser minúscula. O kernel trata o
	// número como uma dica: o Linux guarda backlog+1 conexões completas, e
	// cada sistema faz a sua conta (veja capacidade, em extras.go).
	checar(server.Listen(BACKLOG))
	acompanhar(server) // (porte) Ctrl-C, resumo: extras.go

	fmt.Printf("[SERVIDOR MONOTAREFA] Rodando em %s:%d\n", HOST, PORT)
	fmt.Println(capacidade()) // "Capacidade: 1 atendendo + 1 na espera."
	fmt.Print("O resto deve falhar ou dar timeout.\n\n")

	for {
		// O servidor aceita um... accept() dorme no kernel até haver uma
		// conexão completa na fila.
		conn, addr, err := server.Accept()
		if err != nil {
			return // Ctrl-C: o servidor parou de aceitar
		}
		imprimir("--- [ATENDENDO] %s ---", addr)

		// ...e dorme no serviço! Como não tem threads, ele NÃO volta para o
		// accept(). O pedido do cliente fica no buffer de recepção do kernel
		// (este servidor nunca o lê), e a fila de accept não anda: no Linux,
		// cheia, o kernel descarta os SYNs seguintes em silêncio.
		socket.Sleep(DELAY)

		// try/except: pass — o erro do send é ignorado, como no original. O
		// cliente pode ter desistido há muito: o send ainda "dá certo" (o
		// kernel só fica sabendo pelo RST que volta depois).
		conn.Send([]byte("Atendido com sucesso."))
		conn.Close()
		imprimir("--- [FINALIZADO] %s ---\n", addr)
	}
}

func main() {
	opcoes() // (porte) as flags: extras.go
	iniciarServidor()
	esperarFim() // (porte) depois do Ctrl-C: as conexões em andamento e o resumo
}
