package main

import (
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

// O instrumento não muda o que mede: as linhas [ATIVO] (uma por conexão, com
// threads, RSS, CPU e trocas de contexto) não podem atrasar o accept. Com n
// clientes de uma vez e um delay maior que o tempo de aceitar todos, as n
// threads de atendimento existem ao mesmo tempo: o pico de threads sobe
// cerca de n, com -q e sem -q. Um [ATIVO] que custe uma leitura por thread
// do processo faz o tempo de aceitar crescer com o quadrado de n, e o pico
// com logs fica para trás: foi +204 em vez de +600 com 600 clientes, e é
// cerca de +200 em vez de +300 aqui (medido pondo proc.Of no lugar da
// leitura de Active). Os dois servidores rodam um depois do outro, para não
// disputarem a CPU entre si.
func TestLogsDoNotChangeThreadPeak(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("teste de carga (300 threads ao mesmo tempo) só no Linux: o macOS limita a fila de listen a 128 e o runner do CI é pequeno")
	}
	t.Parallel()
	const n = 300
	const delay = 1500 * time.Millisecond
	var mu sync.Mutex
	rise := map[string]int{}
	t.Run("grupo", func(t *testing.T) {
		for _, quiet := range []bool{true, false} {
			name := "com-logs"
			if quiet {
				name = "q"
			}
			t.Run(name, func(t *testing.T) {
				args := []string{"-modelo", "thread", "-delay", delay.String(), "-backlog", "4096"}
				if quiet {
					args = append(args, "-q")
				}
				s := e2e.StartServer(t, "server", args...)
				out, r := e2e.RunClient(t, "clientenervoso", "-port", fmt.Sprint(s.Port), "-n", fmt.Sprint(n), "-q",
					"-connect-timeout", "10s", "-timeout", "30s")
				if r.Count(0) != n {
					t.Fatalf("esperava %d sucessos, RESUMO %v\n%s", n, r, out)
				}
				sout := s.StopOK(t)
				m := baseRe.FindStringSubmatch(sout)
				if m == nil {
					t.Fatalf("sem linha [MODELO]:\n%.2000s", sout)
				}
				base, _ := strconv.Atoi(m[1])
				_, _, _, peak := e2e.ServerResumo(t, sout)
				t.Logf("%s: threads %d → pico %d (subida %d com %d clientes); última resposta em %v (delay %v)",
					name, base, peak, peak-base, n, r.Max, delay)
				mu.Lock()
				rise[name] = peak - base
				mu.Unlock()
			})
		}
	})
	if t.Failed() {
		return
	}
	q, logs := rise["q"], rise["com-logs"]
	if q < n*9/10 || logs < n*9/10 {
		t.Errorf("subida de threads: %d com -q, %d com logs; esperava pelo menos %d (90%% de %d) nos dois", q, logs, n*9/10, n)
	}
	if d := q - logs; d > n/10 || d < -n/10 {
		t.Errorf("subida de threads: %d com -q, %d com logs: os logs mudaram o que se mede", q, logs)
	}
}
