package main

// Modelo goroutine (-modelo goroutine): o mesmo servidor escrito como se
// escreve em Go, o terceiro ponto de comparação. Os passos são os mesmos,
// mas net.Conn e time.Sleep não param thread nenhuma: a goroutine fica
// estacionada no netpoller do runtime (ele mesmo um laço epoll/kqueue) ou
// num temporizador, e a thread vai rodar outra goroutine. No wchan: nenhuma
// thread em recv ou em nanosleep, só umas poucas em futex e uma em
// epoll_wait, com 10 ou com 10.000 conexões.

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"roteiro2/internal/socket"
	"roteiro2/internal/tracking"
	"roteiro2/internal/wire"
)

// atenderGoroutine é processarRequisicao do jeito do Go.
func atenderGoroutine(conn *netConn, addr string) {
	imprimir("[NOVA CONEXÃO] %s conectado.", addr)
	defer func() {
		fecharNet(conn)
		imprimir("[DESCONECTADO] %s", addr)
	}()

	// conn.Read: a goroutine espera no netpoller; nenhuma thread dorme aqui.
	if IDLE > 0 {
		conn.SetReadDeadline(time.Now().Add(IDLE))
	}
	buf := make([]byte, 1024)
	n, err := conn.Read(buf)
	switch {
	case n > 0:
	case errors.Is(err, os.ErrDeadlineExceeded):
		imprimir("[%s] Erro: recv: %v", addr, socket.TimeoutAfter(IDLE)) // o -ocioso
		return
	default: // io.EOF: o cliente fechou sem mandar nada
		if !errors.Is(err, io.EOF) {
			imprimir("[%s] Erro: %v", addr, err)
		}
		return
	}
	msg := buf[:n]
	imprimir("[%s] Processando: %s", addr, wire.Quote(msg))

	// time.Sleep: um temporizador do runtime acorda a goroutine; a thread
	// não fica parada esperando por ela.
	time.Sleep(DELAY)

	if _, err := conn.Write(append([]byte("Processado: "), msg...)); err != nil {
		imprimir("[%s] Erro: %v", addr, err)
		return
	}
	conn.replied.Store(true)
}

func iniciarServidorGoroutines() {
	ln, err := listenNet()
	checar(err)
	acompanhamento.SetWake(func() { ln.Close() }) // o pacote net acorda o Accept com um erro
	PORT = ln.Addr().(*net.TCPAddr).Port
	fmt.Printf("[OUVINDO] Servidor rodando em %s:%d\n", HOST, PORT)
	fmt.Printf("[MODELO] goroutine: uma goroutine por conexão; o runtime as distribui em poucas threads. threads SO agora: %s\n", threadsAgora())
	var abertas atomic.Int64
	for {
		c, err := ln.Accept()
		if err != nil {
			if acompanhamento.AcceptFailed(err) != nil {
				return // Ctrl-C
			}
			continue
		}
		conn := &netConn{Conn: c}
		if !acompanhamento.Opened(conn) {
			c.Close()
			return
		}
		abertas.Add(1)
		go func() {
			defer abertas.Add(-1)
			atenderGoroutine(conn, tupla(c.RemoteAddr()))
		}()
		imprimir("[ATIVO] Conexões simultâneas: %d | %s", abertas.Load(), numeros())
	}
}

// netConn é um net.Conn com o que a conta do resumo precisa (tracking.Conn).
type netConn struct {
	net.Conn
	replied atomic.Bool
}

func (c *netConn) Replied() bool { return c.replied.Load() }

// Shutdown, vindo da parada no fim do prazo: o pacote net aceita Close de
// outra goroutine, e o Read bloqueado volta com erro.
func (c *netConn) Shutdown(int) error { return c.Close() }

// fecharNet fecha com a conta do resumo; depois de uma resposta, com o
// fechamento com espera: CloseWrite manda o FIN, e o que o cliente ainda
// mandar é descartado até ele fechar ou tracking.LingerMax.
func fecharNet(c *netConn) {
	if acompanhamento.Replying(c) {
		if cw, ok := c.Conn.(*net.TCPConn); ok && cw.CloseWrite() == nil {
			c.SetReadDeadline(time.Now().Add(tracking.LingerMax))
			io.Copy(io.Discard, c)
		}
	}
	c.Close()
	acompanhamento.Finished(c)
}

// tupla escreve o endereço como o Python: ('127.0.0.1', 54321).
func tupla(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return "('" + t.IP.String() + "', " + strconv.Itoa(t.Port) + ")"
	}
	return a.String()
}
