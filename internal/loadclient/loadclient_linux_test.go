package loadclient

import (
	"net"
	"testing"
	"time"

	"roteiro2/internal/socket"
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
	ln, err := socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := ln.Bind("127.0.0.1", 0); err != nil {
		t.Fatal(err)
	}
	if err := ln.Listen(0); err != nil {
		t.Fatal(err)
	}
	a, _ := ln.Getsockname()
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: a.Port}
	for range 5 {
		start := time.Now()
		_, err := dialSock(t, addr, 300*time.Millisecond)
		if err == nil {
			continue
		}
		if got := Classify(err); got != summary.ConnectTimeout || time.Since(start) < 250*time.Millisecond {
			t.Fatalf("connect com a fila cheia: %v em %v → %s; esperava %s depois do prazo", err, time.Since(start), got.Key(), summary.ConnectTimeout.Key())
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
		addr := ln.Addr().(*net.TCPAddr)
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
		run := New(Config{CloseWithRST: rst}, 1)
		run.Go(1, func(id int) error {
			c, err := dialSock(t, addr, 2*time.Second)
			if err != nil {
				return err
			}
			defer c.Close()
			run.Entered(id)
			c.Send([]byte("Tarefa"))
			msg, err := c.Recv(1024)
			if err == nil {
				_, err = run.ReadToEOF(c, id, msg, 5*time.Second)
			}
			return err
		})
		res := run.Wait()
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
			if tw, err = tcpstat.TimeWait(addr.Port); err != nil {
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
