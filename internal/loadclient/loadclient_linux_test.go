package loadclient

import (
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/sock"
	"roteiro2/internal/summary"
	"roteiro2/internal/tcpstat"
)

// O timeout de connect de verdade: um socket em listen(0) que nunca chama
// accept() guarda uma conexão (backlog+1); o Linux descarta em silêncio o
// SYN seguinte e o connect() só termina pelo prazo (docs/fila-do-kernel.md).
// Os clientes vão um de cada vez, até o primeiro que não entrar (no máximo
// 5: numa corrida rara um ACK final transborda e o cliente "entra" mesmo
// assim).
func TestClassifyRealConnectTimeout(t *testing.T) {
	t.Parallel()
	fd, port, err := sock.Listen("127.0.0.1", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for range 5 {
		c, err := net.DialTimeout("tcp4", addr, 300*time.Millisecond)
		if err == nil {
			defer c.Close()
			continue
		}
		if got := Classify(err, false); got != summary.ConnectTimeout {
			t.Fatalf("connect com a fila cheia: %v → %s; esperava %s", err, got.Key(), summary.ConnectTimeout.Key())
		}
		// O mesmo prazo estourado depois de entrar seria o da resposta.
		if got := Classify(err, true); got != summary.ReplyTimeout {
			t.Errorf("prazo depois de entrar: %v → %s", err, got.Key())
		}
		return
	}
	t.Fatal("5 clientes entraram numa fila de listen(0) sem accept; esperava um timeout de connect")
}

// -fechar-com-rst: o servidor responde e fecha primeiro; o cliente lê a
// resposta inteira e o EOF. Fechando com FIN (o normal), a conexão fica em
// TIME_WAIT do lado do servidor, na porta dele; com RST, não fica nada.
func TestCloseWithRSTLeavesNoTimeWait(t *testing.T) {
	for _, rst := range []bool{false, true} {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		go func() {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 64)
			c.Read(buf)
			c.Write([]byte("Processado"))
			c.Close() // o servidor fecha primeiro, como os do laboratório
		}()
		closeWithRST = rst
		run := New(Config{Addr: ln.Addr().String(), ConnectTimeout: 2 * time.Second, ReplyTimeout: 5 * time.Second}, 1)
		run.Go(1, func(c *Client) {
			conn, err := c.Dial()
			if err != nil {
				c.Fail(err)
				return
			}
			defer conn.Close()
			c.Send(conn, []byte("Tarefa"))
			if _, err := c.ReadReply(conn); err != nil {
				c.Fail(err)
			}
		})
		run.Start()
		res := run.Wait()
		closeWithRST = false
		ln.Close()
		if res[0].Outcome != summary.Success {
			t.Fatalf("rst=%v: desfecho %v", rst, res[0].Outcome)
		}
		// O estado se assenta em microssegundos no loopback. Com FIN, espera-se
		// (até 2 s) o TIME_WAIT aparecer; com RST, ele não pode aparecer em
		// 200 ms.
		tw, wait := -1, 2*time.Second
		if rst {
			wait = 200 * time.Millisecond
		}
		for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if tw, err = tcpstat.TimeWait(port); err != nil {
				t.Fatal(err)
			}
			if tw > 0 {
				break
			}
		}
		if rst && tw != 0 || !rst && tw != 1 {
			t.Errorf("rst=%v: %d conexão(ões) em TIME_WAIT na porta do servidor; queria %d", rst, tw, map[bool]int{false: 1, true: 0}[rst])
		}
	}
}
