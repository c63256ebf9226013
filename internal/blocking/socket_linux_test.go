package blocking

import (
	"net"
	"runtime"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"roteiro2/internal/sock"
)

// Por que Wake usa shutdown e não close: no Linux, close() do socket de
// escuta não acorda a thread que dorme em accept() nele — a chamada em curso
// segura o arquivo, e o socket continua escutando: um cliente ainda conecta,
// e é ele que acorda o accept. shutdown(SHUT_RD) acorda na hora (EINVAL), e
// a porta passa a recusar conexões.
func TestCloseDoesNotWakeAccept(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"close", "shutdown"} {
		fd, port, err := sock.Listen("127.0.0.1", 0, 8)
		if err != nil {
			t.Fatal(err)
		}
		unix.SetNonblock(fd, false)
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
		select {
		case r := <-done:
			if how == "close" {
				unix.Close(r.fd)
				t.Fatalf("close() acordou o accept (%v): o comentário de Wake está errado neste kernel", r.err)
			}
			if r.err != unix.EINVAL {
				t.Errorf("shutdown: accept voltou com %v, esperava EINVAL", r.err)
			}
			if c, err := net.DialTimeout("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second); err == nil {
				c.Close()
				t.Error("depois do shutdown a porta ainda aceita conexões")
			}
			unix.Close(fd)
		case <-time.After(300 * time.Millisecond):
			if how == "shutdown" {
				t.Fatal("shutdown(SHUT_RD) não acordou o accept")
			}
			// close: o socket ainda escuta, e um cliente acorda o accept.
			c, err := net.DialTimeout("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
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

// Sinais que chegam à thread no meio de Sleep e de Recv com prazo: o kernel
// não recomeça nanosleep nem um recv com SO_RCVTIMEO (voltam EINTR); Sleep e
// Recv esperam o tempo que falta, nem menos nem para sempre. O sinal é
// SIGURG, que o runtime do Go já trata (é o da preempção de goroutines).
func TestSleepAndRecvSurviveSignals(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	_, conn := pair(t, ln)
	const d = 300 * time.Millisecond
	for _, what := range []string{"Sleep", "Recv"} {
		tids := make(chan int, 1)
		done := make(chan time.Duration, 1)
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			tids <- unix.Gettid()
			start := time.Now()
			if what == "Sleep" {
				Sleep(d)
			} else {
				conn.SetRecvTimeout(d)
				if _, err := conn.Recv(16); !IsTimeout(err) {
					t.Errorf("Recv interrompido por sinais: %v; esperava o prazo", err)
				}
			}
			done <- time.Since(start)
		}()
		tid := <-tids
		var el time.Duration
	signals:
		for i := 0; ; i++ {
			select {
			case el = <-done:
				break signals
			case <-time.After(20 * time.Millisecond):
				if i < 10 {
					unix.Tgkill(unix.Getpid(), tid, unix.SIGURG)
				}
			}
		}
		if el < d-10*time.Millisecond {
			t.Errorf("%s(%v) com sinais no meio voltou em %v", what, d, el)
		}
	}
}
