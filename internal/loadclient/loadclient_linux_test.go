package loadclient

import (
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/sock"
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
