package socket

import (
	"errors"
	"fmt"
	"net"
	"runtime"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// O backlog chega ao kernel exatamente: sem ninguém chamar accept(), o Linux
// completa sozinho backlog+1 handshakes (sk_acceptq_is_full testa ">"); o SYN
// seguinte é descartado em silêncio e o connect expira. Com o net.Listen do
// Go (backlog = somaxconn) todos entrariam.
func TestBacklogIsExact(t *testing.T) {
	t.Parallel()
	for _, backlog := range []int{0, 1, 3} {
		_, port := listen(t, backlog)
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		connected, timedOut := 0, 0
		// Conexões uma de cada vez: cada uma termina o handshake (ou expira)
		// antes da próxima começar, então a contagem não depende de corrida.
		for range backlog + 3 {
			c, err := net.DialTimeout("tcp4", addr, 300*time.Millisecond)
			var ne net.Error
			switch {
			case err == nil:
				connected++
				defer c.Close()
			case errors.As(err, &ne) && ne.Timeout():
				timedOut++
			case errors.Is(err, syscall.ECONNREFUSED):
				t.Fatalf("backlog %d: conexão recusada; o Linux descarta o SYN em silêncio, não recusa", backlog)
			default:
				t.Fatalf("backlog %d: %v", backlog, err)
			}
		}
		if connected != backlog+1 || timedOut != 2 {
			t.Errorf("backlog %d: %d conectaram e %d expiraram; esperava %d e 2", backlog, connected, timedOut, backlog+1)
		}
	}
}

// O socket do Python: bloqueante (accept e recv dormem no kernel) e
// close-on-exec (um processo filho não o herda), o de escuta e a conexão.
func TestBlockingAndCloseOnExec(t *testing.T) {
	t.Parallel()
	ln, _ := listen(t, 16)
	_, conn, _ := pair(t)
	for name, fd := range map[string]int{"escuta": ln.fd, "conexão": conn.fd} {
		if fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0); err != nil || fl&unix.O_NONBLOCK != 0 {
			t.Errorf("%s: deveria ser bloqueante (flags %#x, %v)", name, fl, err)
		}
		if fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != nil || fl&unix.FD_CLOEXEC == 0 {
			t.Errorf("%s: sem close-on-exec (%#x, %v)", name, fl, err)
		}
	}
}

// Sinais que chegam à thread no meio de Sleep e de Recv com prazo: o kernel
// não recomeça nanosleep nem um recv com SO_RCVTIMEO (voltam EINTR). Sleep e
// Recv esperam o que falta até o prazo: nem menos (voltar cedo) nem mais
// (recomeçar o prazo inteiro a cada sinal). Os sinais chegam durante os
// primeiros 450 ms de uma espera de 600 ms: quem recomeçasse o prazo a cada
// um voltaria depois de 1,05 s; o limite de cima, 950 ms, deixa 350 ms de
// folga para uma máquina ocupada. O sinal é SIGURG, que o runtime do Go já
// trata (é o da preempção de goroutines).
func TestSleepAndRecvSurviveSignals(t *testing.T) {
	t.Parallel()
	_, conn, _ := pair(t)
	const d, upper = 600 * time.Millisecond, 950 * time.Millisecond
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
		start := time.Now()
		var el time.Duration
	signals:
		for {
			select {
			case el = <-done:
				break signals
			case <-time.After(30 * time.Millisecond):
				if time.Since(start) < 450*time.Millisecond {
					unix.Tgkill(unix.Getpid(), tid, unix.SIGURG)
				}
			}
		}
		if el < d-10*time.Millisecond || el > upper {
			t.Errorf("%s(%v) com sinais nos primeiros 450 ms voltou em %v; esperava entre %v e %v", what, d, el, d-10*time.Millisecond, upper)
		}
	}
}
