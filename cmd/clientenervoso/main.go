// Clientenervoso é o clientenervoso.py em Go: dez clientes (-n) disparados
// juntos, que desistem se o servidor não os aceitar depressa (Etapas 1.2,
// 2.1, 3.3 e o Desafio dos 200 clientes).
//
// Este arquivo é o .py, passo a passo. O que o porte acrescenta está em
// extras.go: as flags, a linha RESUMO, a linha do tempo (-svg) e a correção
// do defeito do original (README: "O defeito do cliente nervoso original").
package main

import (
	"fmt"
	"time"

	"roteiro2/internal/socket"
	"roteiro2/internal/summary"
)

// As constantes do .py; as flags -host, -port e -connect-timeout as trocam.
var (
	HOST    = "127.0.0.1"
	PORT    = 65432
	TIMEOUT = 2 * time.Second // o settimeout(2): O TRUQUE
)

func clienteNervoso(idCliente int) error {
	client, err := socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
	if err == nil {
		err = func() error { // try:
			if err := origem(client, idCliente); err != nil { // (porte) -origens: extras.go
				return err
			}
			// O TRUQUE: Timeout de 2 segundos. Se o servidor (ou a fila do SO)
			// não aceitar a conexão TCP em 2 segundos, o cliente desiste.
			client.SetTimeout(TIMEOUT)

			imprimir("[CLIENTE %02d] 🟡 Tentando entrar...", idCliente)
			// connect(): o handshake. Com a fila de accept do servidor cheia, o
			// Linux de lá descarta o SYN em silêncio, e o connect só termina
			// pelo prazo.
			if err := client.Connect(HOST, PORT); err != nil {
				return err
			}
			// Se passou daqui, o SO aceitou a conexão (está no backlog ou sendo atendido)
			entrou(idCliente) // (porte) a hora da entrada, para a linha do tempo
			imprimir("[CLIENTE %02d] 🟢 Conectou! Esperando resposta...", idCliente)
			if err := enviarTarefa(client, idCliente); err != nil { // (porte) o defeito do original
				return err
			}

			// Agora espera os dados: recv(1024), e (porte) o resto até o servidor fechar.
			msg, err := client.Recv(1024)
			if err != nil {
				return err
			}
			resposta, err := ateOFim(client, idCliente, msg)
			if err != nil {
				return err
			}
			imprimir("[CLIENTE %02d] 🏆 SUCESSO: %s", idCliente, resposta)
			return nil
		}()
		client.Close() // finally: client.close()
	}
	relatarFalha(idCliente, err) // except: a linha de cada erro
	return err
}

// relatarFalha é o except do original, com a causa verdadeira de cada erro.
func relatarFalha(idCliente int, err error) {
	switch desfecho(err) {
	case summary.ConnectTimeout: // except socket.timeout
		imprimir("[CLIENTE %02d] ⏱️ TIMEOUT: O servidor demorou demais para aceitar! (connect sem resposta em %v)", idCliente, TIMEOUT)
	case summary.ReplyTimeout:
		imprimir("[CLIENTE %02d] ⏱️ TIMEOUT: entrou, %s", idCliente, atrasada(err))
	case summary.Refused: // except ConnectionRefusedError
		imprimir("[CLIENTE %02d] ⛔ RECUSADO: %s", idCliente, recusado())
	case summary.Reset:
		imprimir("[CLIENTE %02d] 💥 RESETADO: %s", idCliente, resetado(err))
	case summary.Other: // except Exception as e
		imprimir("[CLIENTE %02d] ❌ ERRO: %v", idCliente, err)
	}
}

func main() {
	opcoes() // (porte) as flags: extras.go
	fmt.Printf("--- INICIANDO ATAQUE DE %d CLIENTES SIMULTÂNEOS ---\n", N)
	// Dispara os clientes para garantir que a fila estoure: uma goroutine
	// por cliente (threading.Thread), todas soltas juntas, sem pausa.
	for i := 1; i <= N; i++ {
		clientes.Go(i, clienteNervoso)
	}
	resumo(clientes.Wait()) // os join(); (porte) a linha RESUMO e o -svg
}
