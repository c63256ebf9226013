//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"testing"

	"roteiro2/internal/e2e"
)

// A regra de contagem na parada e o segundo Ctrl-C, os mesmos testes dos
// servidores bloqueantes (veja internal/e2e/accounting.go).
func TestShutdownAccounting(t *testing.T) {
	t.Parallel()
	t.Run("atendida-no-fechamento-demorado", func(t *testing.T) {
		t.Parallel()
		s := e2e.StartServer(t, "server_async", "-delay", "50ms", "-grace", "300ms")
		e2e.StopWhileLingering(t, s, "Tarefa")
	})
	t.Run("interrompida-no-delay", func(t *testing.T) {
		t.Parallel()
		s := e2e.StartServer(t, "server_async", "-delay", "10s", "-grace", "200ms")
		e2e.StopDuringDelay(t, s, "Tarefa", "Processando: Tarefa")
	})
	t.Run("segundo-ctrl-c", func(t *testing.T) {
		t.Parallel()
		s := e2e.StartServer(t, "server_async", "-delay", "60s", "-grace", "120s")
		e2e.SecondSignalKills(t, s, "Processando: Tarefa")
	})
}
