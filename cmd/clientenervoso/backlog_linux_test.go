package main

import (
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/e2e"
	"roteiro2/internal/socket"
	"roteiro2/internal/summary"
)

// Um socket em listen(0) que nunca chama accept(): no Linux a fila guarda
// backlog+1 = 1 conexão completa; os SYNs seguintes são descartados em
// silêncio e os clientes expiram no connect (nunca "recusado": veja
// docs/fila-do-kernel.md). Quem entrou espera uma resposta que não vem.
//
// O que vale sempre (docs/fila-do-kernel.md, seção 8): ninguém recusado,
// pelo menos backlog+1 = 1 dentro, dentro + timeouts de conexão = n. Não
// dá para exigir um timeout de conexão: SYNs que chegam juntos podem
// receber syncookies, e aí todos "conectam" (o ACK final deles transborda
// a fila, e o servidor nem sabe deles) e expiram esperando a resposta.
func TestFullBacklogTimesOutNotRefused(t *testing.T) {
	t.Parallel()
	ln, port, err := socket.CreateServer("127.0.0.1", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	const n = 5
	e2e.Build(t, "clientenervoso") // o relógio parte depois de compilar
	start := time.Now()
	out, _, r := run(t, "-port", strconv.Itoa(port), "-n", strconv.Itoa(n),
		"-connect-timeout", "500ms", "-timeout", "500ms")
	if r.Count(summary.Refused) != 0 {
		t.Errorf("no Linux a fila cheia não recusa: %s\n%s", counts(r), out)
	}
	ct, rt := r.Count(summary.ConnectTimeout), r.Count(summary.ReplyTimeout)
	if rt < 1 || ct+rt != n {
		t.Errorf("esperava ≥1 timeout de resposta (quem entrou na fila) e timeouts somando %d: %s\n%s", n, counts(r), out)
	}
	// Nenhum timeout antes do prazo: a rodada dura pelo menos os 500 ms.
	if el := time.Since(start); el < 450*time.Millisecond {
		t.Errorf("rodada de %v, menor que o prazo de conexão", el)
	}
}

// O servergargalo.py do laboratório nunca lê: responde e fecha com a tarefa
// do cliente ainda na fila de entrada, e o kernel (Linux, macOS) manda RST
// em vez de FIN. Os bytes da resposta chegam, mas sem o FIN o cliente não
// sabe se ela veio inteira: "resetado", com a explicação. -original não
// envia nada, então o mesmo servidor fecha com FIN e o cliente recebe a
// resposta: é o par original (com um prazo maior que o atraso).
func TestServerThatNeverReads(t *testing.T) {
	t.Parallel()
	// Espera a tarefa chegar SEM lê-la (MSG_PEEK a deixa na fila), para o
	// RST não depender de quem foi mais rápido; então responde e fecha.
	gargalo := e2e.StartFake(t, func(s *e2e.FakeServer, c net.Conn) {
		if !peek(t, c) {
			return
		}
		c.Write([]byte("Atendido com sucesso."))
	})
	out, _, r := run(t, "-port", gargalo.Port, "-n", "3", "-timeout", "20s")
	if r.Count(summary.Reset) != 3 ||
		!strings.Contains(out, "💥 RESETADO: chegaram 21 bytes (Atendido com sucesso.), mas a conexão terminou em RST, não em FIN") ||
		!strings.Contains(out, "fecha o socket sem ter lido tudo o que recebeu") {
		t.Errorf("servidor que não lê, cliente que envia: %s\n%s", counts(r), out)
	}

	// Como o servergargalo.py: não lê, "processa" um pouco, responde, fecha.
	quiet := e2e.StartFake(t, func(s *e2e.FakeServer, c net.Conn) {
		time.Sleep(100 * time.Millisecond)
		c.Write([]byte("Atendido com sucesso."))
	})
	out, _, r = run(t, "-port", quiet.Port, "-n", "3", "-original", "-connect-timeout", "15s")
	if r.Count(summary.Success) != 3 || !strings.Contains(out, "🏆 SUCESSO: Atendido com sucesso.\n") {
		t.Errorf("servidor que não lê, -original: %s\n%s", counts(r), out)
	}
}

// peek espera (até o prazo da conexão) que haja bytes na fila de entrada de
// c, sem tirá-los de lá (recv com MSG_PEEK). false se nada chegou.
func peek(t *testing.T, c net.Conn) bool {
	rc, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Error(err)
		return false
	}
	var n int
	buf := make([]byte, 1)
	err = rc.Read(func(fd uintptr) bool {
		var rerr error
		n, _, rerr = syscall.Recvfrom(int(fd), buf, syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return rerr != syscall.EAGAIN
	})
	return err == nil && n > 0
}
