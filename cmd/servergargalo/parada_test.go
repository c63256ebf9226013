package main

import (
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

// A regra de contagem na parada e o segundo Ctrl-C, os mesmos de todos os
// servidores (veja internal/e2e/accounting.go).
func TestShutdownAccounting(t *testing.T) {
	t.Parallel()
	e2e.ShutdownRules(t, "servergargalo", "[ATENDENDO]")
}

// A thread principal espera no kernel, como a do servergargalo.py: em
// accept sem clientes; com um cliente, em nanosleep sem ter lido nada. (A
// thread principal de um processo tem o número do processo.)
func TestMainThreadWaitsInKernel(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "servergargalo", "-delay", "2s", "-q")
	pid := s.Pid()
	t.Logf("sem clientes: thread principal em %s", e2e.WaitThread(t, pid, pid, 10*time.Second, "accept"))
	e2e.Hold(t, s.Addr, 1)
	t.Logf("um cliente: thread principal em %s", e2e.WaitThread(t, pid, pid, 10*time.Second, "sleep"))
}
