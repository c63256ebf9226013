//go:build unix

package socket

import (
	"testing"
	"time"
)

// Shutdown(SHUT_RDWR), de outra goroutine, acorda a thread que dorme em Recv
// (a parada depois do prazo), e não faz nada depois de Close. (No Windows a
// parada não conta com isso: depois do prazo o processo termina de qualquer
// jeito; sob o Wine, o shutdown não acorda o recv.)
func TestShutdownWakesRecv(t *testing.T) {
	t.Parallel()
	_, conn, _ := pair(t)
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		msg, err := conn.Recv(1024)
		done <- result{len(msg), err}
	}()
	time.Sleep(50 * time.Millisecond) // (só para o Recv provavelmente já estar dormindo)
	conn.Shutdown(SHUT_RDWR)
	select {
	case r := <-done:
		if r.n != 0 || r.err != nil {
			t.Errorf("Recv acordado por Shutdown: %d bytes, %v; esperava fim de arquivo", r.n, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Shutdown não acordou o Recv")
	}
	conn.Close()
	if err := conn.Shutdown(SHUT_RDWR); err != nil { // depois de Close: não toca no descritor
		t.Errorf("Shutdown depois de Close: %v", err)
	}
}
