package tracking

import (
	"net"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"roteiro2/internal/socket"
)

// Por que wakeListener usa shutdown e não close: no Linux, close() do socket
// de escuta não acorda a thread que dorme em accept() nele (a chamada em
// curso segura o arquivo, e o socket continua escutando: um cliente ainda
// conecta, e é ele que acorda o accept). shutdown(SHUT_RD) acorda na hora
// (EINVAL), e a porta passa a recusar conexões.
func TestCloseDoesNotWakeAccept(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"close", "shutdown"} {
		ln, port, err := socket.CreateServer("127.0.0.1", 0, 8)
		if err != nil {
			t.Fatal(err)
		}
		fd := ln.Fd()
		type result struct {
			fd  int
			err error
		}
		done := make(chan result, 1)
		go func() {
			nfd, _, err := unix.Accept4(fd, unix.SOCK_CLOEXEC)
			done <- result{nfd, err}
		}()
		time.Sleep(100 * time.Millisecond) // o accept já dorme no kernel
		if how == "close" {
			unix.Close(fd)
		} else {
			unix.Shutdown(fd, unix.SHUT_RD)
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		select {
		case r := <-done:
			if how == "close" {
				unix.Close(r.fd)
				t.Fatalf("close() acordou o accept (%v): o comentário de wakeListener está errado neste kernel", r.err)
			}
			if r.err != unix.EINVAL {
				t.Errorf("shutdown: accept voltou com %v, esperava EINVAL", r.err)
			}
			if c, err := net.DialTimeout("tcp4", addr, time.Second); err == nil {
				c.Close()
				t.Error("depois do shutdown a porta ainda aceita conexões")
			}
			unix.Close(fd)
		case <-time.After(300 * time.Millisecond):
			if how == "shutdown" {
				t.Fatal("shutdown(SHUT_RD) não acordou o accept")
			}
			c, err := net.DialTimeout("tcp4", addr, time.Second)
			if err != nil {
				t.Fatalf("depois de close() a porta devia continuar escutando: %v", err)
			}
			c.Close()
			select {
			case r := <-done:
				unix.Close(r.fd)
			case <-time.After(5 * time.Second):
				t.Fatal("accept não voltou nem com um cliente")
			}
		}
	}
}
