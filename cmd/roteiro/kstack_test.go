package main

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// meminfoSample é um trecho real de /proc/meminfo (x86_64, kernel 6.x).
const meminfoSample = `MemTotal:        8131176 kB
MemFree:         5391244 kB
MemAvailable:    7337620 kB
Slab:             224864 kB
SReclaimable:     150780 kB
SUnreclaim:        74084 kB
KernelStack:       33648 kB
PageTables:         9536 kB
SecPageTables:         0 kB
`

func TestParseKernelStack(t *testing.T) {
	if got, err := parseKernelStack(meminfoSample); err != nil || got != 33648*1024 {
		t.Errorf("parseKernelStack = %d, %v; queria %d", got, err, 33648*1024)
	}
	// Última linha sem \n, e "KernelStack" só no começo da linha conta.
	if got, err := parseKernelStack("XKernelStack: 9 kB\nKernelStack: 16 kB"); err != nil || got != 16<<10 {
		t.Errorf("sem \\n final: %d, %v", got, err)
	}
	for _, bad := range []string{
		"",
		"MemTotal: 8131176 kB\n",              // sem a linha
		"KernelStack:\n",                      // sem valor
		"KernelStack: 1552\n",                 // sem unidade
		"KernelStack: 1552 MB\n",              // unidade inesperada
		"KernelStack: -4 kB\n",                // negativo
		"KernelStack: 1,5 kB\n",               // não é inteiro
		"KernelStack: 99999999999999999 kB\n", // absurdo
	} {
		if got, err := parseKernelStack(bad); err == nil || got != -1 {
			t.Errorf("%q: %d, %v; queria erro e -1", bad, got, err)
		}
	}
}

// TestReadKernelStack: no Linux o contador existe e é positivo (pelo menos
// as threads deste teste têm pilha no kernel); fora dele, n/d.
func TestReadKernelStack(t *testing.T) {
	got := readKernelStack()
	if runtime.GOOS != "linux" {
		if got != -1 {
			t.Errorf("fora do Linux: %d, queria -1 (n/d)", got)
		}
		return
	}
	if got <= 0 || got%1024 != 0 {
		t.Errorf("KernelStack = %d bytes: queria um número positivo de kB", got)
	}
}

func TestKStackPerConn(t *testing.T) {
	r := Row{Clients: 2000, IdleKStack: 1552 << 10, PeakKStack: 33648 << 10}
	// A medida à mão do modelo thread com 2000 clientes: ≈16 KiB por thread.
	if got := perConn(r.KStackPerConn()); got != "16.0KiB" {
		t.Errorf("2000 conexões, 1552 → 33648 kB: %s, queria 16.0KiB", got)
	}
	for _, tc := range []struct {
		idle, peak int64
		clients    int
		want       string
	}{
		{1552 << 10, 1552 << 10, 10, "0.0KiB"}, // nada mudou (goroutines, laço de eventos)
		{1552 << 10, 1000 << 10, 10, "0.0KiB"}, // não acontece (o pico inclui o repouso), mas não fica negativo
		{-1, 1552 << 10, 10, "n/d"},
		{1552 << 10, -1, 10, "n/d"},
		{1552 << 10, 1712 << 10, 0, "n/d"},
	} {
		r := Row{Clients: tc.clients, IdleKStack: tc.idle, PeakKStack: tc.peak}
		if got := perConn(r.KStackPerConn()); got != tc.want {
			t.Errorf("%+v: %s, queria %s", tc, got, tc.want)
		}
	}
	if r := noFigures(Row{Clients: 10}); r.KStackPerConn() != -1 {
		t.Errorf("noFigures: %d, queria -1", r.KStackPerConn())
	}
}

// TestSamplerKStack: o pico começa no repouso, só sobe, ignora leituras que
// falharam; sem repouso (fora do Linux) fica n/d.
func TestSamplerKStack(t *testing.T) {
	s := &sampler{idleKStack: 100 << 10, peakKStack: 100 << 10}
	for _, b := range []int64{300 << 10, -1, 200 << 10} {
		s.recordKStack(b)
	}
	if idle, peak := s.kstack(); idle != 100<<10 || peak != 300<<10 {
		t.Errorf("repouso/pico = %d/%d, queria %d/%d", idle, peak, 100<<10, 300<<10)
	}
	nd := &sampler{idleKStack: -1, peakKStack: -1}
	nd.recordKStack(300 << 10)
	if idle, peak := nd.kstack(); idle != -1 || peak != -1 {
		t.Errorf("sem repouso: %d/%d, queria n/d", idle, peak)
	}
	srv := &serverRun{sampler: s}
	var r Row
	r.Clients = 10
	srv.figures(&r, nil)
	if got := perConn(r.KStackPerConn()); got != "20.0KiB" {
		t.Errorf("figures: pilha do kernel/conexão = %s, queria 20.0KiB", got)
	}
}

// TestKStackReports: a coluna e a explicação (máquina inteira, não está no
// RSS) aparecem em tabela.md e em desempenho.md; a tabela do terminal não
// ganha a coluna.
func TestKStackReports(t *testing.T) {
	r := sampleRow()
	md := markdownReport([]Row{r}, options{delay: time.Second})
	for _, w := range []string{"| RSS/conexão | pilha do kernel/conexão | CPU |", "| 102.4KiB | 16.0KiB | 0.12s |",
		"KernelStack:", "MÁQUINA INTEIRA", "que o RSS do processo não mostra", "THREAD_SIZE"} {
		if !strings.Contains(md, w) {
			t.Errorf("tabela.md sem %q:\n%s", w, md)
		}
	}
	if strings.Contains(FormatText(Header, rowsCells([]Row{r})), colKStack) {
		t.Error("a tabela do terminal ganhou a coluna da pilha do kernel")
	}
	sr := []scaleRow{{Model: "thread", N: 10, Row: r}, {Model: "goroutine", Churn: true, Row: r}}
	cells := [][]string{sr[0].cells(0), sr[1].cells(time.Second)}
	if cells[0][7] != "16.0KiB" || cells[1][7] != "-" {
		t.Errorf("escala: pilha do kernel %q / churn %q", cells[0][7], cells[1][7])
	}
	text := scaleReport(cells, sr, options{delay: time.Second, churn: time.Second})
	for _, w := range []string{"| memória/conexão | pilha do kernel/conexão | CPU/conexão |", "MÁQUINA INTEIRA", "THREAD_SIZE"} {
		if !strings.Contains(text, w) {
			t.Errorf("desempenho.md sem %q:\n%s", w, text)
		}
	}
	if p := scaleProgress(sr[0]); !strings.Contains(p, "pilha do kernel/conexão 16.0KiB, CPU/conexão 12000 µs") {
		t.Errorf("progresso: %s", p)
	}
}
