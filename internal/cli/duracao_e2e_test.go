package cli_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

func TestMain(m *testing.M) { e2e.Main(m) }

// Toda flag de duração de todo programa passa por cli.Duration: um valor
// fora de 0–24h (inf, NaN, 1e10 s, o maior time.Duration) termina o programa
// com código 2 e uma linha em português, antes de escutar ou conectar.
func TestEveryDurationFlagIsBounded(t *testing.T) {
	server := []string{"-delay", "-ocioso", "-grace"}
	programs := map[string][]string{
		"serverbloq":     server,
		"servergargalo":  server,
		"server":         server,
		"server_async":   server,
		"client":         {"-connect-timeout", "-timeout"},
		"clientenervoso": {"-connect-timeout", "-timeout"},
		"roteiro":        {"-delay", "-churn"},
	}
	bad := []string{"inf", "NaN", "1e10", "2562047h47m16s", "-inf", "25h"}
	i := 0
	for _, prog := range slices.Sorted(maps.Keys(programs)) {
		flags := programs[prog]
		var runs [][2]string // cada flag com um valor ruim, em rodízio
		for _, f := range flags {
			runs = append(runs, [2]string{f, bad[i%len(bad)]})
			i++
		}
		t.Run(prog, func(t *testing.T) {
			t.Parallel()
			for _, r := range runs {
				args := []string{r[0], r[1]}
				switch {
				case strings.HasPrefix(prog, "server"): // se o valor passasse, nada de porta fixa
					args = append(args, "-port", "0")
				case strings.HasPrefix(prog, "client"): // ninguém escuta na porta 1: recusado já
					args = append(args, "-port", "1")
				}
				stdout, stderr, code := e2e.Run(t, 30*time.Second, prog, args...)
				msg := strings.TrimSpace(stderr)
				if prog == "server_async" && strings.Contains(msg, "precisa de Linux, macOS ou BSD") {
					t.Skipf("o server_async ainda não roda neste sistema (%s): ele sai antes de ler as flags", msg)
				}
				ok := code == 2 && stdout == "" &&
					(strings.Contains(msg, "longa demais") || strings.Contains(msg, "negativa") || strings.Contains(msg, "inválida"))
				// O roteiro usa flag.Parse, que depois da linha do erro imprime
				// o uso inteiro: aqui conta só a primeira linha.
				if prog != "roteiro" && strings.Contains(msg, "\n") {
					ok = false
				}
				if !ok {
					t.Errorf("%s %s %s: código %d, stdout %q, stderr:\n%s", prog, r[0], r[1], code, stdout, stderr)
				}
			}
		})
	}
}
