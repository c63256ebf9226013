package loadclient

import (
	"net"
	"testing"
	"time"

	"roteiro2/internal/socket"
	"roteiro2/internal/summary"
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
