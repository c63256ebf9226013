package main

import (
	"testing"
	"time"

	"roteiro2/internal/e2e"
	"roteiro2/internal/proc"
)

// A regra de contagem na parada e o segundo Ctrl-C, os mesmos de todos os
// servidores (veja internal/e2e/accounting.go).
func TestShutdownAccounting(t *testing.T) {
	t.Parallel()
	e2e.ShutdownRules(t, "serverbloq", "Processando: Tarefa")
}

// A thread principal espera no kernel, como a do serverbloq.py: em accept
// sem clientes, em recv com um cliente calado, em nanosleep com um que
// falou. (A thread principal de um processo tem o número do processo.)
func TestMainThreadWaitsInKernel(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "serverbloq", "-delay", "2s", "-q")
	pid := s.Pid()
	t.Logf("sem clientes: thread principal em %s", e2e.WaitThread(t, pid, pid, 10*time.Second, "accept"))
	c := e2e.Hold(t, s.Addr, 1)[0]
	t.Logf("um cliente calado: thread principal em %s", e2e.WaitThread(t, pid, pid, 10*time.Second, "recv"))
	c.Write([]byte("Tarefa"))
	t.Logf("o cliente falou: thread principal em %s", e2e.WaitThread(t, pid, pid, 10*time.Second, "sleep"))
	if w, err := proc.WaitChannels(pid); err == nil {
		t.Logf("todas as threads: %v", w)
		if w.Count("recv")+w.Count("accept") != 0 {
			t.Errorf("uma thread só atende: com ela em nanosleep, ninguém mais devia estar em recv ou accept: %v", w)
		}
	}
}
