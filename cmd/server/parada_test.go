package main

import (
	"testing"

	"roteiro2/internal/e2e"
)

// A regra de contagem na parada (veja internal/e2e/accounting.go), nos dois
// modelos: a resposta entregue conta como atendida mesmo que o prazo corte o
// fechamento demorado; a conexão no meio do delay conta como interrompida.
func TestShutdownAccounting(t *testing.T) {
	t.Parallel()
	for _, modelo := range []string{"thread", "goroutine"} {
		t.Run(modelo+"/atendida-no-fechamento-demorado", func(t *testing.T) {
			t.Parallel()
			s := e2e.StartServer(t, "server", "-modelo", modelo, "-delay", "50ms", "-grace", "300ms")
			e2e.StopWhileLingering(t, s, "Tarefa")
		})
		t.Run(modelo+"/interrompida-no-delay", func(t *testing.T) {
			t.Parallel()
			s := e2e.StartServer(t, "server", "-modelo", modelo, "-delay", "10s", "-grace", "200ms")
			e2e.StopDuringDelay(t, s, "Tarefa", "Processando: Tarefa")
		})
	}
}

// O segundo Ctrl-C/SIGTERM termina o servidor na hora, sem esperar o prazo.
func TestSecondSignal(t *testing.T) {
	t.Parallel()
	for _, modelo := range []string{"thread", "goroutine"} {
		t.Run(modelo, func(t *testing.T) {
			t.Parallel()
			s := e2e.StartServer(t, "server", "-modelo", modelo, "-delay", "10s", "-grace", "10s")
			e2e.SecondSignalKills(t, s, "Processando: Tarefa")
		})
	}
}
