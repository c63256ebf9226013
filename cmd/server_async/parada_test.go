package main

import (
	"testing"

	"roteiro2/internal/e2e"
)

// A regra de contagem na parada e o segundo Ctrl-C, os mesmos de todos os
// servidores (veja internal/e2e/accounting.go).
func TestShutdownAccounting(t *testing.T) {
	t.Parallel()
	e2e.ShutdownRules(t, "server_async", "Processando: Tarefa")
}
