// Client é o client.py em Go: três clientes bem-comportados (-n para mudar)
// disparados ao mesmo tempo contra o servidor (Etapa 1.1). Cada um conecta,
// envia "Tarefa do Cliente i" e espera a resposta.
//
// Este arquivo é o .py, passo a passo. O que o porte acrescenta (as flags,
// os prazos, a linha RESUMO, a linha do tempo) está em extras.go.
package main

import (
	"fmt"

	"roteiro2/internal/socket"
	"roteiro2/internal/summary"
)

// As constantes do .py; as flags -host e -port as trocam.
var (
	HOST = "127.0.0.1"
	PORT = 65432
)

// enviarTarefa simula um cliente tentando acessar o sistema distribuído.
func enviarTarefa(idCliente int) error {
	// Cria socket TCP
	client, err := socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
	if err == nil {
		err = func() error { // try:
			prazos(client) // (porte) o .py espera para sempre: extras.go
			// connect(): o handshake TCP. Com um servidor bloqueante ocupado, a
			// conexão fica completa na fila do kernel (backlog) até o accept().
			if err := client.Connect(HOST, PORT); err != nil {
				return err
			}
			entrou(client, idCliente) // (porte) a hora da entrada; daqui em diante, o prazo da resposta

			mensagem := fmt.Sprintf("Tarefa do Cliente %d", idCliente)
			imprimir("[CLIENTE %d] Enviando: %s", idCliente, mensagem)
			if _, err := client.Send([]byte(mensagem)); err != nil {
				return err
			}

			// Espera resposta (Blocking I/O do lado do cliente): recv(1024), e
			// (porte) o resto até o servidor fechar.
			msg, err := client.Recv(1024)
			if err != nil {
				return err
			}
			resposta, err := ateOFim(client, idCliente, msg)
			if err != nil {
				return err
			}
			imprimir("[CLIENTE %d] Recebeu: %s", idCliente, resposta)
			return nil
		}()
		client.Close() // finally: client.close()
	}
	relatarFalha(idCliente, err) // except ConnectionRefusedError
	return err
}

// relatarFalha é o except do original. Ele só trata ConnectionRefusedError
// ("Servidor offline."); os outros erros derrubariam a thread com um
// traceback. Aqui cada um tem a sua linha.
func relatarFalha(idCliente int, err error) {
	switch desfecho(err) {
	case summary.Success:
	case summary.Refused: // except ConnectionRefusedError
		imprimir("[CLIENTE %d] Erro: Servidor offline.", idCliente)
	case summary.ConnectTimeout:
		imprimir("[CLIENTE %d] Erro: o servidor não aceitou a conexão em %v.", idCliente, TIMEOUT)
	default:
		imprimir("[CLIENTE %d] Erro: %s", idCliente, explicar(err))
	}
}

func main() {
	opcoes() // (porte) as flags: extras.go
	fmt.Println("--- DISPARANDO MÚLTIPLOS CLIENTES SIMULTANEAMENTE ---")
	// Criamos 3 clientes "falsos" tentando acessar ao mesmo tempo: uma
	// goroutine por cliente (threading.Thread), todas soltas juntas.
	for i := 1; i <= N; i++ {
		clientes.Go(i, enviarTarefa)
	}
	results := clientes.Wait() // Aguarda todos terminarem: os join()
	fmt.Println("--- TODOS OS CLIENTES FINALIZADOS ---")
	resumo(results) // (porte) a linha RESUMO e o -svg
}
