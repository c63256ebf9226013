//go:build unix

package sock

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

// TestBacklogIsExact: sem ninguém chamar accept(), o Linux completa sozinho
// exatamente backlog+1 handshakes (sk_acceptq_is_full testa ">"); o SYN
// seguinte é descartado em silêncio e o connect expira. Com o net.Listen do
// Go (backlog = somaxconn) todos entrariam: este teste prova que o backlog
// pedido chegou ao kernel.
func TestBacklogIsExact(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("o tamanho exato da fila (backlog+1) é o comportamento do Linux; outros sistemas diferem")
	}
	t.Parallel()
	for _, backlog := range []int{0, 1, 3} {
		fd, port, err := Listen("127.0.0.1", 0, backlog)
		if err != nil {
			t.Fatal(err)
		}
		defer unix.Close(fd)
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

func TestListenReportsPortAndErrors(t *testing.T) {
	fd, port, err := Listen("127.0.0.1", 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if port == 0 {
		t.Fatal("porta 0: o kernel deveria ter escolhido uma")
	}
	if _, _, err := Listen("127.0.0.1", port, 5); !errors.Is(err, unix.EADDRINUSE) {
		t.Fatalf("segundo Listen na mesma porta: %v, esperava EADDRINUSE", err)
	}
	if _, _, err := Listen("nao-e-ip", 0, 5); err == nil {
		t.Fatal("endereço inválido aceito")
	}
	flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil || flags&unix.O_NONBLOCK == 0 {
		t.Fatalf("socket de escuta deveria ser não bloqueante (flags %#x, %v)", flags, err)
	}
}
