//go:build unix

package blocking

import (
	"errors"
	"net"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// O socket de escuta em modo bloqueante: accept() dorme no kernel. (O de
// internal/sock, que o reactor usa, continua não bloqueante.)
func TestListenIsBlocking(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	flags, err := unix.FcntlInt(uintptr(ln.fd), unix.F_GETFL, 0)
	if err != nil || flags&unix.O_NONBLOCK != 0 {
		t.Fatalf("socket de escuta deveria ser bloqueante (flags %#x, %v)", flags, err)
	}
	_, conn := pair(t, ln)
	flags, err = unix.FcntlInt(uintptr(conn.fd), unix.F_GETFL, 0)
	if err != nil || flags&unix.O_NONBLOCK != 0 {
		t.Fatalf("conexão aceita deveria ser bloqueante (flags %#x, %v)", flags, err)
	}
	if fd, err := unix.FcntlInt(uintptr(conn.fd), unix.F_GETFD, 0); err != nil || fd&unix.FD_CLOEXEC == 0 {
		t.Errorf("conexão aceita sem close-on-exec (%#x, %v)", fd, err)
	}
}

// O despertar do macOS e dos BSD (uma conexão à própria porta), testado em
// qualquer Unix: Accept a reconhece e devolve errWoken, sem contá-la como
// cliente; um cliente de verdade depois dela é aceito normalmente.
func TestWakeByConnect(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	done := make(chan error, 1)
	go func() {
		_, err := ln.Accept()
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	go ln.connectSelf()
	select {
	case err := <-done:
		if !errors.Is(err, errWoken) {
			t.Fatalf("Accept: %v; esperava errWoken", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a conexão de despertar não acordou o Accept")
	}
	c, err := net.DialTimeout("tcp4", ln.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	conn, err := ln.Accept()
	if err != nil {
		t.Fatalf("cliente depois do despertar: %v", err)
	}
	conn.Close()
}
