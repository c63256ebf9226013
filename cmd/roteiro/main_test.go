package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

func TestMain(m *testing.M) { e2e.Main(m) }

// TestRoteiroRapido roda o roteiro de verdade (compila os programas, sobe os
// servidores, dispara os clientes) num subconjunto curto das etapas e
// confere a forma da tabela e o que cada etapa deve mostrar.
func TestRoteiroRapido(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("os números do servidor (threads, RSS, CPU) vêm de /proc: só no Linux")
	}
	dir := t.TempDir()
	start := time.Now()
	stdout, stderr, code := e2e.Run(t, 60*time.Second, "roteiro",
		"-rapido", "-delay", "300ms", "-etapas", "1.1,2.1,3.3", "-saida", dir)
	t.Logf("roteiro levou %.1fs", time.Since(start).Seconds())
	if code != 0 {
		t.Fatalf("código de saída %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) < 5 {
		t.Fatalf("tabela curta demais:\n%s", stdout)
	}
	cols := func(l string) []string {
		f := strings.Split(l, " | ")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		return f
	}
	if got := cols(lines[0]); strings.Join(got, ",") != strings.Join(Header, ",") {
		t.Fatalf("cabeçalho:\n%q\nwant\n%q", got, Header)
	}
	rows := [][]string{}
	for _, l := range lines[2:] {
		if strings.TrimSpace(l) == "" {
			break
		}
		rows = append(rows, cols(l))
	}
	if len(rows) != 3 {
		t.Fatalf("esperava 3 linhas (1.1, 2.1, 3.3), achei %d:\n%s", len(rows), stdout)
	}
	col := map[string]int{}
	for i, h := range Header {
		col[h] = i
	}
	for i, want := range []struct{ stage, server, clients string }{
		{"1.1", "serverbloq", "3"}, {"2.1", "server (thread)", "10"}, {"3.3", "server_async", "10"},
	} {
		r := rows[i]
		if len(r) != len(Header) {
			t.Fatalf("linha %d com %d colunas: %q", i, len(r), r)
		}
		if r[0] != want.stage || r[1] != want.server || r[2] != want.clients {
			t.Errorf("linha %d = %q, want %v", i, r[:3], want)
		}
		if r[col["sucesso"]] != want.clients {
			t.Errorf("%s: sucesso=%s de %s", want.stage, r[col["sucesso"]], want.clients)
		}
		if r[col["threads SO (pico)"]] == "n/d" || r[col["CPU"]] == "n/d" || r[col["RSS pico"]] == "n/d" {
			t.Errorf("%s: números do servidor faltando: %q", want.stage, r)
		}
		// O que o roteiro espera de cada etapa (checkSequential,
		// checkThreadPerConn, checkFlat): a coluna "esperado" e a explicação.
		if r[len(r)-1] != "✓" {
			t.Errorf("%s: esperado %s\n%s", want.stage, r[len(r)-1], stdout)
		}
	}
	for _, w := range []string{"✓ 1.1", "sequencial", "✓ 2.1", "threads cresceram", "✓ 3.3", "threads planas"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("saída sem %q:\n%s", w, stdout)
		}
	}

	md, err := os.ReadFile(filepath.Join(dir, "tabela.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"| etapa | servidor |", "| 1.1 | serverbloq | 3 | 3 |", "- Máquina: ", "go run ./cmd/roteiro -rapido -delay 300ms -etapas 1.1,2.1,3.3 -saida "} {
		if !strings.Contains(string(md), w) {
			t.Errorf("tabela.md sem %q:\n%s", w, md)
		}
	}
	for _, id := range []string{"1.1", "2.1", "3.3"} {
		if _, err := os.Stat(filepath.Join(dir, "etapa-"+id+".svg")); err != nil {
			t.Errorf("linha do tempo da etapa %s: %v", id, err)
		}
	}
}

// TestBadFlags: opções inválidas saem com 2 e uma mensagem em português.
func TestBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-etapas", "9.9"}, {"-delay", "xyz"}, {"-escala", "-etapas", "1.1"}} {
		_, stderr, code := e2e.Run(t, 30*time.Second, "roteiro", args...)
		if code != 2 || stderr == "" {
			t.Errorf("%v: código %d, stderr %q", args, code, stderr)
		}
	}
}
