package proc

import (
	"sync/atomic"
	"testing"
	"time"
)

// Saídas no formato do ps do macOS (cabeçalho e colunas como na página de
// manual e no ps de lá; escritas aqui à mão, nenhuma máquina daqui roda
// macOS).
func TestParsePsThreads(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		want      int
	}{
		{"três threads", `USER   PID   TT  %CPU STAT PRI     STIME     UTIME COMMAND
ana   4242 s000   0.0 S    31T   0:00.01   0:00.02 ./server -port 0
      4242        0.0 S    31T   0:00.00   0:00.00 
      4242        0.0 S    31T   0:00.00   0:00.00 
`, 3},
		{"uma thread", "USER PID TT %CPU STAT PRI STIME UTIME COMMAND\nana 7 ?? 0.0 S 4T 0:00.00 0:00.00 /bin/sh\n", 1},
		{"processo inexistente: só o cabeçalho", "USER PID TT %CPU STAT PRI STIME UTIME COMMAND\n", -1},
		{"saída vazia", "", -1},
		{"sem cabeçalho (outro ps)", "4242 0.0 S\n4242 0.0 S\n", -1},
	} {
		if got := parsePsThreads([]byte(tc.out)); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestParsePsRSS(t *testing.T) {
	for out, want := range map[string]int64{
		"  8192\n":   8192 * 1024,
		"0\n":        0,
		"":           -1, // processo inexistente
		"RSS\n123":   -1, // com cabeçalho: não é a saída de -o rss=
		"12x\n":      -1,
		" -5\n":      -1,
		"1 2\n":      -1,
		"\n  64  \n": 64 * 1024,
	} {
		if got := parsePsRSS([]byte(out)); got != want {
			t.Errorf("parsePsRSS(%q) = %d, want %d", out, got, want)
		}
	}
}

// O cache nunca faz quem lê esperar a leitura, faz uma leitura por vez e
// respeita o intervalo mínimo entre elas.
func TestSampleCache(t *testing.T) {
	var reads atomic.Int32
	release := make(chan struct{})
	c := newSampleCache(time.Hour, func() (int, int64) {
		n := reads.Add(1)
		<-release // a leitura "cara" só termina quando o teste deixa
		return int(n) * 10, int64(n) * 1000
	})

	// Primeira chamada: ainda sem valor (n/d), e não espera a leitura.
	if th, rss := c.get(); th != -1 || rss != -1 {
		t.Fatalf("antes da primeira leitura: %d, %d", th, rss)
	}
	// Com a leitura em andamento, outras chamadas não disparam outra.
	for range 100 {
		c.get()
	}
	waitFor(t, func() bool { return reads.Load() == 1 }, "a primeira leitura começar")
	close(release)
	waitFor(t, func() bool { th, _ := c.get(); return th == 10 }, "o valor da leitura aparecer")
	if th, rss := c.get(); th != 10 || rss != 1000 {
		t.Fatalf("depois da leitura: %d, %d", th, rss)
	}
	// Intervalo de uma hora: nenhuma leitura nova.
	if n := reads.Load(); n != 1 {
		t.Fatalf("%d leituras; esperava 1 (intervalo mínimo de 1 h)", n)
	}

	// Intervalo zero: cada chamada sem leitura em andamento dispara uma.
	c.every = 0
	c.get()
	waitFor(t, func() bool { th, _ := c.get(); return th >= 20 }, "a segunda leitura")
}

// waitFor espera cond ficar verdadeira, por no máximo 10 s.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("10 s esperando %s", what)
		}
	}
}
