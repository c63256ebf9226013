package main

import (
	"strconv"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/sock"
	"roteiro2/internal/summary"
)

// Um socket em listen(0) que nunca chama accept(): no Linux a fila guarda
// backlog+1 = 1 conexão completa; os SYNs seguintes são descartados em
// silêncio e os clientes expiram no connect (nunca "recusado": veja
// docs/fila-do-kernel.md). Quem entrou espera uma resposta que não vem.
func TestFullBacklogTimesOutNotRefused(t *testing.T) {
	t.Parallel()
	fd, port, err := sock.Listen("127.0.0.1", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	const n = 5
	start := time.Now()
	out, _, r := run(t, "-port", strconv.Itoa(port), "-n", strconv.Itoa(n),
		"-connect-timeout", "500ms", "-timeout", "500ms")
	if r.Count(summary.Refused) != 0 {
		t.Errorf("no Linux a fila cheia não recusa: %s\n%s", counts(r), out)
	}
	ct, rt := r.Count(summary.ConnectTimeout), r.Count(summary.ReplyTimeout)
	if ct < 1 || rt < 1 || ct+rt != n {
		t.Errorf("esperava ≥1 timeout de conexão, ≥1 de resposta, somando %d: %s\n%s", n, counts(r), out)
	}
	// Nenhum timeout de conexão antes do prazo: a rodada dura pelo menos 500ms.
	if el := time.Since(start); el < 450*time.Millisecond {
		t.Errorf("rodada de %v, menor que o prazo de conexão", el)
	}
}
