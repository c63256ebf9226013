//go:build darwin || netbsd || openbsd

package socket

import (
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// Sem accept4, Accept faz accept e close-on-exec com syscall.ForkLock presa
// (um fork no meio herdaria a conexão; no macOS o ps de internal/proc é esse
// fork), mas não prende a trava enquanto espera um cliente.
func TestAcceptHoldsForkLockOnlyToAccept(t *testing.T) {
	ln, port := listen(t, 16)
	done := make(chan error, 1)
	go func() {
		c, _, err := ln.Accept()
		if err == nil {
			c.Close()
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond) // o Accept já espera um cliente
	locked := make(chan struct{})
	go func() { syscall.ForkLock.Lock(); close(locked) }()
	select {
	case <-locked:
	case <-time.After(5 * time.Second):
		t.Fatal("um Accept esperando cliente prende syscall.ForkLock: nenhum fork andaria")
	}
	c, err := net.DialTimeout("tcp4", "127.0.0.1:"+strconv.Itoa(port), 5*time.Second)
	if err != nil {
		syscall.ForkLock.Unlock()
		t.Fatal(err)
	}
	defer c.Close()
	select {
	case err := <-done:
		syscall.ForkLock.Unlock()
		t.Fatalf("Accept voltou (%v) com syscall.ForkLock presa por outro: o fork poderia herdar a conexão", err)
	case <-time.After(200 * time.Millisecond):
	}
	syscall.ForkLock.Unlock()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Accept não voltou depois de soltar a trava")
	}
}
