package main

import (
	"testing"

	"roteiro2/internal/e2e"
)

// A regra de contagem na parada e o segundo Ctrl-C, nos dois modelos (veja
// internal/e2e/accounting.go): a resposta entregue conta como atendida mesmo
// que o prazo corte o fechamento com espera; a conexão no meio do delay conta
// como interrompida; o segundo sinal termina o processo na hora.
func TestShutdownAccounting(t *testing.T) {
	t.Parallel()
	for _, modelo := range []string{"thread", "goroutine"} {
		t.Run(modelo, func(t *testing.T) {
			t.Parallel()
			e2e.ShutdownRules(t, "server", "Processando: Tarefa", "-modelo", modelo)
		})
	}
}
